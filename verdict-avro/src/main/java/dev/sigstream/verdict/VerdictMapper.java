package dev.sigstream.verdict;

import dev.sigstream.schemas.avro.AppliedPolicy;
import dev.sigstream.schemas.avro.ArtifactClass;
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
import dev.sigstream.verifier.core.ArtifactReport;
import dev.sigstream.verifier.core.CheckReport;
import dev.sigstream.verifier.core.SbomOutcome;
import dev.sigstream.verifier.core.SignatureReport;
import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * Maps the domain {@link ArtifactReport} to the Avro {@link Verdict} contract (docs/verdicts.md). Edge code: the
 * only place where both meet, so the core stays free of Avro. Enum values map by name; the core's enums are subsets
 * of the Avro ones (unit-tested), so a mapping can only fail on a bug. Pure and thread-safe.
 */
public final class VerdictMapper {

  private VerdictMapper() {}

  /**
   * @param eventId the triggering {@code ArtifactPushed.eventId}, or a CLI invocation id
   * @param verifierVersion the Sigstream version that decided
   */
  public static Verdict toVerdict(final ArtifactReport r, final String eventId, final String verifierVersion) {
    return toVerdict(r, eventId, verifierVersion, null);
  }

  /**
   * @param trustVersion the version of the trust material that decided ({@code TrustMaterial.version()}), or null
   */
  public static Verdict toVerdict(final ArtifactReport r, final String eventId, final String verifierVersion,
      final String trustVersion) {
    Objects.requireNonNull(r, "report");
    final ArtifactReport.ArtifactId a = r.artifact();
    return Verdict.newBuilder()
        .setEventId(Objects.requireNonNull(eventId, "eventId"))
        .setArtifact(ArtifactRef.newBuilder()
            .setRegistry(a.registry())
            .setRepository(a.repository())
            .setDigest(a.digest())
            .setTag(a.tag())
            .setMediaType(a.mediaType())
            .setSize(a.size())
            .build())
        .setArtifactClass(ArtifactClass.valueOf(r.artifactClass().name()))
        .setClassification(r.classification() == null ? null : Classification.newBuilder()
            .setKind(r.classification().kind())
            .setEvidence(r.classification().evidence())
            .setPlatform(r.classification().platform())
            .build())
        .setOutcome(Outcome.valueOf(r.outcome().name()))
        .setReasonCode(reason(r.reason()))
        .setDetail(r.detail())
        .setWarnings(r.warnings().stream().map(w -> Warning.newBuilder()
            .setCheck(CheckType.valueOf(w.check().name()))
            .setReasonCode(reason(w.reason()))
            .setDetail(w.detail())
            .build()).toList())
        .setPolicy(r.policy() == null ? null : AppliedPolicy.newBuilder()
            .setStatement(r.policy().statement())
            .setLevel(VerificationLevel.valueOf(r.policy().level().name()))
            .build())
        .setSignatures(r.signatures().stream().map(VerdictMapper::signature).toList())
        .setReferrers(ReferrersSummary.newBuilder()
            .setSboms(r.referrers().sboms().stream().map(VerdictMapper::sbom).toList())
            .setSignatureCount(r.referrers().signatureCount())
            .setAttestationCount(r.referrers().attestationCount())
            .setOtherCount(r.referrers().otherCount())
            .build())
        .setDecidedAt(r.decidedAt())
        .setVerifierVersion(Objects.requireNonNull(verifierVersion, "verifierVersion"))
        .setTrustVersion(trustVersion)
        .build();
  }

  static ReasonCode reason(final dev.sigstream.verifier.core.Reason r) {
    return ReasonCode.valueOf(r.name());
  }

  private static SignatureResult signature(final SignatureReport s) {
    return SignatureResult.newBuilder()
        .setManifestDigest(s.manifestDigest())
        .setEnvelopeType(s.envelopeType())
        .setSigningScheme(s.signingScheme())
        .setSignerSubject(s.signerSubject())
        .setSignerIssuer(s.signerIssuer())
        .setCertificateFingerprint(s.certificateFingerprint())
        .setSigningTimeMillis(millis(s.signingTime()))
        .setTimestampMillis(millis(s.timestamp()))
        .setExpiryMillis(millis(s.expiry()))
        .setVerified(s.verified())
        .setChecks(checks(s.checks()))
        .build();
  }

  private static SbomResult sbom(final SbomOutcome s) {
    return SbomResult.newBuilder()
        .setDigest(s.digest())
        .setFormat(s.format())
        .setPackageCount(s.packageCount())
        .setSigned(s.signed())
        .setPassed(s.passed())
        .setChecks(checks(s.checks()))
        .build();
  }

  private static List<CheckResult> checks(final List<CheckReport> cs) {
    return cs.stream().map(c -> CheckResult.newBuilder()
        .setCheck(CheckType.valueOf(c.check().name()))
        .setAction(CheckAction.valueOf(c.action().name()))
        .setStatus(CheckStatus.valueOf(c.status().name()))
        .setReasonCode(reason(c.reason()))
        .setDetail(c.detail())
        .build()).toList();
  }

  private static Long millis(final Instant t) {
    return t == null ? null : t.toEpochMilli();
  }
}
