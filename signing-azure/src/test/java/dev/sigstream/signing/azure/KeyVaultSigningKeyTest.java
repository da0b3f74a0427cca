package dev.sigstream.signing.azure;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.matchingJsonPath;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.github.tomakehurst.wiremock.stubbing.Scenario;
import dev.sigstream.notary.VerificationResult;
import dev.sigstream.notary.VerificationResult.Outcome;
import dev.sigstream.notary.envelope.SignatureAlgorithm;
import dev.sigstream.notary.sign.EnvelopeFormat;
import dev.sigstream.notary.sign.SignedEnvelope;
import dev.sigstream.notary.sign.SigningException;
import dev.sigstream.notary.sign.SigningKeyException;
import dev.sigstream.notary.sign.SigningKeyException.Reason;
import dev.sigstream.testing.pki.CertSpec;
import dev.sigstream.testing.pki.Issued;
import dev.sigstream.testing.pki.KeyType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * {@link KeyVaultSigningKey} through the real Azure SDK against {@link FakeKeyVault}: the SDK's challenge, bearer
 * token, api-version and request bodies are checked by the fake's stubs, the signatures are real, and every envelope
 * is decided by the project's own verifier.
 */
@Timeout(120)
class KeyVaultSigningKeyTest {

  @TempDir
  static Path tmp;
  static LoopbackTls tls;
  static OfflineTrust trust;
  static final Map<KeyType, Issued> LEAVES = new EnumMap<>(KeyType.class);

  FakeKeyVault vault;
  LoopbackTls.FixedCredential credential;

  @BeforeAll
  static void pki() throws Exception {
    tls = LoopbackTls.create(tmp);
    trust = new OfflineTrust();
    for (final KeyType k : KeyType.values()) {
      LEAVES.put(k, trust.intermediate.leaf(CertSpec.leaf(OfflineTrust.SUBJECT).keyType(k)));
    }
  }

  @AfterAll
  static void close() {
    trust.close();
  }

  @BeforeEach
  void vault() {
    vault = new FakeKeyVault(tls);
    credential = new LoopbackTls.FixedCredential(FakeKeyVault.TOKEN);
  }

  @org.junit.jupiter.api.AfterEach
  void stop() {
    vault.close();
  }

  static Stream<Arguments> keysAndFormats() {
    final List<Arguments> a = new ArrayList<>();
    for (final KeyType k : KeyType.values()) {
      for (final EnvelopeFormat f : EnvelopeFormat.values()) {
        a.add(Arguments.of(k, f));
      }
    }
    return a.stream();
  }

  @ParameterizedTest(name = "{0} {1}")
  @MethodSource("keysAndFormats")
  void signatureThroughKeyVault_verifies(final KeyType type, final EnvelopeFormat format) throws Exception {
    // Given: the vault holds the key and its leaf certificate; the issuers come from a file
    final Issued leaf = LEAVES.get(type);
    final String alg = SignatureAlgorithm.forKey(leaf.publicKey()).orElseThrow().jwsName();
    vault.addKey("signer", "v1", leaf.privateKey(), leaf.certificate(), alg);
    final Path issuers = pem("issuers.pem", leaf.chain().subList(1, leaf.chain().size()));
    final KeyVaultSigningKey key = KeyVaultSigningKey.open(vault.keyId("signer", "v1"), issuers, connection());

    // When
    final SignedEnvelope env = trust.sign(key, format, true);
    final VerificationResult r = trust.verify(env);

    // Then
    assertThat(key.certificateChain()).isEqualTo(leaf.chain());
    assertThat(r.outcome()).as(r.toString()).isEqualTo(Outcome.PASS);
    assertThat(credential.scopes).containsOnly("https://vault.azure.net/.default");
    vault.server.verify(1, postRequestedFor(urlPathEqualTo("/keys/signer/v1/sign"))
        .withRequestBody(matchingJsonPath("$.alg", equalTo(alg))));
  }

  @Test
  void wholeChainFromFile_andATimestamp_verify() throws Exception {
    // Given
    final Issued leaf = LEAVES.get(KeyType.RSA_3072);
    vault.addKey("rsa", "abc123", leaf.privateKey(), leaf.certificate(), "PS384");
    final KeyVaultSigningKey key = KeyVaultSigningKey.open(vault.keyId("rsa", "abc123"),
        pem("chain.pem", leaf.chain()), connection());
    // When
    final SignedEnvelope env = trust.sign(key, EnvelopeFormat.COSE, true);
    // Then
    final VerificationResult r = trust.verify(env);
    assertThat(r.outcome()).as(r.toString()).isEqualTo(Outcome.PASS);
    assertThat(r.signatures().get(0).timestamp()).isEqualTo(OfflineTrust.NOW);
  }

