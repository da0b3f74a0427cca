package dev.sigstream.notary.envelope;

import java.util.Arrays;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Decoded {@code x5c} certificates by their exact base64 text, so a repeat signer's chain is not decoded again on
 * every verification (decoding is the largest cost of parsing a JWS envelope after the JSON scan). Lookups read the
 * parser's character buffer without copying it; the hash samples the length and the last 32 characters (the
 * base64 of a certificate's signature, effectively random) and equality compares every character, so a hit is
 * always the same text. Hits return a copy of the bytes: parsed envelopes never share mutable state. Bounded;
 * when full an arbitrary entry is evicted (the working set is the set of active signers' certificates).
 */
final class X5cMemo {

  static final int DEFAULT_MAX_ENTRIES = 1024;

  private final ConcurrentHashMap<Key, byte[]> map = new ConcurrentHashMap<>();
  private final int maxEntries;

  X5cMemo(final int maxEntries) {
    this.maxEntries = maxEntries;
  }

  /** The decoded certificate for the text at {@code buf[off, off + len)}. */
  byte[] decode(final char[] buf, final int off, final int len) throws EnvelopeException {
    final Key probe = new Key(buf, off, len);
    final byte[] hit = map.get(probe);
    if (hit != null) {
      return hit.clone();
    }
    final byte[] der = B64.decodeStd(buf, off, len, "x5c");
    if (maxEntries > 0) {
      while (map.size() >= maxEntries) {
        final var it = map.keySet().iterator();
        if (!it.hasNext()) {
          break;
        }
        map.remove(it.next());
      }
      map.putIfAbsent(new Key(Arrays.copyOfRange(buf, off, off + len), 0, len), der.clone());
    }
    return der;
  }

  int size() {
    return map.size();
  }

  private static final class Key {
    private final char[] chars;
    private final int off;
    private final int len;
    private final int hash;

    Key(final char[] chars, final int off, final int len) {
      this.chars = chars;
      this.off = off;
      this.len = len;
      int h = len;
      for (int i = off + Math.max(0, len - 32); i < off + len; i++) {
        h = 31 * h + chars[i];
      }
      this.hash = h;
    }

    @Override
    public boolean equals(final Object o) {
      return o instanceof Key k && k.hash == hash && k.len == len
          && Arrays.equals(k.chars, k.off, k.off + k.len, chars, off, off + len);
    }

    @Override
    public int hashCode() {
      return hash;
    }
  }
}
