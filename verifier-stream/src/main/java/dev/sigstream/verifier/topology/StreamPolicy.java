package dev.sigstream.verifier.topology;

import dev.sigstream.oci.classify.ArtifactClass;
import dev.sigstream.verifier.core.Reason;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * How the stream waits, retries and dedupes.
 *
 * @param graceWindow how long an artifact found without an acceptable signature is held as pending before its FAIL
 *     is published: CI pushes the image, then signs it seconds later (default 120 s)
 * @param graceReasons the FAIL reasons that mean "not signed yet" and are held (default NO_SIGNATURE and
 *     SBOM_UNSIGNED); any other FAIL, a tampered image say, is published at once
 * @param retryDeadline how long a retryable ERROR is retried before the ERROR is published (default 15 min)
 * @param initialBackoff first retry delay, doubled per attempt with ±20% jitter (default 1 s)
 * @param maxBackoff longest retry delay (default 60 s); a registry's longer {@code Retry-After} still wins
 * @param maxInFlight verifications running at once per stream task (default 64)
 * @param dedupeWindow a second event for a digest verified this recently is not verified again (default 10 min)
 * @param tick how often completed verifications are collected and due work is started (default 10 ms)
 * @param classGraceWindows grace windows of their own for some artifact classes (a Helm chart signed by a slower
 *     release job, say); other classes use {@code graceWindow}
 * @param verifyChildren whether the platform manifests of an image index get verdicts of their own after the index's
 */
public record StreamPolicy(Duration graceWindow, Set<Reason> graceReasons, Duration retryDeadline,
    Duration initialBackoff, Duration maxBackoff, int maxInFlight, Duration dedupeWindow, Duration tick,
    Map<ArtifactClass, Duration> classGraceWindows, boolean verifyChildren) {

  public static final StreamPolicy DEFAULTS = new StreamPolicy(Duration.ofSeconds(120),
      Set.of(Reason.NO_SIGNATURE, Reason.SBOM_UNSIGNED), Duration.ofMinutes(15), Duration.ofSeconds(1),
      Duration.ofSeconds(60), 64, Duration.ofMinutes(10), Duration.ofMillis(10), Map.of(), false);

  public StreamPolicy {
    Objects.requireNonNull(graceWindow, "graceWindow");
    graceReasons = Set.copyOf(graceReasons);
    classGraceWindows = Map.copyOf(classGraceWindows);
    Objects.requireNonNull(retryDeadline, "retryDeadline");
    Objects.requireNonNull(initialBackoff, "initialBackoff");
    Objects.requireNonNull(maxBackoff, "maxBackoff");
    Objects.requireNonNull(dedupeWindow, "dedupeWindow");
    Objects.requireNonNull(tick, "tick");
    if (maxInFlight < 1 || graceWindow.isNegative() || retryDeadline.isNegative() || initialBackoff.isNegative()
        || maxBackoff.compareTo(initialBackoff) < 0 || dedupeWindow.isNegative() || tick.isNegative()
        || tick.isZero()) {
      throw new IllegalArgumentException("invalid stream policy: " + this);
    }
  }

  public StreamPolicy withGraceWindow(final Duration d) {
    return new StreamPolicy(d, graceReasons, retryDeadline, initialBackoff, maxBackoff, maxInFlight, dedupeWindow,
        tick, classGraceWindows, verifyChildren);
  }

  public StreamPolicy withRetryDeadline(final Duration d) {
    return new StreamPolicy(graceWindow, graceReasons, d, initialBackoff, maxBackoff, maxInFlight, dedupeWindow,
        tick, classGraceWindows, verifyChildren);
  }

  public StreamPolicy withMaxInFlight(final int n) {
    return new StreamPolicy(graceWindow, graceReasons, retryDeadline, initialBackoff, maxBackoff, n, dedupeWindow,
        tick, classGraceWindows, verifyChildren);
  }

  /** Grace windows per class, and whether index children get verdicts (from the artifact policy file). */
  public StreamPolicy withClasses(final Map<ArtifactClass, Duration> windows, final boolean children) {
    return new StreamPolicy(graceWindow, graceReasons, retryDeadline, initialBackoff, maxBackoff, maxInFlight,
        dedupeWindow, tick, windows, children);
  }

  /** How long an artifact of class {@code c} without its signature is held before its FAIL is published. */
  public Duration graceWindow(final ArtifactClass c) {
    return classGraceWindows.getOrDefault(c, graceWindow);
  }

  /** The delay before retry number {@code attempt} (1-based), before jitter. */
  Duration backoff(final int attempt) {
    final long base = initialBackoff.toMillis() << Math.min(20, Math.max(0, attempt - 1));
    return Duration.ofMillis(Math.min(base, maxBackoff.toMillis()));
  }
}
