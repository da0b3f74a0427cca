package dev.sigstream.notary;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sigstream.notary.CheckResult.Status;
import dev.sigstream.notary.VerificationResult.Outcome;
import dev.sigstream.notary.envelope.SigningScheme;
import dev.sigstream.notary.policy.TrustPolicyDocument;
import dev.sigstream.notary.revocation.OcspCrlRevocationChecker;
import dev.sigstream.notary.revocation.RevocationFetcher;
import dev.sigstream.notary.sign.EnvelopeFormat;
import dev.sigstream.notary.sign.LocalSigningKey;
import dev.sigstream.notary.sign.NotarySigner;
import dev.sigstream.notary.sign.SignRequest;
import dev.sigstream.notary.sign.SignedEnvelope;
import dev.sigstream.notary.timestamp.BcTimestampVerifier;
import dev.sigstream.notary.truststore.TrustStore;
import dev.sigstream.notary.truststore.TrustStoreType;
import dev.sigstream.testing.MutableClock;
import dev.sigstream.testing.pki.Ca;
import dev.sigstream.testing.pki.CertSpec;
import dev.sigstream.testing.pki.Issued;
import dev.sigstream.testing.pki.KeyType;
import dev.sigstream.testing.pki.TestPki;
import dev.sigstream.testing.pki.Tsa;
import dev.sigstream.testing.pki.TsaSpec;
import java.io.IOException;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The whole verification path — envelope, chain, trust store, identity, RFC 3161 timestamp, OCSP and CRL — as plain
 * unit tests: the test PKI runs {@link TestPki#offline offline}, so certificates, OCSP responses, CRLs and timestamp
 * tokens are minted in-process on a clock the test moves, and no server or socket is involved.
 */
class OfflinePkiVerifyTest {

  static final String SUBJECT = "CN=signer,OU=Build,O=Sigstream,ST=WA,C=US";
  static final TargetDescriptor TARGET = new TargetDescriptor("application/vnd.oci.image.manifest.v1+json",
      "sha256:" + "ab".repeat(32), 1234);
  static final String REF = "registry.example/team/app@" + TARGET.digest();
  static final String POLICY = "{\"version\":\"1.0\",\"trustPolicies\":[{\"name\":\"offline\","
      + "\"registryScopes\":[\"*\"],\"signatureVerification\":{\"level\":\"strict\"},"
      + "\"trustStores\":[\"ca:offline\",\"tsa:offline\"],"
      + "\"trustedIdentities\":[\"x509.subject:C=US,ST=WA,O=Sigstream,OU=Build\"]}]}";

  MutableClock clock;
  TestPki pki;
  Ca intermediate;
  Tsa tsa;
  NotaryVerifier verifier;

  @BeforeEach
  void offlinePki() {
    clock = new MutableClock(Fixtures.NOW);
    pki = TestPki.offline(clock);
    final Ca root = pki.root("CN=Offline Root,O=Sigstream,C=US", KeyType.EC_P256);
    intermediate = root.intermediate("CN=Offline CA,O=Sigstream,C=US", KeyType.EC_P256);
    tsa = pki.tsa(TsaSpec.defaults().keyType(KeyType.EC_P256)); // EC: RSA-3072 key generation would dominate
    final TrustStore store = TrustStore.of(Map.of(
        TrustStoreType.CA, Map.of("offline", List.of(root.certificate())),
        TrustStoreType.TSA, Map.of("offline", List.of(tsa.rootCertificate()))));
    // The checker's ports answered by the PKI itself: what would be HTTP is a method call.
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
        .trustPolicy(TrustPolicyDocument.parse(POLICY))
        .trustStore(store)
        .clock(clock)
        .revocationChecker(new OcspCrlRevocationChecker(inProcess, clock))
        .timestampVerifier(new BcTimestampVerifier(clock, new OcspCrlRevocationChecker(inProcess, clock)))
        .build();
  }

  @AfterEach
  void close() {
    pki.close();
  }

  @Test
  void signedEnvelope_passes_withOcspAndTimestampMintedInProcess() throws Exception {
    // Given
    final SignedEnvelope env = sign(intermediate.leaf(CertSpec.leaf(SUBJECT).keyType(KeyType.EC_P256)));
    // When
    final VerificationResult r = verify(env);
    // Then
    assertThat(pki.serving()).isFalse();
    assertThat(pki.baseUrl().getHost()).isEqualTo("test-pki.invalid");
    assertThat(r.outcome()).as(r.toString()).isEqualTo(Outcome.PASS);
    final SignatureResult s = r.signatures().get(0);
    assertThat(s.checks()).extracting(CheckResult::status).containsOnly(Status.PASSED);
    assertThat(s.checks()).filteredOn(c -> c.check() == Check.REVOCATION).extracting(CheckResult::detail)
        .singleElement().asString().contains("no signing certificate is revoked");
    assertThat(s.timestamp()).isEqualTo(Fixtures.NOW);
    assertThat(intermediate.ocspRequestCount()).isPositive();
  }

  @Test
  void revokedSigner_fails_withCertRevoked() throws Exception {
    // Given
    final Issued leaf = intermediate.leaf(CertSpec.leaf(SUBJECT).keyType(KeyType.EC_P256));
    final SignedEnvelope env = sign(leaf);
    intermediate.revoke(leaf.certificate(), clock.instant());
    // When
    final VerificationResult r = verify(env);
    // Then
    assertThat(r.outcome()).isEqualTo(Outcome.FAIL);
    assertThat(r.reason()).isEqualTo(ReasonCode.CERT_REVOKED);
  }

  @Test
  void ocspDown_fallsBackToTheCrl() throws Exception {
    // Given
    final Issued leaf = intermediate.leaf(CertSpec.leaf(SUBJECT).keyType(KeyType.EC_P256));
    final SignedEnvelope env = sign(leaf);
    intermediate.ocspBehaviour(Ca.OcspBehaviour.DOWN);
    intermediate.revoke(leaf.certificate(), clock.instant());
    // When
    final VerificationResult r = verify(env);
    // Then
    assertThat(r.outcome()).isEqualTo(Outcome.FAIL);
    assertThat(r.reason()).isEqualTo(ReasonCode.CERT_REVOKED);
    assertThat(r.detail()).contains("ocsp-fallback-crl");
    assertThat(intermediate.crlRequestCount()).isPositive();
  }

  @Test
  void expiredSigner_passes_whenTheTimestampFallsWithinItsValidity() throws Exception {
    // Given: signed and timestamped now, verified after the leaf expired (leaf validity is 365 days)
    final SignedEnvelope env = sign(intermediate.leaf(CertSpec.leaf(SUBJECT).keyType(KeyType.EC_P256)));
    clock.advance(Duration.ofDays(400));
    // When
    final VerificationResult r = verify(env);
    // Then
    assertThat(r.outcome()).as(r.toString()).isEqualTo(Outcome.PASS);
    assertThat(r.signatures().get(0).timestamp()).isEqualTo(Fixtures.NOW);
  }

  @Test
  void expiredSigner_fails_withoutATimestamp() throws Exception {
    // Given
    final Issued leaf = intermediate.leaf(CertSpec.leaf(SUBJECT).keyType(KeyType.EC_P256));
    final SignedEnvelope env = NotarySigner.create(new LocalSigningKey(leaf.privateKey(), leaf.chain()), clock,
        tsa::timestamp, null).sign(new SignRequest(TARGET, EnvelopeFormat.COSE, SigningScheme.X509, null, Map.of(),
        false));
    clock.advance(Duration.ofDays(400));
    // When
    final VerificationResult r = verify(env);
    // Then
    assertThat(r.outcome()).isEqualTo(Outcome.FAIL);
    assertThat(r.reason()).isEqualTo(ReasonCode.TIMESTAMP_MISSING);
  }

  @Test
  void inspection_readsTheTimestampGenTime_withoutVerifying() throws Exception {
    // Given
    final SignedEnvelope env = sign(intermediate.leaf(CertSpec.leaf(SUBJECT).keyType(KeyType.EC_P256)));
    // When
    final EnvelopeInspection i = NotaryVerifier.inspect(env.mediaType(), env.envelope());
    // Then
    assertThat(i.unverifiedTimestampGenTime()).isEqualTo(Fixtures.NOW);
    assertThat(NotaryVerifier.inspect(env.mediaType(), new byte[] {1}).unverifiedTimestampGenTime()).isNull();
  }

  private SignedEnvelope sign(final Issued leaf) throws Exception {
    // Tsa#timestamp stamps in-process: it is the TsaClient port, with no HTTP in between.
    final NotarySigner signer = NotarySigner.create(new LocalSigningKey(leaf.privateKey(), leaf.chain()), clock,
        tsa::timestamp, null);
    return signer.sign(new SignRequest(TARGET, EnvelopeFormat.JWS, SigningScheme.X509, null, Map.of(), true));
  }

  private VerificationResult verify(final SignedEnvelope env) {
    return verifier.verify(REF, TARGET, List.of(new SignatureCandidate(env.mediaType(), env.envelope())), Map.of());
  }
}
