package dev.sigstream.notary;

import static dev.sigstream.notary.Fixtures.CLOCK;
import static org.assertj.core.api.Assertions.assertThat;

import dev.sigstream.notary.CheckResult.Action;
import dev.sigstream.notary.VerificationResult.Outcome;
import dev.sigstream.notary.envelope.SigningScheme;
import dev.sigstream.notary.policy.TrustPolicyDocument;
import dev.sigstream.notary.policy.VerificationLevel;
import dev.sigstream.notary.revocation.RevocationChecker;
import dev.sigstream.notary.revocation.RevocationResult;
import dev.sigstream.notary.revocation.RevocationStatus;
import dev.sigstream.notary.sign.EnvelopeFormat;
import dev.sigstream.notary.sign.LocalSigningKey;
import dev.sigstream.notary.sign.NotarySigner;
import dev.sigstream.notary.sign.SignRequest;
import dev.sigstream.notary.sign.SignedEnvelope;
import dev.sigstream.notary.truststore.TrustStore;
import dev.sigstream.notary.truststore.TrustStoreType;
import dev.sigstream.testing.pki.Ca;
import dev.sigstream.testing.pki.CertSpec;
import dev.sigstream.testing.pki.Issued;
import dev.sigstream.testing.pki.KeyType;
import dev.sigstream.testing.pki.TestPki;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/** Result-level behaviour: multiple signatures, the cap, outcomes, policy selection, concurrency, inspection. */
class NotaryVerifierTest {

  static final TestPki PKI = TestPki.start(CLOCK);
  static final Ca ROOT = PKI.root("CN=V Root,O=Sigstream,C=US", KeyType.EC_P256);
  static final Ca CA = ROOT.intermediate("CN=V CA,O=Sigstream,C=US", KeyType.EC_P256);
  static final Issued GOOD = CA.leaf(CertSpec.leaf("CN=v,O=Sigstream,ST=WA,C=US").noRevocationInfo());
  static final Issued STRANGER = PKI.root("CN=Stranger,O=Else,C=US", KeyType.EC_P256)
      .leaf(CertSpec.leaf("CN=v,O=Sigstream,ST=WA,C=US").noRevocationInfo());
  static final TargetDescriptor TARGET = new TargetDescriptor("application/vnd.oci.image.manifest.v1+json",
      "sha256:" + "77".repeat(32), 99);
  static final String REF = "registry.example/team/app@" + TARGET.digest();
  static final TrustStore STORE = TrustStore.of(Map.of(TrustStoreType.CA, Map.of("v", List.of(ROOT.certificate()))));

  @AfterAll
  static void close() {
    PKI.close();
  }

  static SignatureCandidate sig(final Issued who, final EnvelopeFormat f, final TargetDescriptor t) {
    try {
      final SignedEnvelope e = NotarySigner.create(new LocalSigningKey(who.privateKey(), who.chain()), CLOCK, null, null)
          .sign(SignRequest.of(t, f));
      return new SignatureCandidate(e.mediaType(), e.envelope(), "sha256:" + Integer.toHexString(e.hashCode()));
    } catch (final Exception e) {
      throw new IllegalStateException(e);
    }
  }

  static NotaryVerifier verifier(final String level) {
    return Fixtures.verifier(Fixtures.policy("registry.example/team/app", level, null, "[\"ca:v\"]",
        "[\"x509.subject:C=US,ST=WA,O=Sigstream\"]", null), STORE).build();
  }

  @Test
  void stopsAtFirstSatisfyingSignature_andListsEveryTriedOne() {
    // Given: an untrusted signature, then a good one, then another good one
    final List<SignatureCandidate> sigs = List.of(sig(STRANGER, EnvelopeFormat.JWS, TARGET),
        sig(GOOD, EnvelopeFormat.COSE, TARGET), sig(GOOD, EnvelopeFormat.JWS, TARGET));
    // When
    final VerificationResult r = verifier("strict").verify(REF, TARGET, sigs, Map.of());
    // Then
    assertThat(r.outcome()).isEqualTo(Outcome.PASS);
    assertThat(r.signatures()).hasSize(2);
    assertThat(r.signatures().get(0).verified()).isFalse();
    assertThat(r.signatures().get(0).decisiveFailure().orElseThrow().reason()).isEqualTo(ReasonCode.UNTRUSTED_CHAIN);
    assertThat(r.signatures().get(1).verified()).isTrue();
    assertThat(r.signatures().get(1).manifestDigest()).isEqualTo(sigs.get(1).manifestDigest());
    assertThat(r.policy()).isEqualTo(new VerificationResult.AppliedPolicy("test", VerificationLevel.STRICT));
  }

