package dev.sigstream.notary;

import java.util.Arrays;

/**
 * A byte string usable as a map key with full-content equality. The hash samples only the tail (a certificate
 * ends in its signature, which is effectively random), so lookups stay cheap; equality always compares every byte.
 */
final class ByteKey {

  private final byte[] bytes;
  private final int hash;

  ByteKey(final byte[] bytes) {
    this.bytes = bytes;
    int h = bytes.length;
    for (int i = Math.max(0, bytes.length - 32); i < bytes.length; i++) {
      h = 31 * h + bytes[i];
    }
    this.hash = h;
  }

  byte[] bytes() {
    return bytes;
  }

  @Override
  public boolean equals(final Object o) {
    return o instanceof ByteKey k && k.hash == hash && Arrays.equals(k.bytes, bytes);
  }

  @Override
  public int hashCode() {
    return hash;
  }
}
