package dev.sigstream.notary;

import java.util.List;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Bounded, thread-safe cache of validated chains keyed by the exact DER bytes of every certificate, so a repeat
 * signer costs one signature check. Only time- and policy-independent facts are cached; validity periods,
 * trust and revocation are evaluated on every verification. When full, an arbitrary entry is evicted (a simple
 * bound suffices: the working set is the set of active signers).
 */
final class ChainCache {

  private final ConcurrentHashMap<ChainKey, ValidatedChain> map = new ConcurrentHashMap<>();
  private final int maxEntries;

  ChainCache(final int maxEntries) {
    this.maxEntries = maxEntries;
  }

  ValidatedChain get(final List<byte[]> chainDer) {
    final ChainKey key = new ChainKey(chainDer);
    final ValidatedChain hit = map.get(key);
    if (hit != null) {
      return hit;
    }
    final ValidatedChain fresh = ValidatedChain.validate(chainDer);
    if (maxEntries > 0) {
      while (map.size() >= maxEntries) {
        final var it = map.keySet().iterator();
        if (!it.hasNext()) {
          break;
        }
        map.remove(it.next());
      }
      map.putIfAbsent(key, fresh);
    }
    return fresh;
  }

  int size() {
    return map.size();
  }

  private static final class ChainKey {
    private final byte[][] ders;
    private final int hash;

    ChainKey(final List<byte[]> chain) {
      this.ders = chain.toArray(new byte[0][]);
      int h = ders.length;
      for (final byte[] d : ders) {
        h = 31 * h + new ByteKey(d).hashCode();
      }
      this.hash = h;
    }

    @Override
    public boolean equals(final Object o) {
      if (!(o instanceof ChainKey k) || k.hash != hash || k.ders.length != ders.length) {
        return false;
      }
      for (int i = 0; i < ders.length; i++) {
        if (!java.util.Arrays.equals(ders[i], k.ders[i])) {
          return false;
        }
      }
      return true;
    }

    @Override
    public int hashCode() {
      return hash;
    }
  }
}
