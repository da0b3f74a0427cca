package dev.sigstream.ingest.source;

import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Locale;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/** The shared-secret authenticators: a secret header, HTTP basic, a query-string key, and HMAC-SHA256 signatures. */
public final class Authenticators {

  private Authenticators() {}

  /** The exact value of one header (e.g. {@code Authorization: Bearer <token>}). */
  public static Authenticator header(final String headerName, final String expectedValue) {
    final String name = headerName.toLowerCase(Locale.ROOT);
    final byte[] expected = sha256(expectedValue);
    return new Authenticator() {
      @Override
      public SourceResult.Rejected check(final WebhookRequest r) {
        final String got = r.header(name);
        if (got == null) {
          return SourceResult.Reason.UNAUTHENTICATED.reject("missing credentials: header " + headerName + " is required");
        }
        return equal(expected, got) ? null : SourceResult.Reason.UNAUTHENTICATED.reject("invalid credentials in header " + headerName);
      }

      @Override
      public String kind() {
        return "header(" + headerName + ")";
      }
    };
  }

  /** HTTP basic authentication with one user. */
  public static Authenticator basic(final String username, final String password) {
    final byte[] expected = sha256(username + ":" + password);
    return new Authenticator() {
      @Override
      public SourceResult.Rejected check(final WebhookRequest r) {
        final String got = r.header("authorization");
        if (got == null || got.length() < 6 || !got.regionMatches(true, 0, "Basic ", 0, 6)) {
          return SourceResult.Reason.UNAUTHENTICATED.reject("missing credentials: HTTP basic authentication is required");
        }
        final String decoded;
        try {
          decoded = new String(Base64.getDecoder().decode(got.substring(6).trim()), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
          return SourceResult.Reason.UNAUTHENTICATED.reject("malformed basic credentials");
        }
        return equal(expected, decoded) ? null : SourceResult.Reason.UNAUTHENTICATED.reject("invalid basic credentials");
      }

      @Override
      public String kind() {
        return "basic";
      }
    };
  }

  /** A key in the query string (Event Grid's {@code ?code=}, Docker Hub and Quay URL secrets). */
  public static Authenticator queryKey(final String param, final String expectedValue) {
    final byte[] expected = sha256(expectedValue);
    return new Authenticator() {
      @Override
      public SourceResult.Rejected check(final WebhookRequest r) {
        final String got = r.query().get(param);
        if (got == null) {
          return SourceResult.Reason.UNAUTHENTICATED.reject("missing credentials: query parameter '" + param + "' is required");
        }
        return equal(expected, got) ? null : SourceResult.Reason.UNAUTHENTICATED.reject("invalid key in query parameter '" + param + "'");
      }

      @Override
      public String kind() {
        return "query-key(" + param + ")";
      }
    };
  }

  /**
   * GitHub's {@code X-Hub-Signature-256: sha256=<hex HMAC-SHA256(secret, raw body)>}, verified over the raw bytes
   * with a constant-time comparison ({@link MessageDigest#isEqual}).
   */
  public static Authenticator hmacSha256(final String secret) {
    final SecretKeySpec key = new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256");
    return new Authenticator() {
      @Override
      public SourceResult.Rejected check(final WebhookRequest r) {
        final String got = r.header("x-hub-signature-256");
        if (got == null) {
          return SourceResult.Reason.UNAUTHENTICATED.reject("missing signature: header X-Hub-Signature-256 is required");
        }
        if (!got.startsWith("sha256=") || got.length() != 7 + 64) {
          return SourceResult.Reason.BAD_SIGNATURE.reject("X-Hub-Signature-256 must be sha256=<64 hex digits>");
        }
        final byte[] sent;
        try {
          sent = HexFormat.of().parseHex(got.substring(7));
        } catch (IllegalArgumentException e) {
          return SourceResult.Reason.BAD_SIGNATURE.reject("X-Hub-Signature-256 must be sha256=<64 hex digits>");
        }
        final byte[] expected = hmac(key, r.body());
        return MessageDigest.isEqual(expected, sent) ? null
            : SourceResult.Reason.BAD_SIGNATURE.reject("X-Hub-Signature-256 does not match the body");
      }

      @Override
      public String kind() {
        return "hmac-sha256";
      }
    };
  }

  static byte[] hmac(final SecretKeySpec key, final byte[] body) {
    try {
      final Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(key);
      return mac.doFinal(body);
    } catch (NoSuchAlgorithmException | InvalidKeyException e) {
      throw new IllegalStateException("HmacSHA256 is required by the JDK", e);
    }
  }

  /** Compares hashes so neither the content nor the length of the secret leaks through timing. */
  private static boolean equal(final byte[] expectedHash, final String got) {
    return MessageDigest.isEqual(expectedHash, sha256(got));
  }

  private static byte[] sha256(final String s) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is required by the JDK", e);
    }
  }
}
