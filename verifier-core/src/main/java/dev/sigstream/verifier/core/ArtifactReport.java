package dev.sigstream.verifier.core;

import dev.sigstream.notary.policy.VerificationLevel;
import dev.sigstream.oci.classify.ArtifactClass;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * The decision about one artifact, as a value (the domain twin of the Avro {@code Verdict}; the edge maps it).
 * Outcomes follow docs/verdicts.md:
 *
 * <ul>
 *   <li>PASS: the artifact was identified by digest, a non-skip statement applied, and at least one signature
 *       satisfied every enforced check (and every enforced SBOM check passed). Never on doubt.
 *   <li>FAIL: an enforced check failed definitively (including no signature, content not found or not trusted).
 *   <li>ERROR: an enforced check could not run (registry unavailable, credentials refused, deadline passed,
 *       revocation unknown, trust material missing); retrying or fixing configuration may help.
 *   <li>SKIPPED: the applicable statement has level {@code skip}; no signature was fetched.
 * </ul>
 *
 * @param artifact what was verified; {@code digest} is null only when the reference could not be resolved
 * @param artifactClass its class ({@link ArtifactClass#UNKNOWN} when not fetched)
 * @param classification kind and evidence, or null when the manifest was not fetched
 * @param outcome the decision
 * @param reason the deciding reason; {@link Reason#OK} for PASS
 * @param detail one human sentence
 * @param warnings failed checks that were only logged
 * @param policy the statement that applied, or null
 * @param signatures every tried signature, in order
 * @param referrers SBOM results and referrer counts
 * @param decidedAt from the injected clock
 * @param retryAfter for a retryable ERROR, how long the registry asked us to wait, when it said; else null
 */
public record ArtifactReport(
    ArtifactId artifact,
    ArtifactClass artifactClass,
    ClassificationInfo classification,
    Outcome outcome,
    Reason reason,
    String detail,
    List<CheckReport> warnings,
    AppliedPolicy policy,
    List<SignatureReport> signatures,
    ReferrerSummary referrers,
    Instant decidedAt,
    Duration retryAfter) {

  public enum Outcome { PASS, FAIL, ERROR, SKIPPED }

  public ArtifactReport {
    Objects.requireNonNull(artifact, "artifact");
    Objects.requireNonNull(outcome, "outcome");
    Objects.requireNonNull(reason, "reason");
    Objects.requireNonNull(decidedAt, "decidedAt");
    artifactClass = artifactClass == null ? ArtifactClass.UNKNOWN : artifactClass;
    detail = detail == null ? "" : detail;
    warnings = List.copyOf(warnings);
    signatures = List.copyOf(signatures);
    referrers = referrers == null ? ReferrerSummary.EMPTY : referrers;
    if (retryAfter != null && (retryAfter.isNegative() || outcome != Outcome.ERROR)) {
      throw new IllegalArgumentException("retryAfter is for ERROR outcomes and never negative");
    }
  }

  /** A report without a registry-given retry delay. */
  public ArtifactReport(final ArtifactId artifact, final ArtifactClass artifactClass,
      final ClassificationInfo classification, final Outcome outcome, final Reason reason, final String detail,
      final List<CheckReport> warnings, final AppliedPolicy policy, final List<SignatureReport> signatures,
      final ReferrerSummary referrers, final Instant decidedAt) {
    this(artifact, artifactClass, classification, outcome, reason, detail, warnings, policy, signatures, referrers,
        decidedAt, null);
  }

  /**
   * Whether a stream processor should try this artifact again later instead of publishing the outcome as final: an
   * ERROR whose reason may clear by itself ({@link Reason#retryable()}). FAIL, PASS and SKIPPED never are.
   */
  public boolean retryable() {
    return outcome == Outcome.ERROR && reason.retryable();
  }

  /**
   * The artifact. Verification is always by digest; the tag is what the caller named, informational only.
   *
   * @param mediaType manifest media type, null when not fetched
   * @param size manifest size in bytes, null when not fetched
   */
  public record ArtifactId(String registry, String repository, String digest, String tag, String mediaType,
      Long size) {
    public ArtifactId {
      Objects.requireNonNull(registry, "registry");
      Objects.requireNonNull(repository, "repository");
    }

    /** {@code registry/repository@digest}, or with {@code :tag} when unresolved. */
    public String display() {
      return registry + "/" + repository + (digest != null ? "@" + digest : tag != null ? ":" + tag : "");
    }
  }

  /** @param platform {@code os/arch[/variant]} or null */
  public record ClassificationInfo(String kind, String evidence, String platform) {}

  public record AppliedPolicy(String statement, VerificationLevel level) {}

  /** @param sboms one result per SBOM referrer */
  public record ReferrerSummary(List<SbomOutcome> sboms, int signatureCount, int attestationCount, int otherCount) {
    public static final ReferrerSummary EMPTY = new ReferrerSummary(List.of(), 0, 0, 0);

    public ReferrerSummary {
      sboms = List.copyOf(sboms);
    }
  }

  public boolean passed() {
    return outcome == Outcome.PASS;
  }
}
