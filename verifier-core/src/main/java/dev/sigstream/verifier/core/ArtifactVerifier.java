package dev.sigstream.verifier.core;

import dev.sigstream.notary.NotaryVerifier;
import dev.sigstream.notary.PolicySelection;
import dev.sigstream.oci.Deadline;
import dev.sigstream.oci.FetchResult;
import dev.sigstream.oci.Reference;
import dev.sigstream.oci.RegistryReader;
import dev.sigstream.oci.classify.ArtifactClassifier;
import dev.sigstream.oci.sbom.SbomPolicy;
import java.time.Clock;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Verifies one artifact end to end, the same way for the CLI and the stream: resolve the reference to a digest once,
 * select the trust policy statement (level {@code skip} stops here, before any signature is fetched), discover the
 * manifest and referrers ({@link ArtifactDiscovery}), then decide ({@link ReportDecision}) on the executor.
 *
 * <p>Contract:
 *
 * <ul>
 *   <li>Immutable and thread-safe; {@link #verify} may be called concurrently.
 *   <li>One {@link Deadline} per artifact ({@link VerifyLimits#deadline()}) bounds every registry request of it and
 *       cancels what is still running when it passes; the report is then ERROR DEADLINE_EXCEEDED.
 *   <li>Registry I/O is asynchronous and its callbacks do only light work; envelope and SBOM parsing and signature
 *       checks (and notary's OCSP/CRL/TSA calls behind its bounded ports) run on the injected, bounded executor.
 *   <li>The returned future never completes exceptionally: registry failures map as {@link FetchProblem} says, and
 *       a bug becomes ERROR {@link Reason#INTERNAL_ERROR}. Nothing but a verified signature over the resolved
 *       digest yields PASS. {@link ArtifactReport#retryable()} tells a stream whether to try again later.
 *   <li>Time comes from the injected {@link Clock} ({@code decidedAt}); the notary verifier carries its own.
 * </ul>
 */
public final class ArtifactVerifier {

  private static final Logger log = LoggerFactory.getLogger(ArtifactVerifier.class);

  private final RegistryReader registry;
  private final ArtifactDiscovery discovery;
  private final ReportDecision decision;
  private final VerifyLimits limits;
  private final Executor executor;
  private final String trustVersion;

  private ArtifactVerifier(final Builder b) {
    this.registry = Objects.requireNonNull(b.registry, "registry");
    this.limits = b.limits == null ? VerifyLimits.DEFAULTS : b.limits;
    this.executor = Objects.requireNonNull(b.executor, "executor (a bounded pool of the caller's; never the common"
        + " pool)");
    this.trustVersion = b.trustVersion;
    this.discovery = new ArtifactDiscovery(b.classifier == null ? new ArtifactClassifier() : b.classifier, limits);
    this.decision = new ReportDecision(Objects.requireNonNull(b.notary, "notary"),
        b.sbomPolicy == null ? SbomPolicy.NONE : b.sbomPolicy, b.classes == null ? ClassPolicy.DEFAULT : b.classes,
        limits, Objects.requireNonNull(b.clock, "clock"));
  }

  public static Builder builder() {
    return new Builder();
  }

  /** Builder: registry, notary, clock and executor are required. {@link VerifierFactory} builds one from settings. */
  public static final class Builder {
    private RegistryReader registry;
    private NotaryVerifier notary;
    private ArtifactClassifier classifier;
    private SbomPolicy sbomPolicy;
    private Clock clock;
    private VerifyLimits limits;
    private Executor executor;
    private String trustVersion;
    private ClassPolicy classes;

    private Builder() {}

    /** What each artifact class must carry (default: a signature on everything, signed SBOMs on nothing). */
    public Builder classPolicy(final ClassPolicy classes) {
      this.classes = classes;
      return this;
    }

    /** The version of the trust material the notary verifier was built from ({@link TrustMaterial#version()}). */
    public Builder trustVersion(final String trustVersion) {
      this.trustVersion = trustVersion;
      return this;
    }

    public Builder registry(final RegistryReader registry) {
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

    /** Where decisions run (CPU, and notary's OCSP/CRL/TSA calls): a bounded pool; there is no default. */
    public Builder executor(final Executor executor) {
      this.executor = executor;
      return this;
    }

    public ArtifactVerifier build() {
      return new ArtifactVerifier(this);
    }
  }

  /** The walk this verifier uses, for callers that show material without verifying it (inspect, discover). */
  public ArtifactDiscovery discovery() {
    return discovery;
  }

  public VerifyLimits limits() {
    return limits;
  }

  /** The version of the trust material this verifier decides with; null when built without one. */
  public String trustVersion() {
    return trustVersion;
  }

  /**
   * Verifies {@code ref} (by digest, or by tag resolved once to a digest).
   *
   * @param userMetadata key/values every accepted signature's payload must carry (may be empty)
   */
  public CompletableFuture<ArtifactReport> verify(final Reference ref, final Map<String, String> userMetadata) {
    Objects.requireNonNull(ref, "ref");
    final Map<String, String> md = Map.copyOf(userMetadata);
    final Deadline deadline = Deadline.after(limits.deadline());
    final CompletableFuture<ArtifactReport> work;
    try {
      work = discovery.resolve(registry, deadline, ref).thenCompose(r -> {
        if (!(r instanceof FetchResult.Found<Reference> found)) {
          return done(decision.unresolved(ref, FetchProblem.of(r, "resolving " + ref)));
        }
        final Reference byDigest = found.value();
        final PolicySelection sel = decision.select(byDigest);
        if (!(sel instanceof PolicySelection.Applicable a) || a.skip()) {
          return done(decision.beforeDiscovery(byDigest, sel));
        }
        return discovery.discover(registry, deadline, byDigest, DiscoveryPlan.VERIFY)
            .thenApplyAsync(d -> decision.decide(d, a.statement(), md), executor);
      });
    } catch (final RuntimeException e) {
      return done(internalError(ref, e));
    }
    // The deadline-bound registry completes every request by the deadline; this outer bound only guards against a
    // bug that would leave the future pending (a grace period lets the regular DEADLINE_EXCEEDED report win).
    return work
        .completeOnTimeout(null, limits.deadline().toMillis() + GRACE_MS, TimeUnit.MILLISECONDS)
        .handle((report, e) -> {
          if (e != null) {
            return internalError(ref, e instanceof CompletionException && e.getCause() != null ? e.getCause() : e);
          }
          if (report == null) {
            work.cancel(true);
            return decision.unresolved(ref, FetchProblem.of(Reason.DEADLINE_EXCEEDED, "verification did not finish"
                + " within " + limits.deadline().toMillis() + " ms"));
          }
          return report;
        });
  }

  /**
   * Verifies {@code child}, a platform manifest of the image index {@code index} (both by digest): the child on its
   * own, and, when its only failure is that it has no signature of its own, the index too. A verified index that
   * lists the child's digest covers it ({@link ReportDecision#child}). Manifests and signatures fetched for the index
   * are the ones a caching registry already holds from the index's own verification.
   */
  public CompletableFuture<ArtifactReport> verifyChild(final Reference child, final Reference index,
      final Map<String, String> userMetadata) {
    if (!child.isDigest() || !index.isDigest()) {
      throw new IllegalArgumentException("an index child and its index are verified by digest");
    }
    return verify(child, userMetadata).thenCompose(c -> {
      if (c.outcome() != ArtifactReport.Outcome.FAIL || c.reason() != Reason.NO_SIGNATURE) {
        return done(c);
      }
      return verify(index, userMetadata).thenCompose(i -> !i.passed() ? done(c)
          : registry.within(Deadline.after(limits.deadline())).manifest(index).thenApply(m ->
              ReportDecision.child(c, i, m instanceof FetchResult.Found<dev.sigstream.oci.Manifest> f
                  && f.value().manifests().stream().anyMatch(d -> d.digest().equals(child.digest())))));
    }).exceptionally(e -> internalError(child, e instanceof CompletionException && e.getCause() != null
        ? e.getCause() : e));
  }

  private static final long GRACE_MS = 1000;

  private ArtifactReport internalError(final Reference ref, final Throwable e) {
    log.error("internal error verifying {}", ref, e);
    return decision.internalError(ref, e);
  }

  private static <T> CompletableFuture<T> done(final T v) {
    return CompletableFuture.completedFuture(v);
  }
}
