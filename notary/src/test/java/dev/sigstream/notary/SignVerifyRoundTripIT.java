package dev.sigstream.notary;

import static dev.sigstream.notary.Fixtures.CLOCK;
import static org.assertj.core.api.Assertions.assertThat;

import dev.sigstream.notary.CheckResult.Status;
import dev.sigstream.notary.VerificationResult.Outcome;
import dev.sigstream.notary.envelope.SigningScheme;
import dev.sigstream.notary.revocation.HttpRevocationFetcher;
import dev.sigstream.notary.revocation.OcspCrlRevocationChecker;
import dev.sigstream.notary.sign.EnvelopeFormat;
import dev.sigstream.notary.sign.LocalSigningKey;
import dev.sigstream.notary.sign.NotarySigner;
import dev.sigstream.notary.sign.SignRequest;
import dev.sigstream.notary.sign.SignatureManifest;
import dev.sigstream.notary.sign.SignedEnvelope;
import dev.sigstream.notary.timestamp.BcTimestampVerifier;
import dev.sigstream.notary.timestamp.HttpTsaClient;
import dev.sigstream.notary.truststore.TrustStore;
import dev.sigstream.notary.truststore.TrustStoreType;
import dev.sigstream.testing.pki.Ca;
import dev.sigstream.testing.pki.CertSpec;
import dev.sigstream.testing.pki.Issued;
import dev.sigstream.testing.pki.KeyType;
import dev.sigstream.testing.pki.TestPki;
import dev.sigstream.testing.pki.Tsa;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
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
 * Sign and verify round trip for JWS and COSE, every algorithm and both schemes, against the test PKI's OCSP
 * responder and TSA over loopback HTTP (real {@link HttpRevocationFetcher} and {@link HttpTsaClient}).
 */
@Tag("integration")
@Timeout(120)
class SignVerifyRoundTripIT {

  static TestPki pki;
  static Ca root;
  static Ca intermediate;
  static Tsa tsa;
  static final Map<KeyType, Issued> LEAVES = new EnumMap<>(KeyType.class);
  static NotaryVerifier verifier;

  static final String SUBJECT = "CN=signer,OU=Build,O=Sigstream,ST=WA,C=US";
  static final TargetDescriptor TARGET = new TargetDescriptor("application/vnd.oci.image.manifest.v1+json",
      "sha256:" + "ab".repeat(32), 1234);
  static final String REF = "registry.example:5000/team/app@" + TARGET.digest();

  @BeforeAll
  static void pki() {
    pki = TestPki.start(CLOCK);
    root = pki.root("CN=Round Trip Root,O=Sigstream,C=US", KeyType.EC_P384);
    intermediate = root.intermediate("CN=Round Trip CA,O=Sigstream,C=US", KeyType.EC_P256);
    tsa = pki.tsa();
    for (final KeyType k : KeyType.values()) {
      LEAVES.put(k, intermediate.leaf(CertSpec.leaf(SUBJECT).keyType(k)));
    }
    final String policy = "{\"version\":\"1.0\",\"trustPolicies\":[{\"name\":\"rt\",\"registryScopes\":[\"*\"],"
        + "\"signatureVerification\":{\"level\":\"strict\"},"
        + "\"trustStores\":[\"ca:rt\",\"signingAuthority:rt\",\"tsa:rt\"],"
        + "\"trustedIdentities\":[\"x509.subject:C=US,ST=WA,O=Sigstream,OU=Build\"]}]}";
    final TrustStore store = TrustStore.of(Map.of(
        TrustStoreType.CA, Map.of("rt", List.of(root.certificate())),
        TrustStoreType.SIGNING_AUTHORITY, Map.of("rt", List.of(root.certificate())),
        TrustStoreType.TSA, Map.of("rt", List.of(tsa.rootCertificate()))));
    final HttpRevocationFetcher fetcher = new HttpRevocationFetcher();
    verifier = Fixtures.verifier(policy, store)
        .revocationChecker(new OcspCrlRevocationChecker(fetcher, CLOCK))
        .timestampVerifier(new BcTimestampVerifier(CLOCK, new OcspCrlRevocationChecker(fetcher, CLOCK)))
        .build();
  }

  @AfterAll
  static void stop() {
    pki.close();
  }

  static Stream<Arguments> cases() {
    final List<Arguments> out = new ArrayList<>();
    for (final EnvelopeFormat f : EnvelopeFormat.values()) {
      for (final KeyType k : KeyType.values()) {
        for (final SigningScheme s : SigningScheme.values()) {
          out.add(Arguments.of(f, k, s));
        }
      }
    }
    return out.stream();
  }

