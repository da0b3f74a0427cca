package dev.sigstream.verifier.core;

import dev.sigstream.notary.NotaryVerifier;
import dev.sigstream.notary.PolicySelection;
import dev.sigstream.notary.SignatureCandidate;
import dev.sigstream.notary.TargetDescriptor;
import dev.sigstream.notary.VerificationResult;
import dev.sigstream.notary.policy.TrustPolicyStatement;
import dev.sigstream.oci.Descriptor;
import dev.sigstream.oci.Reference;
import dev.sigstream.oci.classify.ArtifactClass;
import dev.sigstream.oci.classify.Classification;
import dev.sigstream.oci.sbom.SbomChecker;
import dev.sigstream.oci.sbom.SbomFormat;
import dev.sigstream.oci.sbom.SbomPolicy;
import dev.sigstream.oci.sbom.SbomReport;
import dev.sigstream.verifier.core.ArtifactReport.AppliedPolicy;
import dev.sigstream.verifier.core.ArtifactReport.ArtifactId;
import dev.sigstream.verifier.core.ArtifactReport.ClassificationInfo;
import dev.sigstream.verifier.core.ArtifactReport.Outcome;
import dev.sigstream.verifier.core.ArtifactReport.ReferrerSummary;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.stream.Collectors;

/**
 * The pure decision: {@code (discovered material, trust statement, artifact policy) -> report}. No registry, no
 * futures: unit tests call it with values. Notary verification of the fetched envelopes, SBOM parsing and the
 * outcome rules of docs/verdicts.md all happen here, on whatever thread calls it (the verifier's executor, never an
 * HTTP client thread). Nothing but a verified signature over the discovered digest yields PASS.
 *
 * <p>Immutable and thread-safe.
 */
final class ReportDecision {

  private final NotaryVerifier notary;
  private final SbomPolicy sbomPolicy;
  private final SbomChecker sbomChecker;
  private final VerifyLimits limits;
  private final Clock clock;
  private final ClassPolicy classes;

  ReportDecision(final NotaryVerifier notary, final SbomPolicy sbomPolicy, final VerifyLimits limits,
      final Clock clock) {
    this(notary, sbomPolicy, ClassPolicy.DEFAULT, limits, clock);
  }

  ReportDecision(final NotaryVerifier notary, final SbomPolicy sbomPolicy, final ClassPolicy classes,
      final VerifyLimits limits, final Clock clock) {
    this.classes = Objects.requireNonNull(classes, "classes");
    this.notary = Objects.requireNonNull(notary, "notary");
    this.sbomPolicy = Objects.requireNonNull(sbomPolicy, "sbomPolicy");
    this.sbomChecker = new SbomChecker(sbomPolicy);
    this.limits = Objects.requireNonNull(limits, "limits");
    this.clock = Objects.requireNonNull(clock, "clock");
  }

  /** The statement for {@code artifact}'s repository (pure; memoised by notary). */
  PolicySelection select(final Reference byDigest) {
    return notary.selectPolicy(byDigest.registry() + "/" + byDigest.repository() + "@" + byDigest.digest());
  }

  /** A report when no statement applies or the applicable one is {@code skip}: nothing was fetched. */
  ArtifactReport beforeDiscovery(final Reference byDigest, final PolicySelection selection) {
    final ArtifactId id = id(byDigest, null);
    if (selection instanceof PolicySelection.NotApplicable na) {
      final Reason reason = Reason.of(na.reason());
      return report(id, null, reason.inconclusive() ? Outcome.ERROR : Outcome.FAIL, reason, na.detail(),
          List.of(), null, List.of(), null, null);
    }
    final TrustPolicyStatement statement = ((PolicySelection.Applicable) selection).statement();
    // The spec: a skip statement returns before any signature is fetched.
    return report(id, null, Outcome.SKIPPED, Reason.POLICY_SKIPPED, "trust policy statement \"" + statement.name()
        + "\" skips signature verification", List.of(), applied(statement), List.of(), null, null);
  }

