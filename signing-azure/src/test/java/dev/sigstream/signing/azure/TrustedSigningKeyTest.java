package dev.sigstream.signing.azure;

import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.matchingJsonPath;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.github.tomakehurst.wiremock.client.WireMock;
import dev.sigstream.notary.VerificationResult;
import dev.sigstream.notary.VerificationResult.Outcome;
import dev.sigstream.notary.sign.EnvelopeFormat;
import dev.sigstream.notary.sign.SignedEnvelope;
import dev.sigstream.notary.sign.SigningException;
import dev.sigstream.notary.sign.SigningKeyException;
import dev.sigstream.notary.sign.SigningKeyException.Reason;
import dev.sigstream.testing.pki.CertSpec;
import dev.sigstream.testing.pki.Issued;
import dev.sigstream.testing.pki.KeyType;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * {@link TrustedSigningKey} against {@link FakeTrustedSigning}: submit, poll, read signature and short-lived chain;
 * every envelope carries a timestamp from the test TSA and is decided by the project's own verifier.
 */
@Timeout(120)
class TrustedSigningKeyTest {

  @TempDir
  static Path tmp;
  static LoopbackTls tls;
  static OfflineTrust trust;
  static final Map<KeyType, Issued> LEAVES = new EnumMap<>(KeyType.class);

  FakeTrustedSigning service;
  LoopbackTls.FixedCredential credential;

  @BeforeAll
  static void pki() throws Exception {
    tls = LoopbackTls.create(tmp);
    trust = new OfflineTrust();
    for (final KeyType k : List.of(KeyType.RSA_2048, KeyType.RSA_3072, KeyType.RSA_4096)) {
      LEAVES.put(k, trust.intermediate.leaf(CertSpec.leaf(OfflineTrust.SUBJECT).keyType(k)));
    }
  }

  @AfterAll
  static void close() {
    trust.close();
  }

  @BeforeEach
  void start() {
    service = new FakeTrustedSigning(tls);
    credential = new LoopbackTls.FixedCredential(FakeTrustedSigning.TOKEN);
  }

  @AfterEach
  void stop() {
    service.close();
  }

  static Stream<Arguments> rsaKeysAndFormats() {
    final List<Arguments> a = new ArrayList<>();
    for (final KeyType k : List.of(KeyType.RSA_2048, KeyType.RSA_3072, KeyType.RSA_4096)) {
      for (final EnvelopeFormat f : EnvelopeFormat.values()) {
        a.add(Arguments.of(k, f));
      }
    }
    return a.stream();
  }

  @ParameterizedTest(name = "{0} {1}")
  @MethodSource("rsaKeysAndFormats")
  void signatureThroughTrustedSigning_isTimestamped_andVerifies(final KeyType type, final EnvelopeFormat format)
      throws Exception {
    // Given
    final Issued leaf = LEAVES.get(type);
    service.profile(leaf.privateKey(), leaf.chain());
    final TrustedSigningKey key = open(Duration.ofSeconds(20));
    // When
    final SignedEnvelope env = trust.sign(key, format, true);
    final VerificationResult r = trust.verify(env);
    // Then
    assertThat(key.certificateChain()).isEqualTo(leaf.chain());
    assertThat(key.requiresTimestamp()).isTrue();
    assertThat(r.outcome()).as(r.toString()).isEqualTo(Outcome.PASS);
    assertThat(r.signatures().get(0).timestamp()).isEqualTo(OfflineTrust.NOW);
    assertThat(credential.scopes).containsOnly("https://codesigning.azure.net/.default");
    // The chain read once; one signature, polled twice (InProgress, then Succeeded).
    final String alg = "PS" + (type == KeyType.RSA_2048 ? 256 : type == KeyType.RSA_3072 ? 384 : 512);
    service.server.verify(1, getRequestedFor(urlPathEqualTo(service.base + "/certchain")));
    service.server.verify(1, postRequestedFor(urlPathEqualTo(service.base))
        .withRequestBody(matchingJsonPath("$.signatureAlgorithm", equalTo(alg))));
    service.server.verify(1, postRequestedFor(urlPathEqualTo(service.base)));
    service.server.verify(2, getRequestedFor(urlPathMatching(service.base + "/[0-9a-f-]{36}")));
  }

