package dev.sigstream.notary;

import dev.sigstream.notary.internal.BoundedMemo;
import java.util.List;

/**
 * Bounded, thread-safe cache of validated chains keyed by the exact DER bytes of every certificate, so a repeat
 * signer costs one signature check. Only time- and policy-independent facts are cached; validity periods,
 * trust and revocation are evaluated on every verification. Bounded by entries and by memory
 * ({@link BoundedMemo}): chains come from untrusted envelopes (up to 10 certificates of up to 64 KiB each).
 */
final class ChainCache {

  /** About 64 MiB: an entry weighs three times its DER (the bytes plus the parsed certificates). */
  static final long DEFAULT_MAX_BYTES = 64L << 20;

  private final BoundedMemo<ChainKey, ValidatedChain> memo;

  ChainCache(final int maxEntries) {
    this(maxEntries, DEFAULT_MAX_BYTES);
  }

  ChainCache(final int maxEntries, final long maxBytes) {
    this.memo = new BoundedMemo<>(maxEntries, maxBytes);
  }

  ValidatedChain get(final List<byte[]> chainDer) {
    final ChainKey key = new ChainKey(chainDer);
    final ValidatedChain hit = memo.get(key);
    if (hit != null) {
      return hit;
    }
    final ValidatedChain fresh = ValidatedChain.validate(chainDer);
    long bytes = 0;
    for (final byte[] d : chainDer) {
      bytes += d.length;
    }
    memo.put(key, fresh, 3 * bytes);
    return fresh;
  }

  int size() {
    return memo.size();
  }

  long bytes() {
    return memo.weight();
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