  /** The reference could not be resolved, or resolution was cut short. */
  ArtifactReport unresolved(final Reference ref, final FetchProblem problem) {
    return failure(new ArtifactId(ref.registry(), ref.repository(), ref.isDigest() ? ref.digest().toString() : null,
        ref.tag(), null, null), null, null, problem);
  }

  /**
   * The decision for an artifact whose applicable statement verifies (any level but skip).
   *
   * @param userMetadata key/values every accepted signature's payload must carry
   */
  ArtifactReport decide(final Discovery discovery, final TrustPolicyStatement statement,
      final Map<String, String> userMetadata) {
    final AppliedPolicy applied = applied(statement);
    if (discovery instanceof Discovery.Failed f) {
      return failure(id(f.artifact(), f.manifest().orElse(null)), f.classification().orElse(null), applied,
          f.problem());
    }
    final Discovery.Complete d = (Discovery.Complete) discovery;
    final ArtifactId id = id(d.artifact(), d.manifest());
    final TargetDescriptor target = new TargetDescriptor(d.manifest().mediaType() == null ? ""
        : d.manifest().mediaType(), d.artifact().digest().toString(), d.manifest().bytes().length);
    final ClassPolicy.Rule rule = classes.rule(d.classification().artifactClass());
    if (!rule.signature()) {
      // Not verified, so never PASS: the class policy asks nothing of this class.
      return report(id, d.classification(), Outcome.SKIPPED, Reason.POLICY_SKIPPED, "the class policy requires no"
          + " signature of " + d.classification().artifactClass(), List.of(), applied, List.of(), null, null);
    }
    final ArtifactReport signatures = signatures(id, d, target, statement, applied, userMetadata);
    return withSboms(signatures, d, rule.signedSboms() || sbomPolicy.requireSignature());
  }

  // ------------------------------------------------------------------------------------------------- signatures

  private ArtifactReport signatures(final ArtifactId id, final Discovery.Complete d, final TargetDescriptor target,
      final TrustPolicyStatement statement, final AppliedPolicy applied, final Map<String, String> md) {
    final List<SignatureCandidate> candidates = new ArrayList<>();
    final List<SignatureReport> unusable = new ArrayList<>();
    for (final SignatureMaterial m : d.signatures()) {
      if (m.candidate().isPresent()) {
        candidates.add(m.candidate().get());
      } else {
        final FetchProblem p = m.problem().orElseThrow();
        unusable.add(SignatureReport.unusable(m.descriptor().digest().toString(), m.envelopeMediaType(), p.reason(),
            p.detail()));
      }
    }
    final VerificationResult vr = notary.verifyWith(statement, target, candidates, md);
    final boolean tooMany = d.signaturesBeyondCap() > 0;
    final List<SignatureReport> sigs = new ArrayList<>();
    vr.signatures().forEach(s -> sigs.add(SignatureReport.of(s)));
    sigs.addAll(unusable);
    final List<CheckReport> warnings = new ArrayList<>();
    vr.warnings().forEach(w -> warnings.add(CheckReport.of(w)));
    if (tooMany) {
      warnings.add(CheckReport.warning(CheckType.POLICY, Reason.TOO_MANY_SIGNATURES, "more than "
          + limits.maxSignatures() + " signatures found; only the first " + limits.maxSignatures() + " were tried"));
    }
    final Classification cls = d.classification();
    if (vr.outcome() == VerificationResult.Outcome.PASS) {
      return report(id, cls, Outcome.PASS, Reason.OK, vr.detail(), warnings, applied, sigs, null, null);
    }
    // Nothing verified. A signature we could not fetch for a transient reason might have verified: inconclusive.
    final SignatureMaterial transientFailure = d.signatures().stream()
        .filter(m -> m.problem().map(p -> p.reason().inconclusive()).orElse(false)).findFirst().orElse(null);
    final String suffix = d.truncated() ? " (the referrers list was truncated at the registry client's cap)" : "";
    if (transientFailure != null) {
      final FetchProblem p = transientFailure.problem().orElseThrow();
      return report(id, cls, Outcome.ERROR, p.reason(), p.detail() + suffix, warnings, applied, sigs, null,
          p.retryAfter().orElse(null));
    }
    if (tooMany) {
      return report(id, cls, Outcome.FAIL, Reason.TOO_MANY_SIGNATURES, "none of the first "
          + limits.maxSignatures() + " signatures satisfies the policy; evaluation stopped at the limit", warnings,
          applied, sigs, null, null);
    }
    if (vr.signatures().isEmpty() && !unusable.isEmpty()) {
      final CheckReport c = unusable.get(0).decisiveFailure().orElseThrow();
      return report(id, cls, Outcome.FAIL, c.reason(), c.detail() + suffix, warnings, applied, sigs, null, null);
    }
    final Outcome o = vr.outcome() == VerificationResult.Outcome.ERROR ? Outcome.ERROR : Outcome.FAIL;
    return report(id, cls, o, Reason.of(vr.reason()), vr.detail() + suffix, warnings, applied, sigs, null, null);
  }

