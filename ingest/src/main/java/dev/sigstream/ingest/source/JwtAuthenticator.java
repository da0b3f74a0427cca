package dev.sigstream.ingest.source;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.source.JWKSource;
import com.nimbusds.jose.jwk.source.JWKSourceBuilder;
import com.nimbusds.jose.proc.BadJOSEException;
import com.nimbusds.jose.proc.JWSVerificationKeySelector;
import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jose.util.DefaultResourceRetriever;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.proc.DefaultJWTClaimsVerifier;
import com.nimbusds.jwt.proc.DefaultJWTProcessor;
import java.net.MalformedURLException;
import java.net.URI;
import java.text.ParseException;
import java.time.Clock;
import java.util.Date;
import java.util.HashSet;
import java.util.Set;

/**
 * A bearer JWT in {@code Authorization}, validated with Nimbus JOSE+JWT against a JWKS fetched from a configured
 * URL (cached, rate-limited refresh on unknown key ids): signature (RS256/RS384/RS512/PS256/ES256 only; never
 * {@code none} or HMAC), issuer, audience, expiry and not-before with 60 s skew, and optionally an exact
 * {@code email} claim with {@code email_verified: true}.
 *
 * <p>Used for Event Grid webhooks protected by Microsoft Entra ID (issuer {@code https://login.microsoftonline.com/
 * <tenant>/v2.0} or {@code https://sts.windows.net/<tenant>/}, audience the application id) and for Pub/Sub push
 * OIDC tokens (issuer {@code https://accounts.google.com}, audience the push endpoint, email the push service
 * account).
 */
public final class JwtAuthenticator implements Authenticator {

  private static final Set<JWSAlgorithm> ALGORITHMS = Set.of(
      JWSAlgorithm.RS256, JWSAlgorithm.RS384, JWSAlgorithm.RS512, JWSAlgorithm.PS256, JWSAlgorithm.ES256);
  private static final int MAX_TOKEN = 8192;

  private final DefaultJWTProcessor<SecurityContext> processor = new DefaultJWTProcessor<>();
  private final String describe;

  /**
   * @param issuer the exact {@code iss}
   * @param audience the accepted {@code aud}
   * @param jwksUrl where the issuer's signing keys are published (http or https)
   * @param email if non-null, the exact {@code email} the token must carry (Pub/Sub push service account)
   * @param clock time source for expiry checks
   */
  public JwtAuthenticator(final String issuer, final String audience, final URI jwksUrl, final String email, final Clock clock) {
    final JWKSource<SecurityContext> keys;
    try {
      keys = JWKSourceBuilder.<SecurityContext>create(jwksUrl.toURL(), new DefaultResourceRetriever(2000, 2000, 512 * 1024))
          .retrying(true).build();
    } catch (MalformedURLException e) {
      throw new IllegalArgumentException("JWKS URL is not a URL: " + jwksUrl, e);
    }
    processor.setJWSKeySelector(new JWSVerificationKeySelector<>(ALGORITHMS, keys));
    final JWTClaimsSet.Builder exact = new JWTClaimsSet.Builder().issuer(issuer);
    final Set<String> required = new HashSet<>(Set.of("iss", "aud", "exp"));
    if (email != null) {
      exact.claim("email", email).claim("email_verified", true);
      required.add("email");
    }
    final DefaultJWTClaimsVerifier<SecurityContext> claims =
        new DefaultJWTClaimsVerifier<>(Set.of(audience), exact.build(), required, Set.of()) {
          @Override
          protected Date currentTime() {
            return Date.from(clock.instant());
          }
        };
    claims.setMaxClockSkew(60);
    processor.setJWTClaimsSetVerifier(claims);
    this.describe = "jwt(iss=" + issuer + ", aud=" + audience + (email == null ? "" : ", email=" + email) + ")";
  }

  @Override
  public SourceResult.Rejected check(final WebhookRequest request) {
    final String h = request.header("authorization");
    if (h == null || h.length() < 8 || !h.regionMatches(true, 0, "Bearer ", 0, 7)) {
      return SourceResult.Reason.UNAUTHENTICATED.reject("missing credentials: a bearer token is required");
    }
    final String token = h.substring(7).trim();
    if (token.length() > MAX_TOKEN) {
      return SourceResult.Reason.UNAUTHENTICATED.reject("bearer token is longer than " + MAX_TOKEN + " characters");
    }
    try {
      processor.process(token, null);
      return null;
    } catch (ParseException e) {
      return SourceResult.Reason.UNAUTHENTICATED.reject("bearer token is not a JWT");
    } catch (BadJOSEException e) {
      // Nimbus messages name the failed check (expired, audience, issuer, signature) and never the token.
      return SourceResult.Reason.UNAUTHENTICATED.reject("bearer token rejected: " + Json.clip(e.getMessage()));
    } catch (JOSEException e) {
      return SourceResult.Reason.UNAUTHENTICATED.reject("bearer token could not be verified: " + Json.clip(e.getMessage()));
    } catch (RuntimeException e) {
      return SourceResult.Reason.UNAUTHENTICATED.reject("bearer token could not be verified");
    }
  }

  @Override
  public String kind() {
    return describe;
  }
}
