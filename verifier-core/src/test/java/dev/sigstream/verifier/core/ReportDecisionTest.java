package dev.sigstream.verifier.core;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sigstream.notary.NotaryVerifier;
import dev.sigstream.notary.PolicySelection;
import dev.sigstream.notary.SignatureCandidate;
import dev.sigstream.notary.policy.TrustPolicyDocument;
import dev.sigstream.notary.policy.TrustPolicyStatement;
import dev.sigstream.notary.revocation.RevocationResult;
import dev.sigstream.notary.revocation.RevocationStatus;
import dev.sigstream.notary.truststore.TrustStore;
import dev.sigstream.oci.Descriptor;
import dev.sigstream.oci.Digest;
import dev.sigstream.oci.FetchResult;
import dev.sigstream.oci.Manifest;
import dev.sigstream.oci.MediaTypes;
import dev.sigstream.oci.Reference;
import dev.sigstream.oci.Referrers;
import dev.sigstream.oci.classify.ArtifactClass;
import dev.sigstream.oci.classify.ArtifactClassifier;
import dev.sigstream.oci.classify.Classification;
import dev.sigstream.oci.sbom.SbomPolicy;
import dev.sigstream.verifier.core.ArtifactReport.Outcome;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * The pure decision, called with values: no registry, no futures. Signature-verifying cases (PASS, untrusted chain,
 * SBOM signatures) need minted certificates and live in {@code ArtifactVerifierIT}; here are the rules that decide
 * FAIL against ERROR, retryable against final, from what discovery found.
 */
class ReportDecisionTest {

  private static final Instant NOW = Instant.parse("2026-06-01T00:00:00Z");
  private static final Clock CLOCK = Clock.fixed(NOW, ZoneOffset.UTC);
  private static final NotaryVerifier NOTARY = NotaryVerifier.builder()
      .trustPolicy(TrustPolicyDocument.parse("{\"version\":\"1.0\",\"trustPolicies\":["
          + "{\"name\":\"app\",\"registryScopes\":[\"registry.test/team/app\"],"
          + "\"signatureVerification\":{\"level\":\"strict\"},\"trustStores\":[\"ca:test\"],"
          + "\"trustedIdentities\":[\"*\"]},"
          + "{\"name\":\"legacy\",\"registryScopes\":[\"registry.test/team/legacy\"],"
          + "\"signatureVerification\":{\"level\":\"skip\"}}]}"))
      .trustStore(TrustStore.of(Map.of()))
      .clock(CLOCK)
      .revocationChecker((chain, purpose, t) -> new RevocationResult(RevocationStatus.OK, "stub", List.of()))
      .build();
  private static final byte[] IMAGE = ("{\"schemaVersion\":2,\"mediaType\":\"" + MediaTypes.OCI_MANIFEST
      + "\",\"config\":{\"mediaType\":\"" + MediaTypes.OCI_CONFIG + "\",\"digest\":\""
      + Digest.sha256("config".getBytes(StandardCharsets.UTF_8)) + "\",\"size\":100},\"layers\":[{\"mediaType\":\"application/vnd.oci.image.layer.v1.tar+gzip\",\"digest\":\""
      + MediaTypes.EMPTY_DIGEST + "\",\"size\":2}]}").getBytes(StandardCharsets.UTF_8);
  private static final Reference ARTIFACT = Reference.parse("registry.test/team/app:v1@" + Digest.sha256(IMAGE));

  private final ReportDecision decision = new ReportDecision(NOTARY, SbomPolicy.NONE, VerifyLimits.DEFAULTS, CLOCK);

  @Test
  void noSignature_isADefiniteFail() {
    final ArtifactReport r = decide(complete(List.of(), 0));

    assertThat(r.outcome()).isEqualTo(Outcome.FAIL);
    assertThat(r.reason()).isEqualTo(Reason.NO_SIGNATURE);
    assertThat(r.retryable()).isFalse();
    assertThat(r.artifact().tag()).isEqualTo("v1");
    assertThat(r.artifactClass()).isEqualTo(ArtifactClass.CONTAINER_IMAGE);
    assertThat(r.decidedAt()).isEqualTo(NOW);
  }

