package dev.sigstream.notary.envelope;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/**
 * Minimal deterministic CBOR encoder (definite lengths, shortest heads) for the COSE structures this module
 * writes: Sig_structure and envelopes. Parsing uses jackson-dataformat-cbor.
 */
final class CborWriter {

  private final ByteArrayOutputStream out = new ByteArrayOutputStream();

  CborWriter head(final int major, final long value) {
    final int mt = major << 5;
    if (value < 24) {
      out.write(mt | (int) value);
    } else if (value < 0x100) {
      out.write(mt | 24);
      out.write((int) value);
    } else if (value < 0x10000) {
      out.write(mt | 25);
      out.write((int) (value >> 8));
      out.write((int) value);
    } else if (value < 0x100000000L) {
      out.write(mt | 26);
      for (int s = 24; s >= 0; s -= 8) {
        out.write((int) (value >> s));
      }
    } else {
      out.write(mt | 27);
      for (int s = 56; s >= 0; s -= 8) {
        out.write((int) (value >> s));
      }
    }
    return this;
  }

  CborWriter integer(final long v) {
    return v >= 0 ? head(0, v) : head(1, -1 - v);
  }

  CborWriter bytes(final byte[] b) {
    head(2, b.length);
    out.write(b, 0, b.length);
    return this;
  }

  CborWriter text(final String s) {
    final byte[] b = s.getBytes(StandardCharsets.UTF_8);
    head(3, b.length);
    out.write(b, 0, b.length);
    return this;
  }

  CborWriter array(final int n) {
    return head(4, n);
  }

  CborWriter map(final int n) {
    return head(5, n);
  }

  CborWriter tag(final long t) {
    return head(6, t);
  }

  CborWriter raw(final byte[] encoded) {
    out.write(encoded, 0, encoded.length);
    return this;
  }

  byte[] toByteArray() {
    return out.toByteArray();
  }

  /** {@code Sig_structure = ["Signature1", protected, external_aad = h'', payload]} (RFC 9052 section 4.4). */
  static byte[] sigStructure(final byte[] protectedBytes, final byte[] payload) {
    return new CborWriter().array(4).text("Signature1").bytes(protectedBytes).bytes(new byte[0]).bytes(payload)
        .toByteArray();
  }
}