  @Test
  void signatureForAnotherArtifact_doesNotStopTheSearch() {
    final TargetDescriptor other = new TargetDescriptor(TARGET.mediaType(), "sha256:" + "88".repeat(32), 99);
    final VerificationResult r = verifier("audit").verify(REF, TARGET,
        List.of(sig(GOOD, EnvelopeFormat.JWS, other), sig(GOOD, EnvelopeFormat.JWS, TARGET)), Map.of());
    assertThat(r.outcome()).isEqualTo(Outcome.PASS);
    assertThat(r.signatures().get(0).decisiveFailure().orElseThrow().reason()).isEqualTo(ReasonCode.DIGEST_MISMATCH);
  }

  @Test
  void cap_tooManySignatures_isNeverAPassByItself() {
    final NotaryVerifier v = Fixtures.verifier(Fixtures.policy("*", "strict", null, "[\"ca:v\"]", "[\"*\"]", null), STORE)
        .maxSignatures(3).build();
    final SignatureCandidate bad = sig(STRANGER, EnvelopeFormat.JWS, TARGET);
    final SignatureCandidate good = sig(GOOD, EnvelopeFormat.JWS, TARGET);
    // The good one is fourth: beyond the cap.
    final VerificationResult r = v.verify(REF, TARGET, List.of(bad, bad, bad, good), Map.of());
    assertThat(r.outcome()).isEqualTo(Outcome.FAIL);
    assertThat(r.reason()).isEqualTo(ReasonCode.TOO_MANY_SIGNATURES);
    assertThat(r.signatures()).hasSize(3);
    // Within the cap it passes, with the finding recorded as a warning.
    final VerificationResult ok = v.verify(REF, TARGET, List.of(bad, good, bad, bad), Map.of());
    assertThat(ok.outcome()).isEqualTo(Outcome.PASS);
    assertThat(ok.warnings()).extracting(CheckResult::reason).contains(ReasonCode.TOO_MANY_SIGNATURES);
  }

  @Test
  void defaultCap_isAHundred() {
    final NotaryVerifier v = verifier("strict");
    final SignatureCandidate bad = sig(STRANGER, EnvelopeFormat.COSE, TARGET);
    final VerificationResult r = v.verify(REF, TARGET, Collections.nCopies(101, bad), Map.of());
    assertThat(r.signatures()).hasSize(100);
    assertThat(r.reason()).isEqualTo(ReasonCode.TOO_MANY_SIGNATURES);
  }

  @Test
  void untrustedChain_underALevelThatLogsAuthenticity_neverReachesTheRevocationNetwork() {
    // The chain's OCSP/CRL URLs are the signer's choice: fetching them would let any pusher steer our requests.
    final List<List<?>> asked = Collections.synchronizedList(new ArrayList<>());
    final RevocationChecker counting = (chain, purpose, time) -> {
      asked.add(chain);
      return new RevocationResult(RevocationStatus.OK, "ok", List.of());
    };
    final NotaryVerifier audit = Fixtures.verifier(Fixtures.policy("*", "audit", null, "[\"ca:v\"]",
        "[\"x509.subject:C=US,ST=WA,O=Sigstream\"]", null), STORE).revocationChecker(counting).build();
    final VerificationResult stranger = audit.verify(REF, TARGET, List.of(sig(STRANGER, EnvelopeFormat.JWS, TARGET)),
        Map.of());
    assertThat(asked).isEmpty();
    assertThat(stranger.signatures().get(0).checks())
        .filteredOn(c -> c.check() == Check.REVOCATION).singleElement()
        .satisfies(c -> {
          assertThat(c.reason()).isEqualTo(ReasonCode.REVOCATION_UNKNOWN);
          assertThat(c.action()).isEqualTo(Action.LOGGED);
          assertThat(c.detail()).contains("not trusted");
        });
    // A trusted chain under the same policy is checked.
    audit.verify(REF, TARGET, List.of(sig(GOOD, EnvelopeFormat.JWS, TARGET)), Map.of());
    assertThat(asked).hasSize(1);
  }

