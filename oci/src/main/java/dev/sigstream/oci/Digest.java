package dev.sigstream.oci;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * An OCI content digest, {@code algorithm:hex}. Only the registered algorithms {@code sha256} and {@code sha512} are
 * accepted: a digest we cannot recompute would let a registry serve arbitrary bytes.
 */
public record Digest(String algorithm, String hex) {

  private static final Pattern HEX = Pattern.compile("[a-f0-9]+");

  public Digest {
    if (!"sha256".equals(algorithm) && !"sha512".equals(algorithm)) {
      throw new IllegalArgumentException("unsupported digest algorithm '" + algorithm + "' (sha256, sha512)");
    }
    final int len = "sha256".equals(algorithm) ? 64 : 128;
    if (hex == null || hex.length() != len || !HEX.matcher(hex).matches()) {
      throw new IllegalArgumentException("malformed " + algorithm + " digest: expected " + len + " lower-case hex characters");
    }
  }

  /** Parses {@code sha256:<64 hex>} or {@code sha512:<128 hex>}; throws {@link IllegalArgumentException} otherwise. */
  public static Digest parse(final String s) {
    if (s == null) {
      throw new IllegalArgumentException("digest is missing");
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

  private static byte[] hash(final String jca, final byte[] content) {
    try {
      return MessageDigest.getInstance(jca).digest(content);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(jca + " is mandatory in every JDK", e);
    }
  }

  static String abbreviate(final String s) {
    return s.length() > 80 ? s.substring(0, 80) + "..." : s;
  }
}
