package dev.sigstream.notary.envelope;

import dev.sigstream.notary.internal.BoundedMemo;
import java.util.Arrays;

/**
 * Decoded {@code x5c} certificates by their exact base64 text, so a repeat signer's chain is not decoded again on
 * every verification (decoding is the largest cost of parsing a JWS envelope after the JSON scan). Lookups read the
 * parser's character buffer without copying it; the hash samples the length and the last 32 characters (the
 * base64 of a certificate's signature, effectively random) and equality compares every character, so a hit is
 * always the same text. Hits return a copy of the bytes: parsed envelopes never share mutable state. Bounded by
 * entries and by memory ({@link BoundedMemo}), since the text comes from untrusted envelopes.
 */
final class X5cMemo {

  static final int DEFAULT_MAX_ENTRIES = 1024;
  /** About 16 MiB of text (two bytes a character) and certificates. */
  static final long DEFAULT_MAX_BYTES = 16L << 20;

  private final BoundedMemo<Key, byte[]> memo;

  X5cMemo(final int maxEntries, final long maxBytes) {
    this.memo = new BoundedMemo<>(maxEntries, maxBytes);
  }

  /** The decoded certificate for the text at {@code buf[off, off + len)}. */
  byte[] decode(final char[] buf, final int off, final int len) throws EnvelopeException {
    final Key probe = new Key(buf, off, len);
    final byte[] hit = memo.get(probe);
    if (hit != null) {
      return hit.clone();
    }
    final byte[] der = B64.decodeStd(buf, off, len, "x5c");
    memo.put(new Key(Arrays.copyOfRange(buf, off, off + len), 0, len), der.clone(), 2L * len + der.length);
    return der;
  }

  int size() {
    return memo.size();
  }

  long bytes() {
    return memo.weight();
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