  @Test
  void identityDecision_isNeverCarriedFromOneStatementToAnother() throws Exception {
    // One verifier, two statements that differ only in the trusted identity; the same chain alternates between them.
    final String policy = "{\"version\":\"1.0\",\"trustPolicies\":["
        + "{\"name\":\"ok\",\"registryScopes\":[\"registry.example/team/app\"],"
        + "\"signatureVerification\":{\"level\":\"strict\"},\"trustStores\":[\"ca:v\"],"
        + "\"trustedIdentities\":[\"x509.subject:C=US,ST=WA,O=Sigstream\"]},"
        + "{\"name\":\"other\",\"registryScopes\":[\"registry.example/team/other\"],"
        + "\"signatureVerification\":{\"level\":\"strict\"},\"trustStores\":[\"ca:v\"],"
        + "\"trustedIdentities\":[\"x509.subject:C=US,ST=WA,O=Elsewhere\"]}]}";
    final NotaryVerifier v = Fixtures.verifier(policy, STORE).build();
    final SignatureCandidate good = sig(GOOD, EnvelopeFormat.JWS, TARGET);
    final String other = "registry.example/team/other@" + TARGET.digest();
    for (int i = 0; i < 3; i++) {
      assertThat(v.verify(REF, TARGET, List.of(good), Map.of()).outcome()).isEqualTo(Outcome.PASS);
      final VerificationResult r = v.verify(other, TARGET, List.of(good), Map.of());
      assertThat(r.outcome()).isEqualTo(Outcome.FAIL);
      assertThat(r.reason()).isEqualTo(ReasonCode.UNTRUSTED_IDENTITY);
    }
  }

  @Test
  void noSignature_fails() {
    final VerificationResult r = verifier("audit").verify(REF, TARGET, List.of(), Map.of());
    assertThat(r.outcome()).isEqualTo(Outcome.FAIL);
    assertThat(r.reason()).isEqualTo(ReasonCode.NO_SIGNATURE);
  }

  @Test
  void noApplicablePolicy_andBadReference() {
    final NotaryVerifier v = verifier("strict");
    assertThat(v.selectPolicy("registry.example/other@" + TARGET.digest()))
        .isInstanceOf(PolicySelection.NotApplicable.class);
    final VerificationResult r = v.verify("registry.example/other@" + TARGET.digest(), TARGET,
        List.of(sig(GOOD, EnvelopeFormat.JWS, TARGET)), Map.of());
    assertThat(r.outcome()).isEqualTo(Outcome.FAIL);
    assertThat(r.reason()).isEqualTo(ReasonCode.NO_APPLICABLE_POLICY);
    final VerificationResult tag = v.verify("registry.example/team/app:latest", TARGET,
        List.of(sig(GOOD, EnvelopeFormat.JWS, TARGET)), Map.of());
    assertThat(tag.reason()).isEqualTo(ReasonCode.POLICY_INVALID);
  }

  @Test
  void skipLevel_isSkippedWithoutLookingAtSignatures() {
    final String policy = "{\"version\":\"1.0\",\"trustPolicies\":[{\"name\":\"skip-it\",\"registryScopes\":"
        + "[\"registry.example/team/app\"],\"signatureVerification\":{\"level\":\"skip\"}}]}";
    final NotaryVerifier v = NotaryVerifier.builder().trustPolicy(TrustPolicyDocument.parse(policy)).trustStore(STORE)
        .clock(CLOCK).revocationChecker(Fixtures.revocation(RevocationStatus.OK)).build();
    assertThat(v.selectPolicy(REF)).isInstanceOfSatisfying(PolicySelection.Applicable.class,
        a -> assertThat(a.skip()).isTrue());
    final VerificationResult r = v.verify(REF, TARGET,
        List.of(new SignatureCandidate("application/jose+json", new byte[] {1})), Map.of());
    assertThat(r.outcome()).isEqualTo(Outcome.SKIPPED);
    assertThat(r.reason()).isEqualTo(ReasonCode.POLICY_SKIPPED);
    assertThat(r.signatures()).isEmpty();
  }

