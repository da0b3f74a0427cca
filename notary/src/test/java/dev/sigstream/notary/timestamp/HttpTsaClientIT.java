package dev.sigstream.notary.timestamp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sigstream.notary.ReasonCode;
import dev.sigstream.notary.revocation.HttpRevocationFetcher;
import dev.sigstream.notary.revocation.OcspCrlRevocationChecker;
import dev.sigstream.testing.pki.Ca;
import dev.sigstream.testing.pki.KeyType;
import dev.sigstream.testing.pki.TestPki;
import dev.sigstream.testing.pki.Tsa;
import dev.sigstream.testing.pki.TsaSpec;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * {@link HttpTsaClient} and {@link BcTimestampVerifier} end to end against the test PKI's loopback TSA, with the real
 * OCSP/CRL checker for the TSA chain (purpose TIMESTAMPING).
 */
@Tag("integration")
@Timeout(60)
class HttpTsaClientIT {

  static final Instant NOW = Instant.parse("2026-01-01T00:00:00Z");
  static final Clock CLOCK = Clock.fixed(NOW, ZoneOffset.UTC);
  static final byte[] SIGNATURE = "raw signature bytes".getBytes(StandardCharsets.UTF_8);

  static TestPki pki;
  static Tsa tsa;

  @BeforeAll
  static void start() {
    pki = TestPki.start(CLOCK);
    tsa = pki.tsa(TsaSpec.defaults().keyType(KeyType.EC_P384));
  }

  @AfterAll
  static void stop() {
    pki.close();
  }

  @AfterEach
  void reset() {
    tsa.behaviour(Tsa.Behaviour.NORMAL);
    tsa.ca().ocspBehaviour(Ca.OcspBehaviour.NORMAL);
    tsa.ca().crlBehaviour(Ca.CrlBehaviour.NORMAL);
    tsa.ca().unrevoke(tsa.tsaCertificate().certificate());
  }

  static byte[] sha256(final byte[] data) throws Exception {
    return MessageDigest.getInstance("SHA-256").digest(data);
  }

  BcTimestampVerifier verifier() {
    return new BcTimestampVerifier(CLOCK, new OcspCrlRevocationChecker(new HttpRevocationFetcher(), CLOCK));
  }

  @Test
  void signAndVerify_roundTrip() throws Exception {
    // Given
    final HttpTsaClient client = new HttpTsaClient(tsa.url(), Duration.ofSeconds(5));
    // When
    final byte[] token = client.timestamp(sha256(SIGNATURE), "SHA-256");
    final TimestampResult r = verifier().verify(token, SIGNATURE, "SHA-256", List.of(tsa.rootCertificate()));
    // Then
    assertThat(r.valid()).as(r.detail()).isTrue();
    assertThat(r.genTime()).isEqualTo(NOW);
    assertThat(tsa.requestCount()).isPositive();
    assertThat(tsa.ca().ocspRequestCount()).isPositive(); // the TSA leaf's status was asked for
  }

  @Test
  void verification_fails_whenTheTsaCertificateIsRevoked() throws Exception {
    final byte[] token = new HttpTsaClient(tsa.url(), Duration.ofSeconds(5)).timestamp(sha256(SIGNATURE), "SHA-256");
    tsa.ca().revoke(tsa.tsaCertificate().certificate(), NOW.minusSeconds(10));
    final TimestampResult r = verifier().verify(token, SIGNATURE, "SHA-256", List.of(tsa.rootCertificate()));
    assertThat(r.valid()).isFalse();
    assertThat(r.reason()).isEqualTo(ReasonCode.CERT_REVOKED);
  }

  @Test
  void verification_fails_whenTsaRevocationIsUnavailable() throws Exception {
    final byte[] token = new HttpTsaClient(tsa.url(), Duration.ofSeconds(5)).timestamp(sha256(SIGNATURE), "SHA-256");
    tsa.ca().ocspBehaviour(Ca.OcspBehaviour.DOWN);
    tsa.ca().crlBehaviour(Ca.CrlBehaviour.DOWN);
    final TimestampResult r = verifier().verify(token, SIGNATURE, "SHA-256", List.of(tsa.rootCertificate()));
    assertThat(r.valid()).isFalse();
    assertThat(r.reason()).isEqualTo(ReasonCode.REVOCATION_UNKNOWN);
  }