  @Test
  void withoutTheCertchainOperation_aProbeSignatureTellsTheChain() throws Exception {
    final Issued leaf = LEAVES.get(KeyType.RSA_3072);
    service.profile(leaf.privateKey(), leaf.chain());
    service.certchainSupported = false;
    final TrustedSigningKey key = open(Duration.ofSeconds(20));
    final VerificationResult r = trust.verify(trust.sign(key, EnvelopeFormat.JWS, true));
    assertThat(key.certificateChain()).isEqualTo(leaf.chain());
    assertThat(r.outcome()).as(r.toString()).isEqualTo(Outcome.PASS);
    // The probe (PS256) and the real signature (PS384).
    service.server.verify(1, postRequestedFor(urlPathEqualTo(service.base))
        .withRequestBody(matchingJsonPath("$.signatureAlgorithm", equalTo("PS256"))));
    service.server.verify(2, postRequestedFor(urlPathEqualTo(service.base)));
  }

  @Test
  void withoutATimestamp_signingIsRefused() throws Exception {
    final Issued leaf = LEAVES.get(KeyType.RSA_3072);
    service.profile(leaf.privateKey(), leaf.chain());
    final TrustedSigningKey key = open(Duration.ofSeconds(20));
    assertThatThrownBy(() -> trust.sign(key, EnvelopeFormat.JWS, false))
        .isInstanceOf(SigningException.class).hasMessageContaining("timestamp");
    // Refused before the service was asked to sign.
    assertThat(service.submits.get()).isZero();
  }

  @Test
  void forbidden_isAPermissionError_namingTheRole() {
    service.server.stubFor(WireMock.any(WireMock.anyUrl()).atPriority(1)
        .willReturn(WireMock.aResponse().withStatus(403).withBody("{\"error\":{\"code\":\"Forbidden\"}}")));
    assertThatThrownBy(() -> open(Duration.ofSeconds(20)))
        .isInstanceOfSatisfying(SigningKeyException.class, e -> {
          assertThat(e.reason()).isEqualTo(Reason.PERMISSION_DENIED);
          assertThat(e.getMessage()).contains("HTTP 403").contains("Trusted Signing Certificate Profile Signer")
              .doesNotContain(FakeTrustedSigning.TOKEN);
        });
  }

  @Test
  void throttledSubmit_honoursRetryAfter_thenAlwaysThrottled_isAServiceFault() throws Exception {
    final Issued leaf = LEAVES.get(KeyType.RSA_3072);
    service.profile(leaf.privateKey(), leaf.chain());
    service.server.stubFor(post(urlPathEqualTo(service.base)).atPriority(1)
        .willReturn(WireMock.aResponse().withStatus(429).withHeader("Retry-After", "1")));
    final TrustedSigningKey key = open(Duration.ofSeconds(20));
    final long t0 = System.nanoTime();
    assertThatThrownBy(() -> trust.sign(key, EnvelopeFormat.JWS, true))
        .satisfies(e -> {
          final SigningKeyException k = SigningKeyException.find(e);
          assertThat(k.reason()).isEqualTo(Reason.THROTTLED);
          assertThat(k.reason().configuration()).isFalse();
        });
    // Three retries, each after the second the service asked for.
    assertThat(Duration.ofNanos(System.nanoTime() - t0)).isGreaterThanOrEqualTo(Duration.ofMillis(2900));
    service.server.verify(4, postRequestedFor(urlPathEqualTo(service.base)));
  }

  @Test
  void operationThatNeverFinishes_timesOut() throws Exception {
    final Issued leaf = LEAVES.get(KeyType.RSA_2048);
    service.profile(leaf.privateKey(), leaf.chain());
    service.pollsBeforeDone = Integer.MAX_VALUE;
    final TrustedSigningKey key = open(Duration.ofSeconds(3));
    assertThatThrownBy(() -> trust.sign(key, EnvelopeFormat.JWS, true))
        .satisfies(e -> {
          final SigningKeyException k = SigningKeyException.find(e);
          assertThat(k.reason()).isEqualTo(Reason.TIMED_OUT);
          assertThat(k.getMessage()).contains("3 s");
        });
  }

