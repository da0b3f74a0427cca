package dev.sigstream.notary.envelope;

import dev.sigstream.notary.ReasonCode;
import java.util.Arrays;
import java.util.Base64;

/**
 * Strict base64 decoding for JWS envelopes. Only the canonical encoding of a byte string is accepted: base64url
 * without padding for {@code payload}, {@code protected} and {@code signature}; standard base64 with padding for
 * {@code x5c} and {@code timestampSignature}; non-zero trailing bits rejected. The JDK decoders accept padding in
 * base64url and ignore non-zero trailing bits, which would let two different strings decode to the same bytes.
 *
 * <p>Decoding is written by hand rather than delegated to {@link Base64#getDecoder()} for two measured reasons
 * (docs/benchmarks.md): it reads the JSON parser's character buffer directly, so no {@code String} or ASCII copy
 * is made of the largest strings in an envelope, and it is a scalar table lookup. On AVX-512 hosts the JDK's
 * vectorised base64 intrinsic lowers the core's clock for long enough that the signature check which follows ran
 * about 4 µs slower (ES256 verify: 62 µs alone, 71 µs after a JDK-decoded JWS parse, 68 µs after this one).
 * Encoding (signing, not hot) stays with the JDK.
 */
final class B64 {

  private static final byte[] STD = table("+/");
  private static final byte[] URL = table("-_");
  /** Per alphabet, each character's value already shifted into place for positions 0..3 of a group of four. */
  private static final int[][] STD_SHIFTED = shifted(STD);
  private static final int[][] URL_SHIFTED = shifted(URL);

  private B64() {}

  private static byte[] table(final String last2) {
    final byte[] t = new byte[128];
    Arrays.fill(t, (byte) -1);
    final String alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789" + last2;
    for (int i = 0; i < alphabet.length(); i++) {
      t[alphabet.charAt(i)] = (byte) i;
    }
    return t;
  }

  /** Invalid characters map to {@link Integer#MIN_VALUE}, so one sign test covers a whole group. */
  private static int[][] shifted(final byte[] table) {
    final int[][] t = new int[4][128];
    for (int pos = 0; pos < 4; pos++) {
      for (int c = 0; c < 128; c++) {
        t[pos][c] = table[c] < 0 ? Integer.MIN_VALUE : table[c] << (18 - 6 * pos);
      }
    }
    return t;
  }

  /**
   * base64url without padding (JWS {@code payload}, {@code protected}, {@code signature}), read straight from a
   * parser's character buffer.
   */
  static byte[] decodeUrl(final char[] buf, final int off, final int len, final String field)
      throws EnvelopeException {
    try {
      return decode(URL, URL_SHIFTED, buf, off, len, field, "base64url");
    } catch (final EnvelopeException e) {
      // '=' is outside the base64url alphabet; name padding specifically (only on this failure path).
      for (int i = off; i < off + len; i++) {
        if (buf[i] == '=') {
          throw new EnvelopeException(ReasonCode.ENVELOPE_MALFORMED, "\"" + field + "\" is padded base64url");
        }
      }
      throw e;
    }
  }

  /**
   * Standard base64 with padding (JWS {@code x5c}, {@code timestampSignature}), read straight from a parser's
   * character buffer.
   */
  static byte[] decodeStd(final char[] buf, final int off, final int len, final String field) throws EnvelopeException {
    if (len % 4 != 0 || len == 0) {
      throw new EnvelopeException(ReasonCode.ENVELOPE_MALFORMED, "\"" + field + "\" is not padded base64");
    }
    final int pad = buf[off + len - 1] == '=' ? (buf[off + len - 2] == '=' ? 2 : 1) : 0;
    return decode(STD, STD_SHIFTED, buf, off, len - pad, field, "base64");
  }

  /**
   * Decodes {@code chars} characters at {@code off} (any padding after them has been checked by the caller). Every
   * character must be in the alphabet and the final group's unused bits zero.
   */
  private static byte[] decode(
      final byte[] table, final int[][] shifted, final char[] buf, final int off, final int chars, final String field,
      final String name) throws EnvelopeException {
    final int rem = chars % 4;
    if (rem == 1) {
      throw invalid(field, name);
    }
    final byte[] out = new byte[chars / 4 * 3 + (rem == 0 ? 0 : rem - 1)];
    final int full = off + chars - rem;
    final int[] t18 = shifted[0];
    final int[] t12 = shifted[1];
    final int[] t6 = shifted[2];
    final int[] t0 = shifted[3];
    int o = 0;
    int bad = 0;
    int i = off;
    while (i < full) {
      final int c0 = buf[i];
      final int c1 = buf[i + 1];
      final int c2 = buf[i + 2];
      final int c3 = buf[i + 3];
      i += 4;
      if (((c0 | c1 | c2 | c3) & ~0x7F) != 0) {
        throw invalid(field, name);
      }
      final int v = t18[c0] | t12[c1] | t6[c2] | t0[c3];
      bad |= v; // a character outside the alphabet sets the sign bit; checked once after the loop
      out[o] = (byte) (v >> 16);
      out[o + 1] = (byte) (v >> 8);
      out[o + 2] = (byte) v;
      o += 3;
    }
    if (bad < 0) {
      throw invalid(field, name);
    }
    if (rem > 0) {
      final int c0 = buf[full];
      final int c1 = buf[full + 1];
      final int c2 = rem == 3 ? buf[full + 2] : 'A';
      if (((c0 | c1 | c2) & ~0x7F) != 0) {
        throw invalid(field, name);
      }
      final int a = table[c0];
      final int b = table[c1];
      final int c = table[c2];
      if ((a | b | c) < 0) {
        throw invalid(field, name);
      }
      // The unused low bits of the last character must be zero: 4 bits after 2 characters, 2 after 3.
      if (rem == 2 ? (b & 0x0F) != 0 : (c & 0x03) != 0) {
        throw new EnvelopeException(ReasonCode.ENVELOPE_MALFORMED, "\"" + field + "\" is not canonical " + name);
      }
      out[o++] = (byte) (a << 2 | b >> 4);
      if (rem == 3) {
        out[o] = (byte) (b << 4 | c >> 2);
      }
    }
    return out;
  }

  private static EnvelopeException invalid(final String field, final String name) {
    return new EnvelopeException(ReasonCode.ENVELOPE_MALFORMED, "\"" + field + "\" is not valid " + name);
  }

  static String encodeUrl(final byte[] b) {
    return Base64.getUrlEncoder().withoutPadding().encodeToString(b);
  }

  static String encodeStd(final byte[] b) {
    return Base64.getEncoder().encodeToString(b);
  }
}