  // ------------------------------------------------------------------------------------------- index children

  /**
   * A platform manifest of an image index, decided with its index. {@code notation sign} signs the index, whose
   * content names each child by digest, so a verified index signature authenticates every child it lists. A child
   * whose only failure is that it carries no signature of its own therefore passes on the index's signatures; any
   * other failure of the child (its own signature invalid, an SBOM denied, a registry error) stands.
   *
   * @param child the child verified on its own
   * @param index the index verified on its own
   * @param indexLists whether the verified index's manifest lists the child's digest
   */
  static ArtifactReport child(final ArtifactReport child, final ArtifactReport index, final boolean indexLists) {
    if (child.outcome() != Outcome.FAIL || child.reason() != Reason.NO_SIGNATURE || !index.passed()
        || !indexLists) {
      return child;
    }
    final ReferrerSummary refs = child.referrers();
    if (refs != null) {
      for (final SbomOutcome s : refs.sboms()) {
        for (final CheckReport c : s.checks()) {
          if (c.isEnforcedFailure()) {
            final Outcome o = c.reason().inconclusive() ? Outcome.ERROR : Outcome.FAIL;
            return new ArtifactReport(child.artifact(), child.artifactClass(), child.classification(), o, c.reason(),
                "SBOM check failed: " + c.detail(), child.warnings(), index.policy(), index.signatures(), refs,
                child.decidedAt());
          }
        }
      }
    }
    return new ArtifactReport(child.artifact(), child.artifactClass(), child.classification(), Outcome.PASS,
        Reason.OK, "no signature of its own; covered by the verified signature of image index "
        + index.artifact().digest() + ", which lists it", child.warnings(), index.policy(), index.signatures(), refs,
        child.decidedAt());
  }

  // ------------------------------------------------------------------------------------------------------ SBOMs

  private ArtifactReport withSboms(final ArtifactReport r, final Discovery.Complete d, final boolean signedSboms) {
    final List<SbomOutcome> sboms = new ArrayList<>();
    for (final SbomMaterial m : d.sboms()) {
      sboms.add(sbom(m, d.artifact(), signedSboms));
    }
    int signatures = 0;
    int attestations = 0;
    int other = d.sbomsBeyondCap();
    for (final Discovery.Listed l : d.referrers()) {
      final ArtifactClass c = l.classification().artifactClass();
      if (l.notarySignature() || c == ArtifactClass.SIGNATURE) {
        signatures++;
      } else if (c == ArtifactClass.ATTESTATION) {
        attestations++;
      } else if (c != ArtifactClass.SBOM) {
        other++;
      }
    }
    final ReferrerSummary summary = new ReferrerSummary(sboms, signatures, attestations, other);
    final List<CheckReport> warnings = new ArrayList<>(r.warnings());
    CheckReport firstEnforced = null;
    for (final SbomOutcome s : sboms) {
      for (final CheckReport c : s.checks()) {
        if (c.isWarning()) {
          warnings.add(c);
        } else if (c.isEnforcedFailure() && firstEnforced == null) {
          firstEnforced = c;
        }
      }
    }
    if (r.outcome() == Outcome.PASS && firstEnforced != null) {
      final Outcome o = firstEnforced.reason().inconclusive() ? Outcome.ERROR : Outcome.FAIL;
      return new ArtifactReport(r.artifact(), r.artifactClass(), r.classification(), o, firstEnforced.reason(),
          "SBOM check failed: " + firstEnforced.detail(), warnings, r.policy(), r.signatures(), summary,
          r.decidedAt());
    }
    return new ArtifactReport(r.artifact(), r.artifactClass(), r.classification(), r.outcome(), r.reason(),
        r.detail(), warnings, r.policy(), r.signatures(), summary, r.decidedAt(), r.retryAfter());
  }

