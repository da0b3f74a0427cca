package dev.sigstream.schemas;

import dev.sigstream.schemas.avro.AppliedPolicy;
import dev.sigstream.schemas.avro.ArtifactClass;
import dev.sigstream.schemas.avro.ArtifactPushed;
import dev.sigstream.schemas.avro.ArtifactRef;
import dev.sigstream.schemas.avro.CheckAction;
import dev.sigstream.schemas.avro.CheckResult;
import dev.sigstream.schemas.avro.CheckStatus;
import dev.sigstream.schemas.avro.CheckType;
import dev.sigstream.schemas.avro.Classification;
import dev.sigstream.schemas.avro.Outcome;
import dev.sigstream.schemas.avro.ReasonCode;
import dev.sigstream.schemas.avro.ReferrersSummary;
import dev.sigstream.schemas.avro.SbomResult;
import dev.sigstream.schemas.avro.SignatureResult;
import dev.sigstream.schemas.avro.Verdict;
import dev.sigstream.schemas.avro.VerificationLevel;
import dev.sigstream.schemas.avro.Warning;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/** Fully populated sample records, so round trips exercise every field. */
final class Samples {

  static final String DIGEST = "sha256:" + "ab".repeat(32);

  private Samples() {}

  static ArtifactRef ref() {
    return ArtifactRef.newBuilder()
        .setRegistry("registry.example:5000").setRepository("team/app").setDigest(DIGEST).setTag("v1")
        .setMediaType("application/vnd.oci.image.manifest.v1+json").setSize(528L).build();
  }

  static ArtifactPushed pushed(final String eventId) {
    return ArtifactPushed.newBuilder()
        .setEventId(eventId).setSource(EventSource.DISTRIBUTION.wireName()).setArtifact(ref())
        .setOccurredAt(Instant.parse("2026-01-01T00:00:00Z")).setReceivedAt(Instant.parse("2026-01-01T00:00:01Z"))
        .setActor("ci-bot").setAttributes(Map.of("requestId", "r-1")).build();
  }

  static Verdict verdict(final String eventId) {
    final CheckResult integrity = CheckResult.newBuilder().setCheck(CheckType.INTEGRITY).setAction(CheckAction.ENFORCED)
        .setStatus(CheckStatus.PASSED).setReasonCode(ReasonCode.OK).setDetail("signature verifies").build();
    final CheckResult revocation = CheckResult.newBuilder().setCheck(CheckType.REVOCATION).setAction(CheckAction.LOGGED)
        .setStatus(CheckStatus.FAILED).setReasonCode(ReasonCode.REVOCATION_UNKNOWN).setDetail("OCSP timed out").build();
    final SignatureResult sig = SignatureResult.newBuilder()
        .setManifestDigest("sha256:" + "cd".repeat(32)).setEnvelopeType("application/jose+json")
        .setSigningScheme("notary.x509").setSignerSubject("CN=signer,O=Example,ST=WA,C=US")
        .setSignerIssuer("CN=Example CA,O=Example,C=US").setCertificateFingerprint("ef".repeat(32))
        .setSigningTimeMillis(Instant.parse("2025-12-31T23:00:00Z").toEpochMilli()).setTimestampMillis(Instant.parse("2025-12-31T23:00:01Z").toEpochMilli())
        .setExpiryMillis(Instant.parse("2026-12-31T00:00:00Z").toEpochMilli()).setVerified(true).setChecks(List.of(integrity, revocation)).build();
    final SbomResult sbom = SbomResult.newBuilder().setDigest("sha256:" + "01".repeat(32)).setFormat("spdx-json")
        .setPackageCount(42).setSigned(false).setPassed(true).setChecks(List.of()).build();
    return Verdict.newBuilder()
        .setEventId(eventId).setArtifact(ref()).setArtifactClass(ArtifactClass.CONTAINER_IMAGE)
        .setClassification(Classification.newBuilder().setKind("oci-image").setEvidence("config.mediaType=application/vnd.oci.image.config.v1+json").setPlatform("linux/amd64").build())
        .setOutcome(Outcome.PASS).setReasonCode(ReasonCode.OK).setDetail("1 of 1 signatures verified")
        .setWarnings(List.of(Warning.newBuilder().setCheck(CheckType.REVOCATION).setReasonCode(ReasonCode.REVOCATION_UNKNOWN).setDetail("OCSP timed out").build()))
        .setPolicy(AppliedPolicy.newBuilder().setStatement("prod").setLevel(VerificationLevel.PERMISSIVE).build())
        .setSignatures(List.of(sig))
        .setReferrers(ReferrersSummary.newBuilder().setSboms(List.of(sbom)).setSignatureCount(1).setAttestationCount(2).setOtherCount(0).build())
        .setDecidedAt(Instant.parse("2026-01-01T00:00:02Z")).setVerifierVersion("test").build();
  }
}