  @Test
  void caIssuedLeafWithoutIssuers_isAConfigurationError_namingTheFix() throws Exception {
    final Issued leaf = LEAVES.get(KeyType.EC_P256);
    vault.addKey("signer", "v1", leaf.privateKey(), leaf.certificate(), "ES256");
    assertThatThrownBy(() -> KeyVaultSigningKey.open(vault.keyId("signer", "v1"), null, connection()))
        .isInstanceOfSatisfying(SigningKeyException.class, e -> {
          assertThat(e.reason()).isEqualTo(Reason.CONFIGURATION);
          assertThat(e.reason().configuration()).isTrue();
          assertThat(e.getMessage()).contains("only the leaf").contains("--cert-chain");
        });
  }

  @Test
  void selfSignedLeafInTheVault_needsNoFile() throws Exception {
    final Issued self = trust.pki.selfSignedLeaf(CertSpec.leaf(OfflineTrust.SUBJECT).keyType(KeyType.EC_P384));
    vault.addKey("self", "v2", self.privateKey(), self.certificate(), "ES384");
    final KeyVaultSigningKey key = KeyVaultSigningKey.open(vault.keyId("self", "v2"), null, connection());
    assertThat(key.certificateChain()).containsExactly(self.certificate());
  }

  @Test
  void chainFileOfAnotherKey_isRejectedBeforeSigning() throws Exception {
    final Issued leaf = LEAVES.get(KeyType.EC_P256);
    final Issued other = trust.intermediate.leaf(CertSpec.leaf(OfflineTrust.SUBJECT).keyType(KeyType.EC_P256));
    vault.addKey("signer", "v1", leaf.privateKey(), leaf.certificate(), "ES256");
    assertThatThrownBy(() -> KeyVaultSigningKey.open(vault.keyId("signer", "v1"), pem("c.pem", other.chain()),
        connection()))
        .isInstanceOfSatisfying(SigningKeyException.class, e ->
            assertThat(e.getMessage()).contains("does not hold the public key"));
  }

  @Test
  void throttled_honoursRetryAfter_thenSigns() throws Exception {
    // Given: two 429s with Retry-After: 1, then the real answer
    final Issued leaf = LEAVES.get(KeyType.EC_P256);
    vault.addKey("signer", "v1", leaf.privateKey(), leaf.certificate(), "ES256");
    final KeyVaultSigningKey key = KeyVaultSigningKey.open(vault.keyId("signer", "v1"),
        pem("i.pem", leaf.chain().subList(1, 3)), connection());
    vault.server.stubFor(post(urlPathEqualTo("/keys/signer/v1/sign")).atPriority(2)
        .withHeader("Authorization", equalTo("Bearer " + FakeKeyVault.TOKEN))
        .inScenario("throttle").whenScenarioStateIs(Scenario.STARTED).willSetStateTo("once")
        .willReturn(throttled()));
    vault.server.stubFor(post(urlPathEqualTo("/keys/signer/v1/sign")).atPriority(2)
        .withHeader("Authorization", equalTo("Bearer " + FakeKeyVault.TOKEN))
        .inScenario("throttle").whenScenarioStateIs("once").willSetStateTo("done")
        .willReturn(throttled()));
    // When
    final long t0 = System.nanoTime();
    final SignedEnvelope env = trust.sign(key, EnvelopeFormat.JWS, true);
    final Duration took = Duration.ofNanos(System.nanoTime() - t0);
    // Then: waited the two seconds the service asked for (backoff alone would be 20 ms + 40 ms)
    assertThat(took).isGreaterThanOrEqualTo(Duration.ofMillis(1900));
    assertThat(trust.verify(env).outcome()).isEqualTo(Outcome.PASS);
    vault.server.verify(3, postRequestedFor(urlPathEqualTo("/keys/signer/v1/sign"))
        .withHeader("Authorization", equalTo("Bearer " + FakeKeyVault.TOKEN)));
  }

  @Test
  void alwaysThrottled_failsAsAServiceFault() throws Exception {
    final KeyVaultSigningKey key = openEc();
    vault.server.stubFor(post(urlPathEqualTo("/keys/signer/v1/sign")).atPriority(2)
        .withHeader("Authorization", equalTo("Bearer " + FakeKeyVault.TOKEN))
        .willReturn(aResponse().withStatus(429).withHeader("Retry-After", "0")
            .withHeader("Content-Type", "application/json")
            .withBody("{\"error\":{\"code\":\"Throttled\",\"message\":\"Request was not processed\"}}")));
    assertThatThrownBy(() -> trust.sign(key, EnvelopeFormat.JWS, false))
        .isInstanceOf(SigningException.class)
        .satisfies(e -> {
          final SigningKeyException k = SigningKeyException.find(e);
          assertThat(k.reason()).isEqualTo(Reason.THROTTLED);
          assertThat(k.reason().configuration()).isFalse();
          assertThat(k.getMessage()).contains("HTTP 429").contains("Retry-After").doesNotContain(FakeKeyVault.TOKEN);
        });
    // The first try and three retries.
    vault.server.verify(4, postRequestedFor(urlPathEqualTo("/keys/signer/v1/sign"))
        .withHeader("Authorization", equalTo("Bearer " + FakeKeyVault.TOKEN)));
  }