  private SbomOutcome sbom(final SbomMaterial m, final Reference subject, final boolean requireSignature) {
    final boolean enforce = !SbomPolicy.NONE.equals(sbomPolicy) || requireSignature;
    final CheckReport.Action action = enforce ? CheckReport.Action.ENFORCED : CheckReport.Action.LOGGED;
    final String digest = m.descriptor().digest().toString();
    final SbomSignature sig = sbomSignature(m, subject);
    if (m.problem().isPresent()) {
      final FetchProblem p = m.problem().get();
      return new SbomOutcome(digest, "unknown", null, sig.verified(), false, List.of(
          new CheckReport(CheckType.SBOM, action, CheckReport.Status.FAILED, p.reason(), p.detail())));
    }
    final List<CheckReport> checks = new ArrayList<>();
    final SbomReport r = sbomChecker.check(m.documentBytes().orElseThrow(),
        m.document().map(Descriptor::mediaType).orElse(null));
    final String format = SbomFormats.name(r.format());
    if (r.format() == SbomFormat.UNKNOWN) {
      checks.add(failed(action, Reason.SBOM_FORMAT_UNKNOWN, "the SBOM format could not be identified"
          + (r.problems().isEmpty() ? "" : ": " + r.problems().get(0))));
    } else if (!r.problems().isEmpty()) {
      checks.add(failed(action, Reason.SBOM_INVALID, String.join("; ", r.problems())));
    } else {
      checks.add(CheckReport.passed(CheckType.SBOM, action, format + " " + r.specVersion() + " with "
          + r.packageCount() + " packages is structurally valid"));
    }
    if (!r.licenseViolations().isEmpty()) {
      checks.add(failed(action, Reason.SBOM_DENIED_LICENSE, violations(r.licenseViolations())));
    }
    if (!r.packageViolations().isEmpty()) {
      checks.add(failed(action, Reason.SBOM_DENIED_PACKAGE, violations(r.packageViolations())));
    }
    final CheckReport.Action sigAction = requireSignature ? CheckReport.Action.ENFORCED : CheckReport.Action.LOGGED;
    if (sig.verified()) {
      checks.add(CheckReport.passed(CheckType.SBOM, sigAction, "the SBOM carries a verified signature"));
    } else if (requireSignature) {
      checks.add(failed(sigAction, sig.unsigned() ? Reason.SBOM_UNSIGNED : Reason.SBOM_SIGNATURE_INVALID,
          sig.detail()));
    }
    final boolean passed = checks.stream().noneMatch(c -> c.status() == CheckReport.Status.FAILED);
    return new SbomOutcome(digest, format, r.format() == SbomFormat.UNKNOWN ? null : r.packageCount(),
        sig.verified(), passed, checks);
  }

  private record SbomSignature(boolean verified, boolean unsigned, String detail) {}