  @Test
  void signatureThatCouldNotBeFetchedForNow_isARetryableError_carryingRetryAfter() {
    final SignatureMaterial limited = SignatureMaterial.unusable(sigDescriptor("a"), null, FetchProblem.of(
        new FetchResult.RateLimited<>(Optional.of(Duration.ofSeconds(30)), "429"), "signature manifest"));

    final ArtifactReport r = decide(complete(List.of(limited), 0));

    assertThat(r.outcome()).isEqualTo(Outcome.ERROR);
    assertThat(r.reason()).isEqualTo(Reason.REGISTRY_RATE_LIMITED);
    assertThat(r.retryable()).isTrue();
    assertThat(r.retryAfter()).isEqualTo(Duration.ofSeconds(30));
    assertThat(r.signatures()).singleElement().satisfies(s -> assertThat(s.verified()).isFalse());
  }

  @Test
  void signatureThatIsMalformed_isADefiniteFail() {
    final SignatureMaterial bad = SignatureMaterial.unusable(sigDescriptor("b"), null,
        FetchProblem.of(Reason.CONTENT_MALFORMED, "signature manifest names subject sha256:00, not this one"));

    final ArtifactReport r = decide(complete(List.of(bad), 0));

    assertThat(r.outcome()).isEqualTo(Outcome.FAIL);
    assertThat(r.reason()).isEqualTo(Reason.CONTENT_MALFORMED);
    assertThat(r.retryable()).isFalse();
  }

  @Test
  void envelopeThatDoesNotParse_failsAndNeverPasses() {
    final SignatureMaterial garbage = SignatureMaterial.usable(sigDescriptor("c"),
        new SignatureCandidate("application/jose+json", "not a JWS".getBytes(StandardCharsets.UTF_8), "sha256:c"));

    final ArtifactReport r = decide(complete(List.of(garbage), 0));

    assertThat(r.outcome()).isEqualTo(Outcome.FAIL);
    assertThat(r.reason()).isEqualTo(Reason.ENVELOPE_MALFORMED);
  }

  @Test
  void signaturesBeyondTheCap_andNoneVerifying_failsTooManySignatures() {
    final SignatureMaterial garbage = SignatureMaterial.usable(sigDescriptor("d"),
        new SignatureCandidate("application/cose", new byte[] {1, 2, 3}, "sha256:d"));

    final ArtifactReport r = decide(complete(List.of(garbage), 4));

    assertThat(r.outcome()).isEqualTo(Outcome.FAIL);
    assertThat(r.reason()).isEqualTo(Reason.TOO_MANY_SIGNATURES);
    assertThat(r.warnings()).extracting(CheckReport::reason).contains(Reason.TOO_MANY_SIGNATURES);
  }

  @Test
  void failedDiscovery_mapsByDisposition_keepingWhatWasLearned() {
    final Manifest m = manifest();
    final Classification cls = new ArtifactClassifier().classify(m);
    final ArtifactReport unavailable = decision.decide(new Discovery.Failed(ARTIFACT, Optional.of(m),
        Optional.of(cls), FetchProblem.of(new FetchResult.Unavailable<>("503"), "listing referrers")), statement(),
        Map.of());
    final ArtifactReport gone = decision.decide(new Discovery.Failed(ARTIFACT, Optional.empty(), Optional.empty(),
        FetchProblem.of(new FetchResult.NotFound<>("MANIFEST_UNKNOWN", "gone"), "fetching manifest")), statement(),
        Map.of());
    final ArtifactReport denied = decision.decide(new Discovery.Failed(ARTIFACT, Optional.empty(), Optional.empty(),
        FetchProblem.of(new FetchResult.Unauthorized<>("401"), "fetching manifest")), statement(), Map.of());

    assertThat(unavailable.outcome()).isEqualTo(Outcome.ERROR);
    assertThat(unavailable.retryable()).isTrue();
    assertThat(unavailable.artifactClass()).isEqualTo(ArtifactClass.CONTAINER_IMAGE);
    assertThat(unavailable.artifact().size()).isEqualTo((long) IMAGE.length);
    assertThat(gone.outcome()).isEqualTo(Outcome.FAIL);
    assertThat(gone.reason()).isEqualTo(Reason.ARTIFACT_NOT_FOUND);
    assertThat(gone.retryable()).isFalse();
    // Credentials need an operator, not a retry.
    assertThat(denied.outcome()).isEqualTo(Outcome.ERROR);
    assertThat(denied.retryable()).isFalse();
  }