  @Test
  void missingTrustStore_isInconclusive() {
    final NotaryVerifier v = Fixtures.verifier(Fixtures.policy("*", "strict", null, "[\"ca:absent\"]", "[\"*\"]", null),
        STORE).build();
    final VerificationResult r = v.verify(REF, TARGET, List.of(sig(GOOD, EnvelopeFormat.JWS, TARGET)), Map.of());
    assertThat(r.outcome()).isEqualTo(Outcome.ERROR);
    assertThat(r.reason()).isEqualTo(ReasonCode.TRUST_STORE_MISSING);
  }

  @Test
  void definiteFailure_winsOverInconclusive() {
    final RevocationChecker unknown = Fixtures.revocation(RevocationStatus.UNKNOWN);
    final NotaryVerifier v = Fixtures.verifier(Fixtures.policy("*", "strict", null, "[\"ca:v\"]", "[\"*\"]", null), STORE)
        .revocationChecker(unknown).build();
    final VerificationResult inconclusive = v.verify(REF, TARGET, List.of(sig(GOOD, EnvelopeFormat.JWS, TARGET)), Map.of());
    assertThat(inconclusive.outcome()).isEqualTo(Outcome.ERROR);
    assertThat(inconclusive.reason()).isEqualTo(ReasonCode.REVOCATION_UNKNOWN);
    final VerificationResult mixed = v.verify(REF, TARGET,
        List.of(sig(GOOD, EnvelopeFormat.JWS, TARGET), sig(STRANGER, EnvelopeFormat.JWS, TARGET)), Map.of());
    assertThat(mixed.outcome()).isEqualTo(Outcome.FAIL);
    assertThat(mixed.reason()).isEqualTo(ReasonCode.UNTRUSTED_CHAIN);
  }

  @Test
  void overrides_applyPerCheck() {
    // strict with revocation logged: unknown revocation becomes a warning.
    final NotaryVerifier logged = Fixtures.verifier(Fixtures.policy("*", "strict", "{\"revocation\":\"log\"}",
        "[\"ca:v\"]", "[\"*\"]", null), STORE).revocationChecker(Fixtures.revocation(RevocationStatus.REVOKED)).build();
    final VerificationResult r = logged.verify(REF, TARGET, List.of(sig(GOOD, EnvelopeFormat.JWS, TARGET)), Map.of());
    assertThat(r.outcome()).isEqualTo(Outcome.PASS);
    assertThat(r.warnings()).singleElement().satisfies(w -> {
      assertThat(w.check()).isEqualTo(Check.REVOCATION);
      assertThat(w.reason()).isEqualTo(ReasonCode.CERT_REVOKED);
      assertThat(w.action()).isEqualTo(Action.LOGGED);
    });
    // revocation skipped: the checker is not consulted at all.
    final AtomicInteger calls = new AtomicInteger();
    final RevocationChecker counting = (chain, p, t) -> {
      calls.incrementAndGet();
      return new RevocationResult(RevocationStatus.REVOKED, "x", List.of());
    };
    final NotaryVerifier skipped = Fixtures.verifier(Fixtures.policy("*", "strict", "{\"revocation\":\"skip\"}",
        "[\"ca:v\"]", "[\"*\"]", null), STORE).revocationChecker(counting).build();
    final VerificationResult s = skipped.verify(REF, TARGET, List.of(sig(GOOD, EnvelopeFormat.JWS, TARGET)), Map.of());
    assertThat(s.outcome()).isEqualTo(Outcome.PASS);
    assertThat(calls).hasValue(0);
    assertThat(s.signatures().get(0).check(Check.REVOCATION).orElseThrow().action()).isEqualTo(Action.SKIPPED);
    // audit with authenticity enforced by override: an untrusted chain fails.
    final NotaryVerifier audit = Fixtures.verifier(Fixtures.policy("*", "audit", "{\"authenticity\":\"enforce\"}",
        "[\"ca:v\"]", "[\"*\"]", null), STORE).build();
    assertThat(audit.verify(REF, TARGET, List.of(sig(STRANGER, EnvelopeFormat.JWS, TARGET)), Map.of()).reason())
        .isEqualTo(ReasonCode.UNTRUSTED_CHAIN);
  }

