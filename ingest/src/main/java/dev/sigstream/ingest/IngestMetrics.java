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
  private final java.util.concurrent.ConcurrentHashMap<String, Counter> counters = new java.util.concurrent.ConcurrentHashMap<>();
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
      counter(EVENTS, source, "result", result).increment(n);
    }
  }

  void rejected(final String source, final String reason) {
    counter(REJECTED, source, "reason", reason).increment();
  }

  void request(final String source, final int status) {
    counter(REQUESTS, source, "status", Integer.toString(status)).increment();
  }

  /** Counters are looked up once per (name, source, tag) and kept: this is on every request's path. */
  private Counter counter(final String name, final String source, final String tag, final String value) {
    return counters.computeIfAbsent(name + '\u0000' + source + '\u0000' + value,
        k -> Counter.builder(name).tag("source", source).tag(tag, value).register(registry));
  }

  void produced(final long nanos, final boolean acked) {
    (acked ? produceAcked : produceFailed).record(Duration.ofNanos(nanos));
  }
}
