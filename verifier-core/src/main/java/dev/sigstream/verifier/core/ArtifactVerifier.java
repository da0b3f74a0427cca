package dev.sigstream.verifier.core;

import dev.sigstream.notary.NotaryVerifier;
import dev.sigstream.notary.PolicySelection;
import dev.sigstream.notary.SignatureCandidate;
import dev.sigstream.notary.TargetDescriptor;
import dev.sigstream.notary.VerificationResult;
import dev.sigstream.notary.policy.TrustPolicyStatement;
import dev.sigstream.oci.Descriptor;
import dev.sigstream.oci.Digest;
import dev.sigstream.oci.FetchResult;
import dev.sigstream.oci.Manifest;
import dev.sigstream.oci.MediaTypes;
import dev.sigstream.oci.Reference;
import dev.sigstream.oci.Referrers;
import dev.sigstream.oci.RegistryClient;
import dev.sigstream.oci.classify.ArtifactClass;
import dev.sigstream.oci.classify.ArtifactClassifier;
import dev.sigstream.oci.classify.Classification;
import dev.sigstream.oci.sbom.SbomChecker;
import dev.sigstream.oci.sbom.SbomPolicy;
import dev.sigstream.oci.sbom.SbomSignatureCheck;
import dev.sigstream.verifier.core.ArtifactReport.AppliedPolicy;
import dev.sigstream.verifier.core.ArtifactReport.ArtifactId;
import dev.sigstream.verifier.core.ArtifactReport.ClassificationInfo;
import dev.sigstream.verifier.core.ArtifactReport.Outcome;
import dev.sigstream.verifier.core.ArtifactReport.ReferrerSummary;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Verifies one artifact end to end, shared by the CLI and the stream verifier: resolve the reference to a digest
 * once, select the trust policy statement (level {@code skip} stops here, before any signature is fetched), fetch
 * the manifest, classify it, list its referrers, fetch and size-cap the Notary signature envelopes (both signature
 * manifest shapes), verify them with {@link NotaryVerifier}, and check SBOM referrers (including their own
 * signatures, through {@link NotarySbomSignatureCheck}).
 *
 * <p>Contract:
 *
 * <ul>
 *   <li>Immutable and thread-safe; {@link #verify} may be called concurrently. Registry I/O is asynchronous; Notary
 *       verification (CPU, and OCSP/CRL/TSA behind notary's bounded ports) runs on the injected executor.
 *   <li>The returned future never completes exceptionally: registry failures map as the oci {@link FetchResult}
 *       Javadoc says (not found, invalid, not allowed → FAIL; credentials, rate limits, unavailable, deadline →
 *       ERROR with a reason code), and a bug becomes ERROR {@link Reason#INTERNAL_ERROR}. Nothing but a verified
 *       signature over the resolved digest yields PASS.
 *   <li>Time comes from the injected {@link Clock} ({@code decidedAt}); the notary verifier carries its own.
 * </ul>
 */
public final class ArtifactVerifier {

  private static final Logger log = LoggerFactory.getLogger(ArtifactVerifier.class);

  private final RegistryClient registry;
  private final NotaryVerifier notary;
  private final ArtifactClassifier classifier;
  private final SbomChecker sbomChecker;
  private final SbomPolicy sbomPolicy;
  private final SbomSignatureCheck sbomSignatures;
  private final Clock clock;
  private final VerifyLimits limits;
  private final Executor executor;
  private final SignatureFetcher signatureFetcher;

  private ArtifactVerifier(final Builder b) {
    this.registry = Objects.requireNonNull(b.registry, "registry");
    this.notary = Objects.requireNonNull(b.notary, "notary");
    this.classifier = b.classifier == null ? new ArtifactClassifier() : b.classifier;
    this.sbomPolicy = b.sbomPolicy == null ? SbomPolicy.NONE : b.sbomPolicy;
    this.sbomChecker = new SbomChecker(sbomPolicy);
    this.clock = Objects.requireNonNull(b.clock, "clock");
    this.limits = b.limits == null ? VerifyLimits.DEFAULTS : b.limits;
    this.executor = b.executor == null ? ForkJoinPool.commonPool() : b.executor;
    this.signatureFetcher = new SignatureFetcher(registry, limits);
    this.sbomSignatures = new NotarySbomSignatureCheck(signatureFetcher, notary, executor);
  }

  public static Builder builder() {
    return new Builder();
  }

  /** Builder: registry, notary and clock are required. */
  public static final class Builder {
    private RegistryClient registry;
    private NotaryVerifier notary;
    private ArtifactClassifier classifier;
    private SbomPolicy sbomPolicy;
    private Clock clock;
    private VerifyLimits limits;
    private Executor executor;

    private Builder() {}

    public Builder registry(final RegistryClient registry) {
      this.registry = registry;
      return this;
    }

    public Builder notary(final NotaryVerifier notary) {
      this.notary = notary;
      return this;
    }

    public Builder classifier(final ArtifactClassifier classifier) {
      this.classifier = classifier;
      return this;
    }

    /**
     * Deny lists and the signed-SBOM requirement. With {@link SbomPolicy#NONE} (the default) SBOMs are still checked
     * and reported, but their failures are only warnings; with any other policy they are enforced.
     */
    public Builder sbomPolicy(final SbomPolicy sbomPolicy) {
      this.sbomPolicy = sbomPolicy;
      return this;
    }

    public Builder clock(final Clock clock) {
      this.clock = clock;
      return this;
    }

    public Builder limits(final VerifyLimits limits) {
      this.limits = limits;
      return this;
    }

    /** Where Notary verification runs (it may block on OCSP/CRL); default the common pool. */
    public Builder executor(final Executor executor) {
      this.executor = executor;
      return this;
    }

    public ArtifactVerifier build() {
      return new ArtifactVerifier(this);
    }
  }

  /**
   * Verifies {@code ref} (by digest, or by tag resolved once to a digest).
   *
   * @param userMetadata key/values every accepted signature's payload must carry (may be empty)
   */
  public CompletableFuture<ArtifactReport> verify(final Reference ref, final Map<String, String> userMetadata) {
    Objects.requireNonNull(ref, "ref");
    final Map<String, String> metadata = Map.copyOf(userMetadata);
    final ArtifactId unresolved = new ArtifactId(ref.registry(), ref.repository(),
        ref.isDigest() ? ref.digest().toString() : null, ref.tag(), null, null);
    final CompletableFuture<ArtifactReport> work;
    try {
      work = resolve(ref).thenCompose(r -> {
        if (!(r instanceof FetchResult.Found<Digest> found)) {
          return done(registryFailure(unresolved, r, "resolving " + ref));
        }
        return afterResolve(ref.withDigest(found.value()), metadata);
      });
    } catch (final RuntimeException e) {
      return done(internalError(unresolved, e));
    }
    return work
        .orTimeout(limits.deadline().toMillis(), TimeUnit.MILLISECONDS)
        .exceptionally(e -> {
          final Throwable cause = e instanceof CompletionException && e.getCause() != null ? e.getCause() : e;
          if (cause instanceof TimeoutException) {
            return report(unresolved, null, Outcome.ERROR, Reason.DEADLINE_EXCEEDED, "verification did not"
                + " finish within " + limits.deadline().toMillis() + " ms", List.of(), null, List.of(), null);
          }
          return internalError(unresolved, cause);
        });
  }

  private CompletableFuture<FetchResult<Digest>> resolve(final Reference ref) {
    if (ref.isDigest()) {
      return done(FetchResult.found(ref.digest()));
    }
    // Tags are mutable: resolve once, then everything below works on the digest only.
    return registry.resolve(ref).thenApply(r -> r.map(Descriptor::digest));
  }

  private CompletableFuture<ArtifactReport> afterResolve(final Reference byDigest, final Map<String, String> md) {
    final ArtifactId idNoManifest = new ArtifactId(byDigest.registry(), byDigest.repository(),
        byDigest.digest().toString(), byDigest.tag(), null, null);
    final String policyRef = byDigest.registry() + "/" + byDigest.repository() + "@" + byDigest.digest();
    final PolicySelection sel = notary.selectPolicy(policyRef);
    if (sel instanceof PolicySelection.NotApplicable na) {
      final Reason reason = Reason.of(na.reason());
      return done(report(idNoManifest, null, reason.inconclusive() ? Outcome.ERROR : Outcome.FAIL, reason,
          na.detail(), List.of(), null, List.of(), null));
    }
    final TrustPolicyStatement statement = ((PolicySelection.Applicable) sel).statement();
    final AppliedPolicy applied = new AppliedPolicy(statement.name(), statement.level());
    if (((PolicySelection.Applicable) sel).skip()) {
      // The spec: a skip statement returns before any signature is fetched.
      return done(report(idNoManifest, null, Outcome.SKIPPED, Reason.POLICY_SKIPPED, "trust policy statement \""
          + statement.name() + "\" skips signature verification", List.of(), applied, List.of(), null));
    }
    final Reference repoRef = Reference.repository(byDigest.registry(), byDigest.repository());
    return registry.manifest(repoRef.withDigest(byDigest.digest())).thenCompose(mr -> {
          if (!(mr instanceof FetchResult.Found<Manifest> mf)) {
            return done(withPolicy(registryFailure(idNoManifest, mr, "fetching manifest " + byDigest), applied));
          }
          final Manifest manifest = mf.value();
          final ArtifactId id = new ArtifactId(byDigest.registry(), byDigest.repository(),
              byDigest.digest().toString(), byDigest.tag(), manifest.mediaType(), (long) manifest.bytes().length);
          final Classification cls = classifier.classify(manifest, byDigest.tag(), Map.of());
          final TargetDescriptor target = new TargetDescriptor(
              manifest.mediaType() == null ? "" : manifest.mediaType(), byDigest.digest().toString(),
              manifest.bytes().length);
          return registry.referrers(repoRef.withDigest(byDigest.digest()), null).thenCompose(rr -> {
            if (!(rr instanceof FetchResult.Found<Referrers> rf)) {
              return done(withClass(withPolicy(registryFailure(id, rr, "listing referrers of " + byDigest),
                  applied), cls));
            }
            return verifyReferrers(repoRef.withDigest(byDigest.digest()), id, cls, target, statement, applied,
                rf.value(), md);
          });
        });
  }

  private CompletableFuture<ArtifactReport> verifyReferrers(final Reference subject, final ArtifactId id,
      final Classification cls, final TargetDescriptor target, final TrustPolicyStatement statement,
      final AppliedPolicy applied, final Referrers referrers, final Map<String, String> md) {
    final List<Descriptor> notarySigs = new ArrayList<>();
    final List<Descriptor> sboms = new ArrayList<>();
    int signatures = 0;
    int attestations = 0;
    int other = 0;
    for (final Descriptor d : referrers.referrers()) {
      final Classification c = classifier.classifyDescriptor(d);
      if (isNotarySignature(d, c)) {
        notarySigs.add(d);
        signatures++;
      } else if (c.artifactClass() == ArtifactClass.SIGNATURE) {
        signatures++;
      } else if (c.artifactClass() == ArtifactClass.ATTESTATION) {
        attestations++;
      } else if (c.artifactClass() == ArtifactClass.SBOM) {
        sboms.add(d);
      } else {
        other++;
      }
    }
    final int tried = Math.min(notarySigs.size(), limits.maxSignatures());
    final List<CompletableFuture<SignatureFetcher.Fetched>> fetches = new ArrayList<>();
    for (int i = 0; i < tried; i++) {
      fetches.add(signatureFetcher.fetch(subject, notarySigs.get(i)));
    }
    final int sigCount = signatures;
    final int attCount = attestations;
    final int otherCount = other + Math.max(0, sboms.size() - limits.maxSboms());
    final CompletableFuture<List<SbomOutcome>> sbomResults = checkSboms(subject,
        sboms.subList(0, Math.min(sboms.size(), limits.maxSboms())));
    final CompletableFuture<ArtifactReport> sigResult = allOf(fetches).thenApplyAsync(fetched -> {
      final List<SignatureCandidate> candidates = new ArrayList<>();
      final List<SignatureReport> unusable = new ArrayList<>();
      for (final SignatureFetcher.Fetched f : fetched) {
        if (f.candidate() != null) {
          candidates.add(f.candidate());
        } else {
          unusable.add(f.unusable());
        }
      }
      final VerificationResult vr = notary.verifyWith(statement, target, candidates, md);
      return decide(id, cls, applied, vr, unusable, notarySigs.size() > tried, referrers.truncated());
    }, executor);
    return sigResult.thenCombine(sbomResults, (r, s) -> withSboms(r, s, sigCount, attCount, otherCount));
  }

  /** Both signature-manifest shapes list as artifactType {@code application/vnd.cncf.notary.signature}. */
  static boolean isNotarySignature(final Descriptor d, final Classification c) {
    return MediaTypes.NOTARY_SIGNATURE.equals(MediaTypes.normalize(d.artifactType()))
        || c.artifactClass() == ArtifactClass.SIGNATURE && "notation-signature".equals(c.kind());
  }

  private ArtifactReport decide(final ArtifactId id, final Classification cls, final AppliedPolicy applied,
      final VerificationResult vr, final List<SignatureReport> unusable, final boolean tooMany,
      final boolean truncated) {
    final List<SignatureReport> sigs = new ArrayList<>();
    vr.signatures().forEach(s -> sigs.add(SignatureReport.of(s)));
    sigs.addAll(unusable);
    final List<CheckReport> warnings = new ArrayList<>();
    vr.warnings().forEach(w -> warnings.add(CheckReport.of(w)));
    if (tooMany) {
      warnings.add(CheckReport.warning(CheckType.POLICY, Reason.TOO_MANY_SIGNATURES, "more than "
          + limits.maxSignatures() + " signatures found; only the first " + limits.maxSignatures() + " were tried"));
    }
    if (vr.outcome() == VerificationResult.Outcome.PASS) {
      return report(id, cls, Outcome.PASS, Reason.OK, vr.detail(), warnings, applied, sigs, null);
    }
    // Nothing verified. A signature we could not fetch for a transient reason might have verified: inconclusive.
    final SignatureReport transientFailure = unusable.stream()
        .filter(u -> u.decisiveFailure().map(c -> c.reason().inconclusive()).orElse(false)).findFirst().orElse(null);
    final String suffix = truncated ? " (the referrers list was truncated at the registry client's cap)" : "";
    if (transientFailure != null) {
      final CheckReport c = transientFailure.decisiveFailure().orElseThrow();
      return report(id, cls, Outcome.ERROR, c.reason(), c.detail() + suffix, warnings, applied, sigs, null);
    }
    if (tooMany) {
      return report(id, cls, Outcome.FAIL, Reason.TOO_MANY_SIGNATURES, "none of the first "
          + limits.maxSignatures() + " signatures satisfies the policy; evaluation stopped at the limit", warnings,
          applied, sigs, null);
    }
    if (vr.signatures().isEmpty() && !unusable.isEmpty()) {
      final CheckReport c = unusable.get(0).decisiveFailure().orElseThrow();
      return report(id, cls, Outcome.FAIL, c.reason(), c.detail() + suffix, warnings, applied, sigs, null);
    }
    final Outcome o = vr.outcome() == VerificationResult.Outcome.ERROR ? Outcome.ERROR : Outcome.FAIL;
    return report(id, cls, o, Reason.of(vr.reason()), vr.detail() + suffix, warnings, applied, sigs, null);
  }

  // ---------------------------------------------------------------------------------------------------------- SBOMs

  private CompletableFuture<List<SbomOutcome>> checkSboms(final Reference subject, final List<Descriptor> sboms) {
    final List<CompletableFuture<SbomOutcome>> fs = new ArrayList<>();
    for (final Descriptor d : sboms) {
      fs.add(checkSbom(subject, d));
    }
    return allOf(fs);
  }

  private CompletableFuture<SbomOutcome> checkSbom(final Reference subject, final Descriptor d) {
    final boolean enforce = !SbomPolicy.NONE.equals(sbomPolicy);
    final CheckReport.Action action = enforce ? CheckReport.Action.ENFORCED : CheckReport.Action.LOGGED;
    final Reference sbomRef = subject.withDigest(d.digest());
    return registry.manifest(sbomRef).thenCompose(mr -> {
      if (!(mr instanceof FetchResult.Found<Manifest> found)) {
        return done(new SbomOutcome(d.digest().toString(), "unknown", null, false, false, List.of(
            new CheckReport(CheckType.SBOM, action, CheckReport.Status.FAILED, RegistryFailures.reason(mr),
                "SBOM manifest: " + mr.describe()))));
      }
      final Manifest m = found.value();
      final Descriptor layer = m.layers().isEmpty() ? null : m.layers().get(0);
      if (layer == null || layer.size() > limits.maxSbomBytes()) {
        return done(new SbomOutcome(d.digest().toString(), "unknown", null, false, false, List.of(
            new CheckReport(CheckType.SBOM, action, CheckReport.Status.FAILED,
                layer == null ? Reason.SBOM_INVALID : Reason.CONTENT_TOO_LARGE,
                layer == null ? "the SBOM manifest has no layer" : "the SBOM document exceeds the size cap"))));
      }
      final CompletableFuture<FetchResult<byte[]>> doc = registry.blob(subject, layer);
      final CompletableFuture<SbomSignatureCheck.Result> sig = registry.referrers(sbomRef, MediaTypes.NOTARY_SIGNATURE)
          .thenCompose(rr -> rr instanceof FetchResult.Found<Referrers> rf
              ? sbomSignatures.verify(sbomRef, m.descriptor(), rf.value().referrers())
              : done(new SbomSignatureCheck.Result(false, "REGISTRY_ERROR", "listing SBOM signatures: "
                  + rr.describe())));
      return doc.thenCombine(sig, (br, sr) -> sbomOutcome(d, layer, br, sr, action));
    });
  }

  private SbomOutcome sbomOutcome(final Descriptor d, final Descriptor layer, final FetchResult<byte[]> br,
      final SbomSignatureCheck.Result sr, final CheckReport.Action action) {
    final List<CheckReport> checks = new ArrayList<>();
    if (!(br instanceof FetchResult.Found<byte[]> blob)) {
      checks.add(new CheckReport(CheckType.SBOM, action, CheckReport.Status.FAILED, RegistryFailures.reason(br),
          "SBOM document: " + br.describe()));
      return new SbomOutcome(d.digest().toString(), "unknown", null, sr.verified(), false, checks);
    }
    final dev.sigstream.oci.sbom.SbomReport r = sbomChecker.check(blob.value(), layer.mediaType());
    final String format = SbomFormats.name(r.format());
    if (r.format() == dev.sigstream.oci.sbom.SbomFormat.UNKNOWN) {
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
    final CheckReport.Action sigAction = sbomPolicy.requireSignature() ? CheckReport.Action.ENFORCED
        : CheckReport.Action.LOGGED;
    if (sr.verified()) {
      checks.add(CheckReport.passed(CheckType.SBOM, sigAction, "the SBOM carries a verified signature"));
    } else if (sbomPolicy.requireSignature()) {
      checks.add(failed(sigAction, "NO_SIGNATURE".equals(sr.reasonCode()) ? Reason.SBOM_UNSIGNED
          : Reason.SBOM_SIGNATURE_INVALID, sr.detail()));
    }
    final boolean passed = checks.stream().noneMatch(c -> c.status() == CheckReport.Status.FAILED);
    return new SbomOutcome(d.digest().toString(), format, r.format() == dev.sigstream.oci.sbom.SbomFormat.UNKNOWN
        ? null : r.packageCount(), sr.verified(), passed, checks);
  }

  private static CheckReport failed(final CheckReport.Action action, final Reason reason, final String detail) {
    return new CheckReport(CheckType.SBOM, action, CheckReport.Status.FAILED, reason, detail);
  }

  private static String violations(final List<dev.sigstream.oci.sbom.SbomReport.Violation> vs) {
    return vs.stream().limit(5).map(v -> v.packageName() + (v.packageVersion() == null ? "" : "@" + v.packageVersion())
        + ": " + v.detail()).collect(Collectors.joining("; ")) + (vs.size() > 5 ? "; and " + (vs.size() - 5)
        + " more" : "");
  }

  private ArtifactReport withSboms(final ArtifactReport r, final List<SbomOutcome> sboms, final int signatures,
      final int attestations, final int other) {
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
        r.detail(), warnings, r.policy(), r.signatures(), summary, r.decidedAt());
  }

  // -------------------------------------------------------------------------------------------------------- helpers

  private ArtifactReport registryFailure(final ArtifactId id, final FetchResult<?> r, final String what) {
    final Reason reason = RegistryFailures.reason(r);
    return report(id, null, reason.inconclusive() ? Outcome.ERROR : Outcome.FAIL, reason, what + ": "
        + r.describe(), List.of(), null, List.of(), null);
  }

  private ArtifactReport internalError(final ArtifactId id, final Throwable e) {
    log.error("internal error verifying {}", id.display(), e);
    return report(id, null, Outcome.ERROR, Reason.INTERNAL_ERROR, "internal error: "
        + e.getClass().getSimpleName(), List.of(), null, List.of(), null);
  }

  private ArtifactReport report(final ArtifactId id, final Classification cls, final Outcome outcome,
      final Reason reason, final String detail, final List<CheckReport> warnings,
      final AppliedPolicy policy, final List<SignatureReport> sigs, final ReferrerSummary referrers) {
    return new ArtifactReport(id, cls == null ? ArtifactClass.UNKNOWN : cls.artifactClass(), info(cls), outcome,
        reason, detail, warnings, policy, sigs, referrers, clock.instant());
  }

  private static ArtifactReport withClass(final ArtifactReport r, final Classification c) {
    return new ArtifactReport(r.artifact(), c.artifactClass(), info(c), r.outcome(), r.reason(), r.detail(),
        r.warnings(), r.policy(), r.signatures(), r.referrers(), r.decidedAt());
  }

  private static ArtifactReport withPolicy(final ArtifactReport r, final AppliedPolicy p) {
    return new ArtifactReport(r.artifact(), r.artifactClass(), r.classification(), r.outcome(), r.reason(),
        r.detail(), r.warnings(), p, r.signatures(), r.referrers(), r.decidedAt());
  }

  static ClassificationInfo info(final Classification c) {
    if (c == null) {
      return null;
    }
    final String evidence = c.evidence().isEmpty() ? "" : c.evidence().stream()
        .map(e -> e.field() + "=" + e.value()).collect(Collectors.joining(", "));
    return new ClassificationInfo(c.kind(), evidence, c.platform() == null ? null : c.platform().toString());
  }

  private static <T> CompletableFuture<T> done(final T v) {
    return CompletableFuture.completedFuture(v);
  }

  private static <T> CompletableFuture<List<T>> allOf(final List<CompletableFuture<T>> fs) {
    return CompletableFuture.allOf(fs.toArray(CompletableFuture[]::new))
        .thenApply(v -> fs.stream().map(CompletableFuture::join).toList());
  }
}