  @Test
  void revokerThatThrows_isUnknownNotAPass() {
    final NotaryVerifier v = Fixtures.verifier(Fixtures.policy("*", "strict", null, "[\"ca:v\"]", "[\"*\"]", null), STORE)
        .revocationChecker((c, p, t) -> {
          throw new IllegalStateException("boom");
        }).build();
    assertThat(v.verify(REF, TARGET, List.of(sig(GOOD, EnvelopeFormat.JWS, TARGET)), Map.of()).reason())
        .isEqualTo(ReasonCode.REVOCATION_UNKNOWN);
  }

  @Test
  void concurrentVerification_isConsistent() throws Exception {
    final NotaryVerifier v = verifier("strict");
    final List<SignatureCandidate> good = List.of(sig(GOOD, EnvelopeFormat.JWS, TARGET));
    final List<SignatureCandidate> cose = List.of(sig(GOOD, EnvelopeFormat.COSE, TARGET));
    final List<SignatureCandidate> bad = List.of(sig(STRANGER, EnvelopeFormat.JWS, TARGET));
    final ExecutorService pool = Executors.newFixedThreadPool(8);
    try {
      final List<Future<Boolean>> futures = new ArrayList<>();
      for (int i = 0; i < 400; i++) {
        final int k = i % 3;
        futures.add(pool.submit(() -> {
          final VerificationResult r = v.verify(REF, TARGET, k == 0 ? good : k == 1 ? cose : bad, Map.of());
          return (k == 2) != r.passed();
        }));
      }
      for (final Future<Boolean> f : futures) {
        assertThat(f.get()).isTrue();
      }
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void inspect_describesWithoutVerifying() {
    final SignatureCandidate c = sig(STRANGER, EnvelopeFormat.COSE, TARGET);
    final EnvelopeInspection i = NotaryVerifier.inspect(c.envelopeMediaType(), c.envelope());
    assertThat(i.parsed()).isTrue();
    assertThat(i.envelope().signingScheme()).isEqualTo(SigningScheme.X509);
    assertThat(i.payload().digest()).isEqualTo(TARGET.digest());
    assertThat(i.certificates()).hasSize(2);
    final EnvelopeInspection bad = NotaryVerifier.inspect("application/cose", new byte[] {(byte) 0xd2});
    assertThat(bad.parsed()).isFalse();
    assertThat(bad.reason()).isEqualTo(ReasonCode.ENVELOPE_MALFORMED);
  }

  @Test
  void expirySetBySigner_isEnforcedAtThatInstant() throws Exception {
    final SignedEnvelope e = NotarySigner.create(new LocalSigningKey(GOOD.privateKey(), GOOD.chain()),
        java.time.Clock.offset(CLOCK, Duration.ofHours(-2)), null, null)
        .sign(new SignRequest(TARGET, EnvelopeFormat.JWS, SigningScheme.X509, Duration.ofHours(1), Map.of(), false));
    final VerificationResult r = verifier("strict").verify(REF, TARGET,
        List.of(new SignatureCandidate(e.mediaType(), e.envelope())), Map.of());
    assertThat(r.reason()).isEqualTo(ReasonCode.SIGNATURE_EXPIRED);
    assertThat(verifier("permissive").verify(REF, TARGET, List.of(new SignatureCandidate(e.mediaType(), e.envelope())),
        Map.of()).outcome()).isEqualTo(Outcome.PASS);
  }

  @Test
  void signerRefusesAChainThatBreaksTheRules() {
    final Issued server = CA.leaf(CertSpec.leaf("CN=tls,O=Sigstream,ST=WA,C=US").eku(CertSpec.Eku.SERVER_AUTH));
    org.assertj.core.api.Assertions.assertThatThrownBy(() ->
        NotarySigner.create(new LocalSigningKey(server.privateKey(), server.chain()), CLOCK, null, null))
        .isInstanceOf(dev.sigstream.notary.sign.SigningException.class);
  }
}