  /** The SBOM's own signatures, verified under the statement of its repository, exactly like the artifact's. */
  private SbomSignature sbomSignature(final SbomMaterial m, final Reference subject) {
    if (m.signaturesProblem().isPresent()) {
      return new SbomSignature(false, false, m.signaturesProblem().get().detail());
    }
    if (m.signatures().isEmpty()) {
      return new SbomSignature(false, true, "no signature referrer on the SBOM");
    }
    final List<SignatureCandidate> candidates = new ArrayList<>();
    String problem = null;
    for (final SignatureMaterial s : m.signatures()) {
      if (s.candidate().isPresent()) {
        candidates.add(s.candidate().get());
      } else if (problem == null) {
        problem = s.problem().map(FetchProblem::detail).orElse("unusable signature");
      }
    }
    if (candidates.isEmpty() || m.manifestDescriptor().isEmpty()) {
      return new SbomSignature(false, false, problem == null ? "the SBOM manifest was not read" : problem);
    }
    final Descriptor sd = m.manifestDescriptor().get();
    final TargetDescriptor target = new TargetDescriptor(sd.mediaType() == null ? "" : sd.mediaType(),
        sd.digest().toString(), sd.size());
    final VerificationResult vr = notary.verify(subject.registry() + "/" + subject.repository() + "@" + sd.digest(),
        target, candidates, Map.of());
    return vr.passed() ? new SbomSignature(true, false, vr.detail())
        : new SbomSignature(false, false, vr.reason() + ": " + vr.detail());
  }

  private static CheckReport failed(final CheckReport.Action action, final Reason reason, final String detail) {
    return new CheckReport(CheckType.SBOM, action, CheckReport.Status.FAILED, reason, detail);
  }

  private static String violations(final List<SbomReport.Violation> vs) {
    return vs.stream().limit(5).map(v -> v.packageName() + (v.packageVersion() == null ? "" : "@" + v.packageVersion())
        + ": " + v.detail()).collect(Collectors.joining("; ")) + (vs.size() > 5 ? "; and " + (vs.size() - 5)
        + " more" : "");
  }

  // ---------------------------------------------------------------------------------------------------- reports

  ArtifactReport failure(final ArtifactId id, final Classification cls, final AppliedPolicy applied,
      final FetchProblem p) {
    final Outcome o = p.reason().inconclusive() ? Outcome.ERROR : Outcome.FAIL;
    return report(id, cls, o, p.reason(), p.detail(), List.of(), applied, List.of(), null,
        o == Outcome.ERROR ? p.retryAfter().orElse(null) : null);
  }

  ArtifactReport internalError(final Reference ref, final Throwable e) {
    return report(new ArtifactId(ref.registry(), ref.repository(), ref.isDigest() ? ref.digest().toString() : null,
        ref.tag(), null, null), null, Outcome.ERROR, Reason.INTERNAL_ERROR, "internal error: "
        + e.getClass().getSimpleName(), List.of(), null, List.of(), null, null);
  }

  private ArtifactReport report(final ArtifactId id, final Classification cls, final Outcome outcome,
      final Reason reason, final String detail, final List<CheckReport> warnings, final AppliedPolicy policy,
      final List<SignatureReport> sigs, final ReferrerSummary referrers, final Duration retryAfter) {
    return new ArtifactReport(id, cls == null ? ArtifactClass.UNKNOWN : cls.artifactClass(), info(cls), outcome,
        reason, detail, warnings, policy, sigs, referrers, clock.instant(), retryAfter);
  }

  private static AppliedPolicy applied(final TrustPolicyStatement s) {
    return new AppliedPolicy(s.name(), s.level());
  }

  private static ArtifactId id(final Reference byDigest, final dev.sigstream.oci.Manifest m) {
    return new ArtifactId(byDigest.registry(), byDigest.repository(), byDigest.digest().toString(), byDigest.tag(),
        m == null ? null : m.mediaType(), m == null ? null : (long) m.bytes().length);
  }

  static ClassificationInfo info(final Classification c) {
    if (c == null) {
      return null;
    }
    final String evidence = c.evidence().isEmpty() ? "" : c.evidence().stream()
        .map(e -> e.field() + "=" + e.value()).collect(Collectors.joining(", "));
    return new ClassificationInfo(c.kind(), evidence, c.platform() == null ? null : c.platform().toString());
  }
}
