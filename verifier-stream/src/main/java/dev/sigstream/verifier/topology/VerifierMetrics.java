package dev.sigstream.verifier.topology;

import dev.sigstream.verifier.core.ArtifactReport;
import dev.sigstream.verifier.core.Reason;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;

/** The verifier's metrics, with low-cardinality tags only (no digests, no repositories). */
public final class VerifierMetrics {

  public static final String VERDICTS = "sigstream.verdicts";
  public static final String EVENT_TO_VERDICT = "sigstream.verifier.event.to.verdict";
  public static final String RETRIES = "sigstream.verifier.retries";
  public static final String HELD = "sigstream.verifier.held.for.signature";
  public static final String DEDUPLICATED = "sigstream.verifier.deduplicated";
  public static final String RECHECKS = "sigstream.verifier.referrer.rechecks";
  public static final String IN_FLIGHT = "sigstream.verifier.in.flight";
  public static final String CHILDREN = "sigstream.verifier.index.children";
  public static final String UNCHANGED = "sigstream.verifier.unchanged";
  public static final String PENDING = "sigstream.verifier.pending";

  private final MeterRegistry registry;
  private final Timer eventToVerdict;
  private final Counter held;
  private final Counter deduplicated;
  private final Counter rechecks;
  private final Counter children;
  private final AtomicInteger inFlight = new AtomicInteger();
  private final java.util.Map<Object, Long> pendingByTask = new java.util.concurrent.ConcurrentHashMap<>();

  public VerifierMetrics(final MeterRegistry registry) {
    this.registry = registry;
    this.eventToVerdict = Timer.builder(EVENT_TO_VERDICT).description("from webhook receipt to published verdict")
        .publishPercentiles(0.5, 0.99).register(registry);
    this.held = registry.counter(HELD);
    this.deduplicated = registry.counter(DEDUPLICATED);
    this.rechecks = registry.counter(RECHECKS);
    this.children = registry.counter(CHILDREN);
    registry.gauge(IN_FLIGHT, inFlight);
    registry.gauge(PENDING, pendingByTask, m -> m.values().stream().mapToLong(Long::longValue).sum());
  }

  /** Metrics that go nowhere (tests). */
  public static VerifierMetrics none() {
    return new VerifierMetrics(new SimpleMeterRegistry());
  }

  void verdict(final ArtifactReport r, final Duration sinceReceipt) {
    registry.counter(VERDICTS, "outcome", r.outcome().name(), "reason", r.reason().name(), "class",
        r.artifactClass().name()).increment();
    eventToVerdict.record(sinceReceipt);
  }

  void retried(final Reason reason) {
    registry.counter(RETRIES, "reason", reason.name()).increment();
  }

  void heldForSignature() {
    held.increment();
  }

  void deduplicated() {
    deduplicated.increment();
  }

  void referrerRecheck() {
    rechecks.increment();
  }

  void unchanged() {
    registry.counter(UNCHANGED).increment();
  }

  void children(final int n) {
    children.increment(n);
  }

  /** Work held by one task (waiting for a signature, a retry, or running), approximately; the gauge sums tasks. */
  void pending(final Object task, final long n) {
    pendingByTask.put(task, n);
  }

  void forget(final Object task) {
    pendingByTask.remove(task);
  }

  void inFlight(final int n) {
    inFlight.set(n);
  }
}