  @ParameterizedTest(name = "{0} {1} {2}")
  @MethodSource("cases")
  void signedEnvelope_verifiesWithRevocationAndTimestamp(
      final EnvelopeFormat format, final KeyType keyType, final SigningScheme scheme) throws Exception {
    // Given
    final Issued leaf = LEAVES.get(keyType);
    final NotarySigner signer = NotarySigner.create(new LocalSigningKey(leaf.privateKey(), leaf.chain()), CLOCK,
        new HttpTsaClient(tsa.url(), Duration.ofSeconds(10)), NotarySigner.DEFAULT_SIGNING_AGENT);
    final boolean timestamp = scheme == SigningScheme.X509;
    final int tsaRequests = tsa.requestCount();
    // When
    final SignedEnvelope env = signer.sign(new SignRequest(TARGET, format, scheme, Duration.ofDays(30),
        Map.of("build", "42"), timestamp));
    final VerificationResult r = verifier.verify(REF, TARGET,
        List.of(new SignatureCandidate(env.mediaType(), env.envelope(), "sha256:" + "cd".repeat(32))),
        Map.of("build", "42"));
    // Then
    assertThat(r.outcome()).as(r.toString()).isEqualTo(Outcome.PASS);
    final SignatureResult s = r.signatures().get(0);
    assertThat(s.checks()).extracting(CheckResult::status).containsOnly(Status.PASSED);
    assertThat(s.checks()).extracting(CheckResult::check).contains(Check.REVOCATION, Check.AUTHENTIC_TIMESTAMP,
        Check.USER_METADATA);
    assertThat(s.signingScheme()).isEqualTo(scheme.id());
    assertThat(s.expiry()).isEqualTo(CLOCK.instant().plus(Duration.ofDays(30)));
    assertThat(s.certificateFingerprint()).isEqualTo(env.thumbprints().get(0));
    assertThat(s.timestamp() != null).isEqualTo(timestamp);
    assertThat(tsa.requestCount() > tsaRequests).isEqualTo(timestamp);
    assertThat(intermediate.ocspRequestCount()).isPositive();
    assertThat(signer.algorithm().keyBits()).isEqualTo(keyType.bits());
    // And the signature manifest
    final var m = new com.fasterxml.jackson.databind.ObjectMapper().readTree(SignatureManifest.of(TARGET, env).json());
    assertThat(m.at("/annotations").get(SignatureManifest.THUMBPRINT_ANNOTATION).asText())
        .isEqualTo(new com.fasterxml.jackson.databind.ObjectMapper().writeValueAsString(env.thumbprints()));
    assertThat(m.at("/layers").size()).isEqualTo(1);
    assertThat(m.at("/layers/0/size").asLong()).isEqualTo(env.envelope().length);
  }

  @Test
  void revokedLeaf_overHttpOcsp_failsRevocation() throws Exception {
    final Issued leaf = intermediate.leaf(CertSpec.leaf(SUBJECT).keyType(KeyType.EC_P256));
    intermediate.revoke(leaf.certificate(), CLOCK.instant().minusSeconds(60));
    final NotarySigner signer = NotarySigner.create(new LocalSigningKey(leaf.privateKey(), leaf.chain()), CLOCK,
        new HttpTsaClient(tsa.url(), Duration.ofSeconds(10)), null);
    final SignedEnvelope env = signer.sign(new SignRequest(TARGET, EnvelopeFormat.JWS, SigningScheme.X509, null,
        Map.of(), true));
    final VerificationResult r = verifier.verify(REF, TARGET,
        List.of(new SignatureCandidate(env.mediaType(), env.envelope())), Map.of());
    assertThat(r.outcome()).isEqualTo(Outcome.FAIL);
    assertThat(r.reason()).isEqualTo(ReasonCode.CERT_REVOKED);
  }

  @Test
  void ocspUnknown_overHttp_isInconclusive() throws Exception {
    final Issued leaf = intermediate.leaf(CertSpec.leaf(SUBJECT).keyType(KeyType.EC_P256).crl(false));
    intermediate.ocspBehaviour(leaf.certificate(), Ca.OcspBehaviour.UNKNOWN);
    final NotarySigner signer = NotarySigner.create(new LocalSigningKey(leaf.privateKey(), leaf.chain()), CLOCK,
        new HttpTsaClient(tsa.url(), Duration.ofSeconds(10)), null);
    final SignedEnvelope env = signer.sign(new SignRequest(TARGET, EnvelopeFormat.COSE, SigningScheme.X509, null,
        Map.of(), true));
    final VerificationResult r = verifier.verify(REF, TARGET,
        List.of(new SignatureCandidate(env.mediaType(), env.envelope())), Map.of());
    assertThat(r.outcome()).isEqualTo(Outcome.ERROR);
    assertThat(r.reason()).isEqualTo(ReasonCode.REVOCATION_UNKNOWN);
  }
}