  @Test
  void failedOperation_isAServiceError() {
    service.server.stubFor(WireMock.get(urlPathMatching(service.base + "/[0-9a-f-]{36}")).atPriority(1)
        .willReturn(FakeKeyVault.json(200, "{\"operationId\":\"x\",\"status\":\"Failed\","
            + "\"error\":{\"code\":\"SigningFailed\"}}")));
    final Issued leaf = LEAVES.get(KeyType.RSA_2048);
    service.profile(leaf.privateKey(), leaf.chain());
    final TrustedSigningKey key;
    try {
      key = open(Duration.ofSeconds(20));
    } catch (final SigningKeyException e) {
      throw new AssertionError(e);
    }
    assertThatThrownBy(() -> trust.sign(key, EnvelopeFormat.JWS, true))
        .satisfies(e -> {
          final SigningKeyException k = SigningKeyException.find(e);
          assertThat(k.reason()).isEqualTo(Reason.SERVICE_ERROR);
          assertThat(k.getMessage()).contains("failed").contains("SigningFailed");
        });
  }

  @Test
  void certificateRotatedBetweenProbeAndSignature_failsInsteadOfSigningWithTheWrongChain() throws Exception {
    final Issued leaf = LEAVES.get(KeyType.RSA_3072);
    service.profile(leaf.privateKey(), leaf.chain());
    final TrustedSigningKey key = open(Duration.ofSeconds(20));
    final Issued next = trust.intermediate.leaf(CertSpec.leaf(OfflineTrust.SUBJECT).keyType(KeyType.RSA_3072));
    service.profile(next.privateKey(), next.chain());
    assertThatThrownBy(() -> trust.sign(key, EnvelopeFormat.COSE, true))
        .satisfies(e -> assertThat(SigningKeyException.find(e).getMessage()).contains("new certificate"));
  }

  @Test
  void badEndpointOrNames_areConfigurationErrors() {
    final AzureConnection c = tls.connection(credential, Duration.ofSeconds(5));
    assertThatThrownBy(() -> TrustedSigningKey.open(java.net.URI.create("http://weu.codesigning.azure.net"),
        "acct", "profile1", c, Duration.ofMillis(10)))
        .isInstanceOfSatisfying(SigningKeyException.class, e -> assertThat(e.reason()).isEqualTo(Reason.CONFIGURATION));
    assertThatThrownBy(() -> TrustedSigningKey.open(service.endpoint(), "acct/../x", "profile1", c,
        Duration.ofMillis(10)))
        .isInstanceOfSatisfying(SigningKeyException.class, e -> assertThat(e.reason()).isEqualTo(Reason.CONFIGURATION));
  }

  @Test
  void chainBundle_isOrderedLeafFirst_andMustBeOneChain() throws Exception {
    final Issued leaf = LEAVES.get(KeyType.RSA_2048);
    final byte[] bundle = java.util.Base64.getDecoder().decode(FakeTrustedSigning.pkcs7(leaf.chain()));
    assertThat(TrustedSigningKey.orderChain(bundle)).isEqualTo(leaf.chain());
    final List<java.security.cert.X509Certificate> two = new ArrayList<>(leaf.chain());
    two.add(trust.tsa.tsaCertificate().certificate());
    assertThatThrownBy(() -> TrustedSigningKey.orderChain(
        java.util.Base64.getDecoder().decode(FakeTrustedSigning.pkcs7(two))))
        .isInstanceOf(java.security.cert.CertificateException.class);
  }

  private TrustedSigningKey open(final Duration timeout) throws SigningKeyException {
    return TrustedSigningKey.open(service.endpoint(), FakeTrustedSigning.ACCOUNT, FakeTrustedSigning.PROFILE,
        tls.connection(credential, timeout), Duration.ofMillis(20));
  }
}
