package dev.sigstream.notifier.delivery;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;

/** The notifier's meters. Tags are low-cardinality: destination name, channel type, result. */
public final class NotifierMetrics {

  public static final String NOTIFICATIONS = "sigstream.notifications";
  public static final String ATTEMPTS = "sigstream.notifications.attempts";
  public static final String DELAY = "sigstream.notifications.delay";
  /** 1 while a destination is disabled because its target answered that it is gone (410), else 0. */
  public static final String DISABLED = "sigstream.notifications.disabled";

  private final MeterRegistry registry;

  public NotifierMetrics(final MeterRegistry registry) {
    this.registry = registry;
  }

  /** One per step: {@code delivered}, {@code dead_lettered} or {@code suppressed}. */
  public void result(final String destination, final String channel, final String result) {
    Counter.builder(NOTIFICATIONS).tag("destination", destination).tag("channel", channel).tag("result", result)
        .register(registry).increment();
  }

  /** One per attempt, by classification: {@code ok}, {@code retry}, {@code rate_limited}, {@code permanent}. */
  public void attempt(final String destination, final String result) {
    Counter.builder(ATTEMPTS).tag("destination", destination).tag("result", result).register(registry).increment();
  }

  /** The disabled gauge of a destination (the supplier is held by the registry). */
  public void disabledGauge(final String destination, final java.util.function.Supplier<Number> value) {
    io.micrometer.core.instrument.Gauge.builder(DISABLED, value).tag("destination", destination).register(registry);
  }

  /** From the verdict record's timestamp to the target's acceptance. */
  public void delay(final String destination, final Duration d) {
    Timer.builder(DELAY).tag("destination", destination).publishPercentileHistogram().register(registry).record(d);
  }
}