  @Test
  void client_rejectsResponsesThatDoNotMatchTheRequest() throws Exception {
    final HttpTsaClient client = new HttpTsaClient(tsa.url(), Duration.ofSeconds(5));
    final byte[] imprint = sha256(SIGNATURE);
    for (final Tsa.Behaviour b : List.of(Tsa.Behaviour.WRONG_NONCE, Tsa.Behaviour.WRONG_IMPRINT,
        Tsa.Behaviour.REJECT, Tsa.Behaviour.DOWN, Tsa.Behaviour.MALFORMED, Tsa.Behaviour.OVERSIZED)) {
      tsa.behaviour(b);
      assertThatThrownBy(() -> client.timestamp(imprint, "SHA-256")).as(b.name()).isInstanceOf(IOException.class);
    }
    tsa.behaviour(Tsa.Behaviour.OVERSIZED);
    assertThatThrownBy(() -> client.timestamp(imprint, "SHA-256")).hasMessageContaining("larger than");
  }

  @Test
  void client_rejectsTokensWithoutCertificates() throws Exception {
    final Tsa noCerts = pki.tsa(TsaSpec.defaults().keyType(KeyType.EC_P256).includeCertificates(false));
    assertThatThrownBy(() -> new HttpTsaClient(noCerts.url(), Duration.ofSeconds(5))
        .timestamp(sha256(SIGNATURE), "SHA-256"))
        .isInstanceOf(IOException.class).hasMessageContaining("certificate");
  }

  @Test
  void client_failsWithinItsTimeout_whenNothingListens() {
    assertThatThrownBy(() -> new HttpTsaClient(URI.create("http://127.0.0.1:1/tsa"), Duration.ofSeconds(2))
        .timestamp(sha256(SIGNATURE), "SHA-256")).isInstanceOf(IOException.class);
  }

  @Test
  void client_refusesBadArguments() {
    final HttpTsaClient client = new HttpTsaClient(tsa.url(), Duration.ofSeconds(5));
    assertThatThrownBy(() -> client.timestamp(new byte[20], "SHA-1")).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> client.timestamp(new byte[20], "SHA-256")).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new HttpTsaClient(URI.create("ftp://x/"), Duration.ofSeconds(1)))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void client_supportsSha384AndSha512() throws Exception {
    final HttpTsaClient client = new HttpTsaClient(tsa.url(), Duration.ofSeconds(5));
    for (final String hash : List.of("SHA-384", "SHA-512")) {
      final byte[] token = client.timestamp(MessageDigest.getInstance(hash).digest(SIGNATURE), hash);
      final TimestampResult r = verifier().verify(token, SIGNATURE, hash, List.of(tsa.rootCertificate()));
      assertThat(r.valid()).as(r.detail()).isTrue();
    }
  }

  @Test
  void threeCertificateTsaChain_verifies_andARevokedIntermediateFails() throws Exception {
    // Given: root → TSA CA → TSA leaf, like public TSAs
    final Tsa t = pki.tsa(TsaSpec.defaults().keyType(KeyType.EC_P256).withIntermediate(true));
    final byte[] token = new HttpTsaClient(t.url(), Duration.ofSeconds(5)).timestamp(sha256(SIGNATURE), "SHA-256");
    // When / Then
    final TimestampResult ok = verifier().verify(token, SIGNATURE, "SHA-256", List.of(t.rootCertificate()));
    assertThat(ok.valid()).as(ok.detail()).isTrue();
    assertThat(ok.tsaChain()).hasSize(3);
    t.rootCa().revoke(t.ca().certificate(), NOW.minusSeconds(1));
    final TimestampResult revoked = verifier().verify(token, SIGNATURE, "SHA-256", List.of(t.rootCertificate()));
    assertThat(revoked.valid()).isFalse();
    assertThat(revoked.reason()).isEqualTo(ReasonCode.CERT_REVOKED);
    assertThat(revoked.detail()).contains("certificate #2");
  }
}
