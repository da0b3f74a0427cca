package dev.sigstream.verifier;

import dev.sigstream.oci.Deadline;
import dev.sigstream.oci.Descriptor;
import dev.sigstream.oci.FetchResult;
import dev.sigstream.oci.Manifest;
import dev.sigstream.oci.Reference;
import dev.sigstream.oci.Referrers;
import dev.sigstream.oci.RegistryReader;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.util.Locale;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;

/**
 * Registry latency by host, operation and result ({@value #METRIC}, a Micrometer timer with p50/p99), measured at the
 * registry client, so throttling waits and cache hits are not counted as registry time. Hosts are the allowlisted
 * ones only (anything else is refused before a request), so the tag's cardinality is the allowlist's.
 */
final class RegistryTimings implements RegistryReader {

  static final String METRIC = "sigstream.registry.requests";

  private final RegistryReader delegate;
  private final MeterRegistry meters;

  RegistryTimings(final RegistryReader delegate, final MeterRegistry meters) {
    this.delegate = Objects.requireNonNull(delegate, "delegate");
    this.meters = Objects.requireNonNull(meters, "meters");
  }

  @Override
  public CompletableFuture<FetchResult<Descriptor>> resolve(final Reference ref) {
    return timed(ref, "resolve", () -> delegate.resolve(ref));
  }

  @Override
  public CompletableFuture<FetchResult<Manifest>> manifest(final Reference ref) {
    return timed(ref, "manifest", () -> delegate.manifest(ref));
  }

  @Override
  public CompletableFuture<FetchResult<byte[]>> blob(final Reference repository, final Descriptor descriptor) {
    return timed(repository, "blob", () -> delegate.blob(repository, descriptor));
  }

  @Override
  public CompletableFuture<FetchResult<Referrers>> referrers(final Reference subject, final String artifactType) {
    return timed(subject, "referrers", () -> delegate.referrers(subject, artifactType));
  }

  /** The same timings around the delegate's own deadline-bound view (which keeps its native request timeouts). */
  @Override
  public RegistryReader within(final Deadline deadline) {
    return new RegistryTimings(delegate.within(deadline), meters);
  }

  private <T> CompletableFuture<FetchResult<T>> timed(final Reference where, final String operation,
      final Supplier<CompletableFuture<FetchResult<T>>> call) {
    final long start = System.nanoTime();
    return call.get().whenComplete((r, e) -> Timer.builder(METRIC)
        .description("registry requests by host, operation and result")
        .tags("host", where.registry(), "operation", operation, "result", e != null ? "exception"
            : r.getClass().getSimpleName().toLowerCase(Locale.ROOT))
        .publishPercentiles(0.5, 0.99)
        .register(meters)
        .record(System.nanoTime() - start, java.util.concurrent.TimeUnit.NANOSECONDS));
  }
}
