package dev.sigstream.ingest.source;

import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.PlainJWT;
import com.nimbusds.jwt.SignedJWT;
import com.sun.net.httpserver.HttpServer;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Date;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Entra ID bearer tokens and Pub/Sub push OIDC tokens against a JWKS this test serves on loopback. */
class JwtAuthenticatorTest {

  static final Instant NOW = Instant.parse("2026-01-01T00:00:00Z");
  static final Clock CLOCK = Clock.fixed(NOW, ZoneOffset.UTC);
  static final String ENTRA_ISS = "https://login.microsoftonline.com/00000000-0000-0000-0000-000000000001/v2.0";
  static final String ENTRA_AUD = "api://sigstream-ingest";
  static final String GOOGLE_ISS = "https://accounts.google.com";
  static final String PUSH_AUD = "https://ingest.example.com/v1/events/gar";
  static final String PUSH_SA = "pubsub-push@my-project.iam.gserviceaccount.com";

  static RSAKey key;
  static RSAKey otherKey;
  static HttpServer jwks;
  static URI jwksUrl;
  static final AtomicInteger fetches = new AtomicInteger();

  @BeforeAll
  static void serveJwks() throws Exception {
    key = new RSAKeyGenerator(2048).keyID("k1").generate();
    otherKey = new RSAKeyGenerator(2048).keyID("k1").generate();
    final byte[] body = new JWKSet(key.toPublicJWK()).toString().getBytes(StandardCharsets.UTF_8);
    jwks = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    jwks.createContext("/keys", ex -> {
      fetches.incrementAndGet();
      ex.getResponseHeaders().add("Content-Type", "application/json");
      ex.sendResponseHeaders(200, body.length);
      ex.getResponseBody().write(body);
      ex.close();
    });
    jwks.start();
    jwksUrl = URI.create("http://127.0.0.1:" + jwks.getAddress().getPort() + "/keys");
  }

  @AfterAll
  static void stop() {
    jwks.stop(0);
  }

  static String token(final RSAKey signer, final JWTClaimsSet claims) throws Exception {
    final SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.RS256).keyID(signer.getKeyID()).type(JOSEObjectType.JWT).build(), claims);
    jwt.sign(new RSASSASigner(signer));
    return jwt.serialize();
  }

  static JWTClaimsSet.Builder entra() {
    return new JWTClaimsSet.Builder().issuer(ENTRA_ISS).audience(ENTRA_AUD).subject("eventgrid")
        .issueTime(Date.from(NOW.minusSeconds(60))).expirationTime(Date.from(NOW.plusSeconds(3600)));
  }

  private static SourceResult.Rejected check(final Authenticator a, final String bearer) {
    return a.check(Req.post("application/json", "[]").header("Authorization", bearer == null ? null : "Bearer " + bearer).build());
  }

  private final JwtAuthenticator entraAuth = new JwtAuthenticator(ENTRA_ISS, ENTRA_AUD, jwksUrl, null, CLOCK);

  @Test
  void validEntraToken_accepted() throws Exception {
    assertThat(check(entraAuth, token(key, entra().build()))).isNull();
  }

  @Test
  void wrongAudienceIssuerExpiryOrKey_401() throws Exception {
    assertThat(check(entraAuth, token(key, entra().audience("api://other").build())).message()).contains("aud");
    assertThat(check(entraAuth, token(key, entra().issuer("https://evil.example.com").build())).message()).contains("iss");
    assertThat(check(entraAuth, token(key, entra().expirationTime(Date.from(NOW.minusSeconds(120))).build())).message()).contains("xpired");
    assertThat(check(entraAuth, token(otherKey, entra().build()))).isNotNull();
    assertThat(check(entraAuth, token(key, entra().notBeforeTime(Date.from(NOW.plusSeconds(600))).build()))).isNotNull();
  }

  @Test
  void unsignedOrHmacOrGarbage_401() throws Exception {
    assertThat(check(entraAuth, new PlainJWT(entra().build()).serialize())).isNotNull();
    final SignedJWT hs = new SignedJWT(new JWSHeader(JWSAlgorithm.HS256), entra().build());
    hs.sign(new MACSigner("0123456789abcdef0123456789abcdef"));
    assertThat(check(entraAuth, hs.serialize())).isNotNull();
    assertThat(check(entraAuth, "not-a-jwt").message()).isEqualTo("bearer token is not a JWT");
    assertThat(check(entraAuth, null).message()).contains("missing credentials");
    assertThat(check(entraAuth, "x".repeat(9000)).message()).contains("longer");
  }

  @Test
  void pubsubOidc_requiresVerifiedServiceAccountEmail() throws Exception {
    final JwtAuthenticator pubsub = new JwtAuthenticator(GOOGLE_ISS, PUSH_AUD, jwksUrl, PUSH_SA, CLOCK);
    final JWTClaimsSet.Builder google = new JWTClaimsSet.Builder().issuer(GOOGLE_ISS).audience(PUSH_AUD)
        .expirationTime(Date.from(NOW.plusSeconds(3600))).issueTime(Date.from(NOW));
    assertThat(check(pubsub, token(key, google.claim("email", PUSH_SA).claim("email_verified", true).build()))).isNull();
    assertThat(check(pubsub, token(key, google.claim("email", "attacker@evil.iam.gserviceaccount.com").build()))).isNotNull();
    assertThat(check(pubsub, token(key, google.claim("email", PUSH_SA).claim("email_verified", false).build()))).isNotNull();
  }

  @Test
  void eventGridSourceWithEntra_endToEnd() throws Exception {
    final Source s = new Source("acr", SourceType.EVENTGRID, entraAuth, List.of("jolovcr.azurecr.io"));
    final String body = Req.example("acr-eventgrid-schema-image-pushed.json");
    Results.single(s.handle(Req.post("application/json", body).header("Authorization", "Bearer " + token(key, entra().build())).build()));
    Results.rejected(s.handle(Req.post("application/json", body).build()), SourceResult.Reason.UNAUTHENTICATED);
  }
}
