package dev.sigstream.notifier;

import dev.sigstream.notifier.channel.Channel;
import dev.sigstream.notifier.delivery.DeadLetter;
import dev.sigstream.notifier.delivery.DeadLetters;
import dev.sigstream.notifier.delivery.Deliverer;
import dev.sigstream.notifier.delivery.NotifierMetrics;
import dev.sigstream.notifier.route.Step;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** One destination's delivery: its channel behind its Deliverer, dead-lettering what cannot be delivered. */
final class DestinationWorker {

  private static final Logger log = LoggerFactory.getLogger(DestinationWorker.class);

  final String destination;
  final Channel channel;
  private final Deliverer deliverer;
  private final DeadLetters dlq;
  private final NotifierMetrics metrics;
  private final Clock clock;
  /** Why the destination is disabled (its target answered that it is gone), or null while it is enabled. */
  private final AtomicReference<String> disabled = new AtomicReference<>();

  DestinationWorker(final String destination, final Channel channel, final Deliverer deliverer, final DeadLetters dlq,
      final NotifierMetrics metrics, final Clock clock) {
    this.destination = destination;
    this.channel = channel;
    this.deliverer = deliverer;
    this.dlq = dlq;
    this.metrics = metrics;
    this.clock = clock;
    metrics.disabledGauge(destination, () -> disabled.get() == null ? 0 : 1);
  }

  /** Why this destination is disabled, if it is. */
  Optional<String> disabled() {
    return Optional.ofNullable(disabled.get());
  }

  /**
   * Delivers one step; on failure writes the dead letter (durably) before returning.
   *
   * @param verdictBytes the verdict as received, for replay
   * @param producedAt the verdict record's timestamp, for the delay metric
   */
  Deliverer.Outcome deliver(final Step s, final byte[] verdictBytes, final Instant producedAt) throws InterruptedException {
    final String why = disabled.get();
    if (why != null) {
      // No further requests to a target that said it is gone; the step is dead-lettered (nothing lost) for a replay
      // once the operator has fixed the destination and restarted.
      dlq.publish(new DeadLetter(destination, s.key().value(), s.action().name(), s.verdict().key(), 0, 0, "destination disabled: " + why,
          clock.millis(), verdictBytes));
      metrics.result(destination, channel.type(), "disabled");
      return new Deliverer.Outcome(false, Optional.empty(), 0, "destination disabled: " + why, true);
    }
    final Deliverer.Outcome o = deliverer.deliver(s.recover(), (attempt, recover) -> {
      try {
        return channel.send(s, attempt, recover);
      } catch (RuntimeException e) {
        // An adapter bug must not kill the stream thread: treat it as a permanent failure of this step.
        log.error("destination={} channel {} threw for artifact {}", destination, channel.type(), s.verdict().key(), e);
        return new dev.sigstream.notifier.delivery.DeliveryResult.Permanent("adapter error: " + e.getClass().getSimpleName(), 0);
      }
    });
    if (o.delivered()) {
      metrics.result(destination, channel.type(), "delivered");
      metrics.delay(destination, Duration.between(producedAt, clock.instant()).abs());
      return o;
    }
    log.warn("destination={} action={} artifact={} dead-lettered after {} attempt(s): {}", destination, s.action(), s.verdict().key(),
        o.attempts(), o.reason());
    if (o.gone() && disabled.compareAndSet(null, o.reason() + " at " + clock.instant())) {
      log.warn("destination={} DISABLED: its target answered that it is gone ({}); no further deliveries until it is fixed and the notifier"
          + " restarted; its notifications go to the dead-letter topic for replay", destination, o.reason());
    }
    dlq.publish(new DeadLetter(destination, s.key().value(), s.action().name(), s.verdict().key(), o.attempts(), statusOf(o.reason()), o.reason(),
        clock.millis(), verdictBytes));
    metrics.result(destination, channel.type(), "dead_lettered");
    return o;
  }

  private static int statusOf(final String reason) {
    final java.util.regex.Matcher m = java.util.regex.Pattern.compile("(?:permanent|retry): (\\d{1,3}) ").matcher(reason);
    return m.find() ? Integer.parseInt(m.group(1)) : 0;
  }
}