  @Test
  void skipStatement_andNoStatement_areDecidedBeforeAnythingIsFetched() {
    final Reference legacy = Reference.parse("registry.test/team/legacy@" + Digest.sha256(IMAGE));
    final Reference unknown = Reference.parse("registry.test/team/unknown@" + Digest.sha256(IMAGE));

    final ArtifactReport skipped = decision.beforeDiscovery(legacy, decision.select(legacy));
    final ArtifactReport none = decision.beforeDiscovery(unknown, decision.select(unknown));

    assertThat(skipped.outcome()).isEqualTo(Outcome.SKIPPED);
    assertThat(skipped.policy().statement()).isEqualTo("legacy");
    assertThat(none.outcome()).isEqualTo(Outcome.FAIL);
    assertThat(none.reason()).isEqualTo(Reason.NO_APPLICABLE_POLICY);
  }

  @Test
  void classThatNeedsNoSignature_isSkipped_neverPassed() {
    final ReportDecision lenient = new ReportDecision(NOTARY, SbomPolicy.NONE, ClassPolicy.parse(Map.of(
        "container_image", new ClassPolicy.Rule(false, false))), VerifyLimits.DEFAULTS, CLOCK);

    final ArtifactReport r = lenient.decide(complete(List.of(), 0), statement(), Map.of());

    assertThat(r.outcome()).isEqualTo(Outcome.SKIPPED);
    assertThat(r.reason()).isEqualTo(Reason.POLICY_SKIPPED);
    assertThat(r.detail()).contains("CONTAINER_IMAGE");
  }

  @Test
  void classPolicy_namingAnUnknownClass_isRefusedAtStartUp() {
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> ClassPolicy.parse(Map.of("images",
        ClassPolicy.Rule.DEFAULT, "helm", ClassPolicy.Rule.DEFAULT))).isInstanceOf(SettingsException.class)
        .hasMessageContaining("images").hasMessageContaining("helm");
  }

  @Test
  void dispositionTable_isExhaustiveAndConsistent() {
    for (final Reason r : Reason.values()) {
      assertThat(r.inconclusive()).as(r.name()).isEqualTo(r.disposition() != Reason.Disposition.DEFINITE);
      assertThat(r.retryable()).as(r.name()).isEqualTo(r.disposition() == Reason.Disposition.RETRYABLE);
    }
    assertThat(Reason.DEADLINE_EXCEEDED.retryable()).isTrue();
    assertThat(Reason.REVOCATION_UNKNOWN.retryable()).isTrue();
    assertThat(Reason.CERT_REVOKED.inconclusive()).isFalse();
    assertThat(Reason.NO_SIGNATURE.inconclusive()).isFalse();
    assertThat(Reason.INTERNAL_ERROR.retryable()).isFalse();
  }

  // ------------------------------------------------------------------------------------------------ fixtures

  private ArtifactReport decide(final Discovery d) {
    return decision.decide(d, statement(), Map.of());
  }

  private static TrustPolicyStatement statement() {
    return ((PolicySelection.Applicable) NOTARY.selectPolicy(ARTIFACT.toString())).statement();
  }

  private static Manifest manifest() {
    return Manifest.parse(IMAGE, MediaTypes.OCI_MANIFEST, Digest.sha256(IMAGE));
  }

  private static Discovery.Complete complete(final List<SignatureMaterial> sigs, final int beyondCap) {
    final Manifest m = manifest();
    final List<Discovery.Listed> listed = sigs.stream().map(s -> new Discovery.Listed(s.descriptor(),
        new ArtifactClassifier().classifyDescriptor(s.descriptor()), true)).toList();
    return new Discovery.Complete(ARTIFACT, m, new ArtifactClassifier().classify(m), Referrers.Source.REFERRERS_API,
        false, listed, sigs, beyondCap, List.of(), 0);
  }

  private static Descriptor sigDescriptor(final String seed) {
    return new Descriptor(MediaTypes.OCI_MANIFEST, Digest.sha256(seed.getBytes(StandardCharsets.UTF_8)), 100,
        MediaTypes.NOTARY_SIGNATURE, Map.of(), null);
  }
}