  @Test
  void forbidden_isAPermissionError_namingTheRole() throws Exception {
    final KeyVaultSigningKey key = openEc();
    vault.server.stubFor(post(urlPathMatching("/keys/signer/v1/sign")).atPriority(2)
        .withHeader("Authorization", equalTo("Bearer " + FakeKeyVault.TOKEN))
        .willReturn(FakeKeyVault.json(403, "{\"error\":{\"code\":\"Forbidden\",\"message\":\"The user, group or"
            + " application does not have keys sign permission\",\"innererror\":{\"code\":\"ForbiddenByRbac\"}}}")));
    assertThatThrownBy(() -> trust.sign(key, EnvelopeFormat.COSE, false))
        .satisfies(e -> {
          final SigningKeyException k = SigningKeyException.find(e);
          assertThat(k.reason()).isEqualTo(Reason.PERMISSION_DENIED);
          assertThat(k.reason().configuration()).isTrue();
          assertThat(k.getMessage()).contains("HTTP 403").contains("Key Vault Crypto User");
        });
  }

  @Test
  void noAnswerInTime_timesOut() throws Exception {
    final Issued leaf = LEAVES.get(KeyType.EC_P256);
    vault.addKey("signer", "v1", leaf.privateKey(), leaf.certificate(), "ES256");
    final KeyVaultSigningKey key = KeyVaultSigningKey.open(vault.keyId("signer", "v1"),
        pem("i.pem", leaf.chain().subList(1, 3)),
        tls.connection(credential, Duration.ofMillis(700)));
    vault.server.stubFor(post(urlPathEqualTo("/keys/signer/v1/sign")).atPriority(2)
        .withHeader("Authorization", equalTo("Bearer " + FakeKeyVault.TOKEN))
        .willReturn(FakeKeyVault.json(200, "{}").withFixedDelay(3000)));
    assertThatThrownBy(() -> trust.sign(key, EnvelopeFormat.JWS, false))
        .satisfies(e -> assertThat(SigningKeyException.find(e).reason()).isEqualTo(Reason.TIMED_OUT));
  }

  @Test
  void unknownKey_andUnsupportedKeys_areConfigurationErrors() throws Exception {
    assertThatThrownBy(() -> KeyVaultSigningKey.open(vault.keyId("missing", "v1"), null, connection()))
        .isInstanceOfSatisfying(SigningKeyException.class, e -> assertThat(e.reason()).isEqualTo(Reason.NOT_FOUND));
    assertThatThrownBy(() -> KeyVaultSigningKey.open("http://vault.example/keys/x", null, connection()))
        .isInstanceOfSatisfying(SigningKeyException.class, e ->
            assertThat(e.getMessage()).contains("not a Key Vault key id"));
    // An RSA-1024 key: no Notary algorithm.
    final java.security.KeyPairGenerator g = java.security.KeyPairGenerator.getInstance("RSA");
    g.initialize(1024);
    final java.security.KeyPair small = g.generateKeyPair();
    final Issued weak = trust.pki.selfSignedLeaf(CertSpec.leaf(OfflineTrust.SUBJECT).keyType(KeyType.RSA_2048)
        .keyPair(small));
    vault.addKey("weak", "v1", small.getPrivate(), weak.certificate(), "PS256");
    assertThatThrownBy(() -> KeyVaultSigningKey.open(vault.keyId("weak", "v1"), null, connection()))
        .isInstanceOfSatisfying(SigningKeyException.class, e -> {
          assertThat(e.reason()).isEqualTo(Reason.KEY_UNSUPPORTED);
          assertThat(e.getMessage()).contains("1024-bit");
        });
  }

  private KeyVaultSigningKey openEc() throws Exception {
    final Issued leaf = LEAVES.get(KeyType.EC_P256);
    vault.addKey("signer", "v1", leaf.privateKey(), leaf.certificate(), "ES256");
    return KeyVaultSigningKey.open(vault.keyId("signer", "v1"), pem("i.pem", leaf.chain().subList(1, 3)),
        connection());
  }

  private static com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder throttled() {
    return aResponse().withStatus(429).withHeader("Retry-After", "1").withHeader("Content-Type", "application/json")
        .withBody("{\"error\":{\"code\":\"Throttled\"}}");
  }

  private AzureConnection connection() {
    return tls.connection(credential, Duration.ofSeconds(20));
  }

  static Path pem(final String name, final List<java.security.cert.X509Certificate> certs) throws Exception {
    final StringBuilder b = new StringBuilder();
    for (final var c : certs) {
      b.append("-----BEGIN CERTIFICATE-----\n")
          .append(java.util.Base64.getMimeEncoder(64, "\n".getBytes()).encodeToString(c.getEncoded()))
          .append("\n-----END CERTIFICATE-----\n");
    }
    final Path p = Files.createTempFile(tmp, name, ".pem");
    Files.writeString(p, b);
    return p;
  }
}
