package dev.sigstream.notary.sign;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sigstream.notary.NotaryVerifier;
import dev.sigstream.notary.SignatureCandidate;
import dev.sigstream.notary.TargetDescriptor;
import dev.sigstream.notary.VerificationResult;
import dev.sigstream.notary.VerificationResult.Outcome;
import dev.sigstream.notary.envelope.SigningScheme;
import dev.sigstream.notary.policy.TrustPolicyDocument;
import dev.sigstream.notary.revocation.OcspCrlRevocationChecker;
import dev.sigstream.notary.revocation.RevocationFetcher;
import dev.sigstream.notary.timestamp.BcTimestampVerifier;
import dev.sigstream.notary.truststore.TrustStore;
import dev.sigstream.notary.truststore.TrustStoreType;
import dev.sigstream.testing.MutableClock;
import dev.sigstream.testing.hsm.SoftHsm;
import dev.sigstream.testing.pki.Ca;
import dev.sigstream.testing.pki.CertSpec;
import dev.sigstream.testing.pki.Issued;
import dev.sigstream.testing.pki.KeyType;
import dev.sigstream.testing.pki.TestPki;
import dev.sigstream.testing.pki.Tsa;
import dev.sigstream.testing.pki.TsaSpec;
import java.io.IOException;
import java.net.URI;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.Provider;
import java.security.Security;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * PKCS#11 signing against a real token (SoftHSM 2): keys are generated inside the token (sensitive, not
 * extractable), their certificates are stored beside them, and {@link Pkcs11SigningKeys#open} signs through the
 * JDK's SunPKCS11 provider. Every envelope, JWS and COSE, must pass the project's own verifier.
 */
@Tag("integration")
@Timeout(180)
class Pkcs11SigningKeysIT {

  static final String PIN = "4711";
  static final Instant NOW = Instant.parse("2026-03-01T00:00:00Z");
  static final String SUBJECT = "CN=hsm signer,OU=Build,O=Sigstream,ST=WA,C=US";
  static final TargetDescriptor TARGET = new TargetDescriptor("application/vnd.oci.image.manifest.v1+json",
      "sha256:" + "ef".repeat(32), 999);
  static final List<KeyType> TYPES = List.of(KeyType.RSA_2048, KeyType.RSA_3072, KeyType.RSA_4096, KeyType.EC_P256,
      KeyType.EC_P384, KeyType.EC_P521);

  static SoftHsm.Token token;
  /** Never logged in to: PKCS#11 logins are per token and process, so a wrong PIN is only refused before one. */
  static SoftHsm.Token untouched;
  static MutableClock clock;
  static TestPki pki;
  static Ca intermediate;
  static Tsa tsa;
  static NotaryVerifier verifier;

  @BeforeAll
  static void token() throws Exception {
    token = SoftHsm.initToken("sigstream-notary-" + ProcessHandle.current().pid(), PIN);
    untouched = SoftHsm.initToken("sigstream-pin-" + ProcessHandle.current().pid(), PIN);
    clock = new MutableClock(NOW);
    pki = TestPki.offline(clock);
    final Ca root = pki.root("CN=HSM Test Root,O=Sigstream,C=US", KeyType.EC_P384);
    intermediate = root.intermediate("CN=HSM Test CA,O=Sigstream,C=US", KeyType.EC_P256);
    tsa = pki.tsa(TsaSpec.defaults().keyType(KeyType.EC_P256));
    final RevocationFetcher inProcess = new RevocationFetcher() {
      @Override
      public byte[] fetchCrl(final URI uri) throws IOException {
        return pki.crl(uri);
      }

      @Override
      public byte[] ocsp(final URI responder, final byte[] request) throws IOException {
        return pki.ocsp(responder, request);
      }
    };
    verifier = NotaryVerifier.builder()
        .trustPolicy(TrustPolicyDocument.parse("{\"version\":\"1.0\",\"trustPolicies\":[{\"name\":\"hsm\","
            + "\"registryScopes\":[\"*\"],\"signatureVerification\":{\"level\":\"strict\"},"
            + "\"trustStores\":[\"ca:hsm\",\"tsa:hsm\"],"
            + "\"trustedIdentities\":[\"x509.subject:C=US,ST=WA,O=Sigstream,OU=Build\"]}]}"))
        .trustStore(TrustStore.of(Map.of(TrustStoreType.CA, Map.of("hsm", List.of(root.certificate())),
            TrustStoreType.TSA, Map.of("hsm", List.of(tsa.rootCertificate())))))
        .clock(clock)
        .revocationChecker(new OcspCrlRevocationChecker(inProcess, clock))
        .timestampVerifier(new BcTimestampVerifier(clock, new OcspCrlRevocationChecker(inProcess, clock)))
        .build();
    // Keys generated in the token, one per type, each stored with its chain under the type's name.
    final Provider p = Security.getProvider("SunPKCS11").configure("--" + token.sunPkcs11Config());
    final KeyStore ks = KeyStore.getInstance("PKCS11", p);
    ks.load(null, PIN.toCharArray());
    for (final KeyType t : TYPES) {
      final KeyPairGenerator g = KeyPairGenerator.getInstance(t.algorithm(), p);
      if (t.algorithm().equals("EC")) {
        g.initialize(new ECGenParameterSpec(t == KeyType.EC_P256 ? "secp256r1" : t == KeyType.EC_P384 ? "secp384r1"
            : "secp521r1"));
      } else {
        g.initialize(t.bits());
      }
      final KeyPair kp = g.generateKeyPair();
      final Issued leaf = intermediate.leaf(CertSpec.leaf(SUBJECT).keyType(t).keyPair(kp));
      ks.setKeyEntry(t.name(), kp.getPrivate(), null, leaf.chain().toArray(new X509Certificate[0]));
    }
  }

  @AfterAll
  static void close() {
    pki.close();
  }

  static Stream<Arguments> typesAndFormats() {
    final List<Arguments> a = new ArrayList<>();
    for (final KeyType t : TYPES) {
      for (final EnvelopeFormat f : EnvelopeFormat.values()) {
        a.add(Arguments.of(t, f));
      }
    }
    return a.stream();
  }

  @ParameterizedTest(name = "{0} {1}")
  @MethodSource("typesAndFormats")
  void keyInTheToken_signs_andTheEnvelopeVerifies(final KeyType type, final EnvelopeFormat format) throws Exception {
    // Given: the key and its chain as stored in the token
    final LocalSigningKey key = Pkcs11SigningKeys.open(token.sunPkcs11Config(), type.name(), PIN.toCharArray(), null);
    // When
    final SignedEnvelope env = NotarySigner.create(key, clock, tsa::timestamp, NotarySigner.DEFAULT_SIGNING_AGENT)
        .sign(new SignRequest(TARGET, format, SigningScheme.X509, null, Map.of(), true));
    final VerificationResult r = verifier.verify("registry.example/app@" + TARGET.digest(), TARGET,
        List.of(new SignatureCandidate(env.mediaType(), env.envelope())), Map.of());
    // Then
    assertThat(r.outcome()).as(r.toString()).isEqualTo(Outcome.PASS);
    assertThat(key.certificateChain()).hasSize(3);
    assertThat(key.certificateChain().get(0).getSubjectX500Principal().getName()).contains("CN=hsm signer");
  }

  @Test
  void theKeyStaysInTheToken() throws Exception {
    final Provider p = Security.getProvider("SunPKCS11").configure("--" + token.sunPkcs11Config());
    final KeyStore ks = KeyStore.getInstance("PKCS11", p);
    ks.load(null, PIN.toCharArray());
    final PrivateKey k = (PrivateKey) ks.getKey(KeyType.EC_P256.name(), null);
    assertThat(k.getEncoded()).as("a sensitive token key has no encoding outside the token").isNull();
  }

  @Test
  void wrongPin_isAPermissionError() {
    assertThatThrownBy(() -> Pkcs11SigningKeys.open(untouched.sunPkcs11Config(), null, "0000".toCharArray(), null))
        .isInstanceOfSatisfying(SigningKeyException.class, e -> {
          assertThat(e.reason()).isEqualTo(SigningKeyException.Reason.PERMISSION_DENIED);
          assertThat(e.getMessage()).contains("PIN");
        });
  }

  @Test
  void severalKeysWithoutAnAlias_andAnUnknownAlias_areConfigurationErrors() {
    assertThatThrownBy(() -> Pkcs11SigningKeys.open(token.sunPkcs11Config(), null, PIN.toCharArray(), null))
        .isInstanceOfSatisfying(SigningKeyException.class, e -> assertThat(e.getMessage()).contains("--key-alias"));
    assertThatThrownBy(() -> Pkcs11SigningKeys.open(token.sunPkcs11Config(), "nope", PIN.toCharArray(), null))
        .isInstanceOfSatisfying(SigningKeyException.class, e ->
            assertThat(e.reason()).isEqualTo(SigningKeyException.Reason.NOT_FOUND));
  }
}
