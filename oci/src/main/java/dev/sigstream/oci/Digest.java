package dev.sigstream.oci;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Locale;

/**
 * An OCI content digest, {@code algorithm:hex}. Only the registered algorithms {@code sha256} and {@code sha512} are
 * accepted: a digest we cannot recompute would let a registry serve arbitrary bytes.
 *
 * <p>Parsing is a length check followed by a character scan (no regular expression): digests come from registries
 * ({@code Docker-Content-Digest}, manifests) and users, so the parser must be linear and cannot overflow anything.
 */
public record Digest(String algorithm, String hex) {

  /** Longest string {@link #parse} looks at: {@code sha512:} and 128 hex digits, with room to spare. */
  public static final int MAX_LENGTH = 256;

  public Digest {
    if (!"sha256".equals(algorithm) && !"sha512".equals(algorithm)) {
      throw new IllegalArgumentException("unsupported digest algorithm '" + abbreviate(String.valueOf(algorithm))
          + "' (sha256, sha512)");
    }
    final int len = "sha256".equals(algorithm) ? 64 : 128;
    if (hex == null || hex.length() != len || !isLowerHex(hex)) {
      throw new IllegalArgumentException("malformed " + algorithm + " digest: expected " + len
          + " lower-case hex characters");
    }
  }

  /** Parses {@code sha256:<64 hex>} or {@code sha512:<128 hex>}; throws {@link IllegalArgumentException} otherwise. */
  public static Digest parse(final String s) {
    if (s == null) {
      throw new IllegalArgumentException("digest is missing");
    }
    if (s.length() > MAX_LENGTH) {
      throw new IllegalArgumentException("malformed digest: " + s.length() + " characters, at most " + MAX_LENGTH);
    }
    final int colon = s.indexOf(':');
    if (colon <= 0) {
      throw new IllegalArgumentException("malformed digest '" + abbreviate(s) + "': expected algorithm:hex");
    }
    return new Digest(s.substring(0, colon), s.substring(colon + 1));
  }

  /** The sha256 digest of {@code content}. */
  public static Digest sha256(final byte[] content) {
    return new Digest("sha256", HexFormat.of().formatHex(hash("SHA-256", content)));
  }

  /** The digest of {@code content} computed with this digest's algorithm. */
  public Digest recompute(final byte[] content) {
    final String jca = "sha256".equals(algorithm) ? "SHA-256" : "SHA-512";
    return new Digest(algorithm, HexFormat.of().formatHex(hash(jca, content)));
  }

  /** Whether {@code content} hashes to this digest (constant-time comparison). */
  public boolean matches(final byte[] content) {
    return MessageDigest.isEqual(recompute(content).hex.getBytes(java.nio.charset.StandardCharsets.US_ASCII),
        hex.getBytes(java.nio.charset.StandardCharsets.US_ASCII));
  }

  /** The referrers tag-schema tag for this digest: {@code <alg>-<hex>} (alg truncated to 32, hex to 64 chars). */
  public String referrersTag() {
    final String alg = algorithm.length() > 32 ? algorithm.substring(0, 32) : algorithm;
    final String enc = hex.length() > 64 ? hex.substring(0, 64) : hex;
    return (alg + "-" + enc).toLowerCase(Locale.ROOT);
  }

  @Override
  public String toString() {
    return algorithm + ":" + hex;
  }

  private static boolean isLowerHex(final String s) {
    for (int i = 0; i < s.length(); i++) {
      final char c = s.charAt(i);
      if (!(c >= '0' && c <= '9') && !(c >= 'a' && c <= 'f')) {
        return false;
      }
    }
    return true;
  }

  private static byte[] hash(final String jca, final byte[] content) {
    try {
      return MessageDigest.getInstance(jca).digest(content);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(jca + " is mandatory in every JDK", e);
    }
  }

  /**
   * {@code s} made safe to quote in a message: at most 80 characters (then "..."), control and bidi characters
   * escaped as {@code \\uXXXX}, so a message stays one printable line whatever the input was.
   */
  static String abbreviate(final String s) {
    final String cut = s.length() > 80 ? s.substring(0, 80) : s;
    final StringBuilder b = new StringBuilder(cut.length() + 8);
    for (int i = 0; i < cut.length(); i++) {
      final char c = cut.charAt(i);
      if (c < 0x20 || (c >= 0x7f && c <= 0x9f) || (c >= 0x200b && c <= 0x200f) || (c >= 0x2028 && c <= 0x202e)
          || (c >= 0x2066 && c <= 0x2069) || c == 0xfeff) {
        b.append(String.format("\\u%04x", (int) c));
      } else {
        b.append(c);
      }
    }
    return s.length() > 80 ? b.append("...").toString() : b.toString();
  }
}
