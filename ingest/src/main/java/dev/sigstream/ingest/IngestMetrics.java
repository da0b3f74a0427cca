package dev.sigstream.ingest;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;

/**
 * Ingest meters. Tags are low-cardinality: {@code source} is a configured source name (or {@code unknown}),
 * {@code reason} a rejection code, {@code result} a fixed word.
 */
final class IngestMetrics {

  static final String EVENTS = "sigstream.ingest.events";
  static final String REJECTED = "sigstream.ingest.rejected";
  static final String PRODUCE = "sigstream.ingest.produce.duration";
  static final String REQUESTS = "sigstream.ingest.requests";

  private final MeterRegistry registry;
  private final Timer produceAcked;
  private final Timer produceFailed;

  IngestMetrics(final MeterRegistry registry) {
    this.registry = registry;
    this.produceAcked = timer("acked");
    this.produceFailed = timer("failed");
  }

  private Timer timer(final String result) {
    return Timer.builder(PRODUCE).description("Time from send to Kafka acknowledgement of a request's records")
        .tag("result", result).publishPercentileHistogram()
        .minimumExpectedValue(Duration.ofMillis(1)).maximumExpectedValue(Duration.ofSeconds(30))
        .register(registry);
  }

  /** Events by outcome: accepted (published and acked), ignored, deleted, duplicate. */
  void events(final String source, final String result, final int n) {
    if (n > 0) {
      Counter.builder(EVENTS).tag("source", source).tag("result", result).register(registry).increment(n);
    }
  }

  void rejected(final String source, final String reason) {
    Counter.builder(REJECTED).tag("source", source).tag("reason", reason).register(registry).increment();
  }

  void request(final String source, final int status) {
    Counter.builder(REQUESTS).tag("source", source).tag("status", Integer.toString(status)).register(registry).increment();
  }

  void produced(final long nanos, final boolean acked) {
    (acked ? produceAcked : produceFailed).record(Duration.ofNanos(nanos));
  }
}
