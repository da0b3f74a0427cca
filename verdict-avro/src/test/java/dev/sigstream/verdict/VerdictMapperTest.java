package dev.sigstream.verdict;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sigstream.notary.policy.VerificationLevel;
import dev.sigstream.schemas.AvroJson;
import dev.sigstream.schemas.avro.CheckAction;
import dev.sigstream.schemas.avro.CheckStatus;
import dev.sigstream.schemas.avro.CheckType;
import dev.sigstream.schemas.avro.Outcome;
import dev.sigstream.schemas.avro.ReasonCode;
import dev.sigstream.schemas.avro.Verdict;
import dev.sigstream.verifier.core.ArtifactReport;
import dev.sigstream.verifier.core.CheckReport;
import dev.sigstream.verifier.core.Reason;
import dev.sigstream.verifier.core.SbomOutcome;
import dev.sigstream.verifier.core.SignatureReport;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class VerdictMapperTest {

  private static final Instant T = Instant.parse("2026-01-01T00:00:00Z");

  private static Set<String> names(final Enum<?>[] values) {
    return Arrays.stream(values).map(Enum::name).collect(Collectors.toSet());
  }

  @Test
  void everyNotaryReasonCode_isAnAvroReasonCode_andACoreReason() {
    assertThat(names(ReasonCode.values())).containsAll(names(dev.sigstream.notary.ReasonCode.values()));
    assertThat(names(Reason.values())).containsAll(names(dev.sigstream.notary.ReasonCode.values()));
  }

  @Test
  void everyCoreReason_isAnAvroReasonCode_andOnlyUnknownReasonIsLeftOut() {
    assertThat(names(ReasonCode.values())).containsAll(names(Reason.values()));
    // UNKNOWN_REASON is for old readers only: Sigstream never writes it.
    assertThat(names(ReasonCode.values())).hasSize(Reason.values().length + 1).contains("UNKNOWN_REASON");
  }

  @Test
  void checkTypesAndClassesAndLevels_mapByName() {
    assertThat(names(CheckType.values())).containsAll(names(dev.sigstream.verifier.core.CheckType.values()));
    assertThat(names(dev.sigstream.verifier.core.CheckType.values()))
        .containsAll(names(dev.sigstream.notary.Check.values()));
    assertThat(names(dev.sigstream.schemas.avro.ArtifactClass.values()))
        .containsAll(names(dev.sigstream.oci.classify.ArtifactClass.values()));
    assertThat(names(dev.sigstream.schemas.avro.VerificationLevel.values()))
        .containsAll(names(VerificationLevel.values()));
  }

  @Test
  void mapsEveryField_andTheJsonRenderingFitsTheSchema() throws Exception {
    // Given
    final CheckReport ok = CheckReport.passed(dev.sigstream.verifier.core.CheckType.INTEGRITY,
        CheckReport.Action.ENFORCED, "fine");
    final CheckReport warn = CheckReport.warning(dev.sigstream.verifier.core.CheckType.REVOCATION,
        Reason.REVOCATION_UNKNOWN, "OCSP down");
    final SignatureReport sig = new SignatureReport("sha256:" + "1".repeat(64), "application/jose+json",
        "notary.x509", "CN=signer", "CN=CA", "ab".repeat(32), T, T.plusSeconds(1), null, true, List.of(ok, warn));
    final ArtifactReport report = new ArtifactReport(
        new ArtifactReport.ArtifactId("r.example", "team/app", "sha256:" + "2".repeat(64), "v1",
            "application/vnd.oci.image.manifest.v1+json", 527L),
        dev.sigstream.oci.classify.ArtifactClass.CONTAINER_IMAGE,
        new ArtifactReport.ClassificationInfo("oci-image", "config.mediaType=x", "linux/amd64"),
        ArtifactReport.Outcome.PASS, Reason.OK, "verified", List.of(warn),
        new ArtifactReport.AppliedPolicy("prod", VerificationLevel.PERMISSIVE), List.of(sig),
        new ArtifactReport.ReferrerSummary(List.of(new SbomOutcome("sha256:" + "3".repeat(64), "spdx-json", 2, true,
            true, List.of(ok))), 1, 2, 3), T);

    // When
    final Verdict v = VerdictMapper.toVerdict(report, "evt-1", "1.2.3");

    // Then
    assertThat(v.getEventId()).isEqualTo("evt-1");
    assertThat(v.getVerifierVersion()).isEqualTo("1.2.3");
    assertThat(v.getArtifact().getDigest()).isEqualTo("sha256:" + "2".repeat(64));
    assertThat(v.getArtifact().getTag()).isEqualTo("v1");
    assertThat(v.getArtifact().getSize()).isEqualTo(527L);
    assertThat(v.getArtifactClass()).isEqualTo(dev.sigstream.schemas.avro.ArtifactClass.CONTAINER_IMAGE);
    assertThat(v.getClassification().getPlatform()).isEqualTo("linux/amd64");
    assertThat(v.getOutcome()).isEqualTo(Outcome.PASS);
    assertThat(v.getReasonCode()).isEqualTo(ReasonCode.OK);
    assertThat(v.getWarnings()).singleElement().satisfies(w -> {
      assertThat(w.getCheck()).isEqualTo(CheckType.REVOCATION);
      assertThat(w.getReasonCode()).isEqualTo(ReasonCode.REVOCATION_UNKNOWN);
    });
    assertThat(v.getPolicy().getLevel()).isEqualTo(dev.sigstream.schemas.avro.VerificationLevel.PERMISSIVE);
    final var s = v.getSignatures().get(0);
    assertThat(s.getSigningTimeMillis()).isEqualTo(T.toEpochMilli());
    assertThat(s.getTimestampMillis()).isEqualTo(T.toEpochMilli() + 1000);
    assertThat(s.getExpiryMillis()).isNull();
    assertThat(s.getChecks().get(1).getAction()).isEqualTo(CheckAction.LOGGED);
    assertThat(s.getChecks().get(1).getStatus()).isEqualTo(CheckStatus.FAILED);
    assertThat(v.getReferrers().getSboms().get(0).getPackageCount()).isEqualTo(2);
    assertThat(v.getReferrers().getAttestationCount()).isEqualTo(2);
    assertThat(v.getReferrers().getOtherCount()).isEqualTo(3);
    assertThat(v.getDecidedAt()).isEqualTo(T);
    assertThat(AvroJson.fromJson(AvroJson.toJson(v), Verdict.class)).isEqualTo(v);
  }

  @Test
  void unresolvedArtifact_mapsWithNullDigestAndNoPolicy() {
    final ArtifactReport report = new ArtifactReport(
        new ArtifactReport.ArtifactId("r.example", "team/app", null, "v1", null, null), null, null,
        ArtifactReport.Outcome.ERROR, Reason.REGISTRY_UNAVAILABLE, "down", List.of(), null, List.of(), null, T);

    final Verdict v = VerdictMapper.toVerdict(report, "evt-2", "dev");

    assertThat(v.getArtifact().getDigest()).isNull();
    assertThat(v.getPolicy()).isNull();
    assertThat(v.getOutcome()).isEqualTo(Outcome.ERROR);
    assertThat(v.getReasonCode()).isEqualTo(ReasonCode.REGISTRY_UNAVAILABLE);
    assertThat(v.getArtifactClass()).isEqualTo(dev.sigstream.schemas.avro.ArtifactClass.UNKNOWN);
  }
}
