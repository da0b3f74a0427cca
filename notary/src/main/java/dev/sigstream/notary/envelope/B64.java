package dev.sigstream.notary.envelope;

import dev.sigstream.notary.ReasonCode;
import java.util.Base64;

/**
 * Strict base64. The JDK decoders accept padding in base64url and ignore non-zero trailing bits; both would let
 * two different strings decode to the same bytes, so each is rejected here (only the canonical encoding of a byte
 * string is accepted).
 */
final class B64 {

  private B64() {}

  /** base64url without padding (JWS {@code payload}, {@code protected}, {@code signature}). */
  static byte[] decodeUrl(final String s, final String field) throws EnvelopeException {
    if (s.indexOf('=') >= 0) {
      throw new EnvelopeException(ReasonCode.ENVELOPE_MALFORMED, "\"" + field + "\" is padded base64url");
    }
    final int rem = s.length() % 4;
    if (rem == 1) {
      throw new EnvelopeException(ReasonCode.ENVELOPE_MALFORMED, "\"" + field + "\" is not valid base64url");
    }
    if (rem != 0 && !zeroTrailingBits(urlValue(s.charAt(s.length() - 1)), rem)) {
      throw new EnvelopeException(ReasonCode.ENVELOPE_MALFORMED, "\"" + field + "\" is not canonical base64url");
    }
    try {
      return Base64.getUrlDecoder().decode(s);
    } catch (final IllegalArgumentException e) {
      throw new EnvelopeException(ReasonCode.ENVELOPE_MALFORMED, "\"" + field + "\" is not valid base64url");
    }
  }

  /** Standard base64 with padding (JWS {@code x5c}, {@code timestampSignature}). */
  static byte[] decodeStd(final String s, final String field) throws EnvelopeException {
    if (s.length() % 4 != 0 || s.isEmpty()) {
      throw new EnvelopeException(ReasonCode.ENVELOPE_MALFORMED, "\"" + field + "\" is not padded base64");
    }
    final int pad = s.endsWith("==") ? 2 : s.endsWith("=") ? 1 : 0;
    if (pad > 0) {
      final char last = s.charAt(s.length() - pad - 1);
      final int v = stdValue(last);
      if (!zeroTrailingBits(v, 4 - pad)) {
        throw new EnvelopeException(ReasonCode.ENVELOPE_MALFORMED, "\"" + field + "\" is not canonical base64");
      }
    }
    try {
      return Base64.getDecoder().decode(s);
    } catch (final IllegalArgumentException e) {
      throw new EnvelopeException(ReasonCode.ENVELOPE_MALFORMED, "\"" + field + "\" is not valid base64");
    }
  }

  /**
   * Standard base64 with padding, read straight from a parser's character buffer: the same checks as
   * {@link #decodeStd(String, String)} without materialising a {@code String} (certificate chains are the largest
   * strings in a JWS envelope and this is the verify hot path).
   */
  static byte[] decodeStd(final char[] buf, final int off, final int len, final String field) throws EnvelopeException {
    if (len % 4 != 0 || len == 0) {
      throw new EnvelopeException(ReasonCode.ENVELOPE_MALFORMED, "\"" + field + "\" is not padded base64");
    }
    final int pad = buf[off + len - 1] == '=' ? (buf[off + len - 2] == '=' ? 2 : 1) : 0;
    if (pad > 0 && !zeroTrailingBits(stdValue(buf[off + len - pad - 1]), 4 - pad)) {
      throw new EnvelopeException(ReasonCode.ENVELOPE_MALFORMED, "\"" + field + "\" is not canonical base64");
    }
    final byte[] ascii = new byte[len];
    for (int i = 0; i < len; i++) {
      final char c = buf[off + i];
      // Non-ASCII can never be base64; map it to a byte the decoder rejects instead of truncating it into range.
      ascii[i] = c < 0x80 ? (byte) c : (byte) '*';
    }
    try {
      return Base64.getDecoder().decode(ascii);
    } catch (final IllegalArgumentException e) {
      throw new EnvelopeException(ReasonCode.ENVELOPE_MALFORMED, "\"" + field + "\" is not valid base64");
    }
  }

  /** For a final group of {@code chars} characters (2 or 3), the unused low bits of the last one must be zero. */
  private static boolean zeroTrailingBits(final int value, final int chars) {
    if (value < 0) {
      return true; // an invalid character; the decoder reports it
    }
    return chars == 2 ? (value & 0x0F) == 0 : (value & 0x03) == 0;
  }

  private static int urlValue(final char c) {
    if (c >= 'A' && c <= 'Z') {
      return c - 'A';
    }
    if (c >= 'a' && c <= 'z') {
      return c - 'a' + 26;
    }
    if (c >= '0' && c <= '9') {
      return c - '0' + 52;
    }
    return c == '-' ? 62 : c == '_' ? 63 : -1;
  }

  private static int stdValue(final char c) {
    return c == '+' ? 62 : c == '/' ? 63 : (c == '-' || c == '_') ? -1 : urlValue(c);
  }

  static String encodeUrl(final byte[] b) {
    return Base64.getUrlEncoder().withoutPadding().encodeToString(b);
  }

  static String encodeStd(final byte[] b) {
    return Base64.getEncoder().encodeToString(b);
  }
}
