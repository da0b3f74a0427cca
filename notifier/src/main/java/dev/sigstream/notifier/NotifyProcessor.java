package dev.sigstream.notifier;

import dev.sigstream.notifier.delivery.DeadLetter;
import dev.sigstream.notifier.delivery.DeadLetters;
import dev.sigstream.notifier.delivery.Deliverer;
import dev.sigstream.notifier.delivery.NotifierMetrics;
import dev.sigstream.notifier.route.Lifecycle;
import dev.sigstream.notifier.route.LifecyclePolicy;
import dev.sigstream.notifier.route.LifecycleState;
import dev.sigstream.notifier.route.Notification;
import dev.sigstream.notifier.route.Router;
import dev.sigstream.notifier.route.Step;
import dev.sigstream.notifier.route.VerdictView;
import dev.sigstream.schemas.avro.Verdict;
import java.time.Clock;
import java.time.Instant;
import java.util.Set;
import java.util.List;
import java.util.Optional;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * For one destination: decode the verdict, route it, decide the lifecycle steps against the store, deliver each,
 * and record the outcome. A create is recorded as PENDING in the (changelogged) store before it is attempted, so a
 * restart mid-delivery recovers by lookup instead of opening a second ticket. The processor blocks only its own
 * destination's stream thread. For message destinations that group bursts, failures are handed to {@link
 * DigestProcessor} (forwarded, keyed by group) instead of being sent one by one.
 */
final class NotifyProcessor implements Processor<String, byte[], String, DigestMember> {

  private static final Logger log = LoggerFactory.getLogger(NotifyProcessor.class);

  private final String destination;
  private final Router router;
  private final LifecyclePolicy policy;
  private final DestinationWorker worker;
  private final DeadLetters dlq;
  private final Deserializer<Verdict> verdicts;
  private final NotifierMetrics metrics;
  private final Clock clock;
  private final boolean grouping;
  private KeyValueStore<String, LifecycleState> store;
  private ProcessorContext<String, DigestMember> context;

  /** Message channels, where many artifacts fit in one message; ticket targets keep one ticket per artifact. */
  static final int MAX_DIGEST = 200;
  private static final Set<String> GROUPABLE = Set.of("console", "slack-webhook", "teams", "webhook");

  NotifyProcessor(final String destination, final Router router, final LifecyclePolicy policy, final DestinationWorker worker,
      final DeadLetters dlq, final Deserializer<Verdict> verdicts, final NotifierMetrics metrics, final Clock clock) {
    this.destination = destination;
    this.router = router;
    this.policy = policy;
    this.worker = worker;
    this.dlq = dlq;
    this.verdicts = verdicts;
    this.metrics = metrics;
    this.clock = clock;
    this.grouping = groups(policy, worker.channel.type());
  }

  /** Whether a destination of this channel type collects bursts into digests under this policy. */
  static boolean groups(final LifecyclePolicy policy, final String channelType) {
    return !policy.groupWait().isZero() && GROUPABLE.contains(channelType);
  }

  @Override
  public void init(final ProcessorContext<String, DigestMember> context) {
    this.context = context;
    store = context.getStateStore(NotifierTopology.LIFECYCLE_STORE);
  }

  @Override
  public void process(final Record<String, byte[]> record) {
    final VerdictView v;
    try {
      v = VerdictMapper.toView(record.key(), verdicts.deserialize(NotifierTopology.SOURCE_NAME, record.value()));
    } catch (RuntimeException e) {
      // A poison record: never skipped silently. One dead letter per destination, so each can replay on its own.
      log.warn("destination={} undecodable verdict key={}: {}", destination, record.key(), e.toString());
      dlq.publish(new DeadLetter(destination, "", "DECODE", String.valueOf(record.key()), 0, 0, "undecodable verdict: " + e.getClass().getSimpleName(),
          clock.millis(), record.value() == null ? new byte[0] : record.value()));
      metrics.result(destination, worker.channel.type(), "undecodable");
      return;
    }
    MDC.put("digest", v.digest().orElse(""));
    MDC.put("eventId", v.eventId());
    try {
      final Optional<Notification> routed = router.route(v).stream().filter(n -> n.destination().equals(destination)).findFirst();
      Optional<LifecycleState> state = Optional.ofNullable(store.get(v.key()));
      // The stream's wall clock: system time in production, the driver's mock time in topology tests.
      final Instant now = Instant.ofEpochMilli(context.currentSystemTimeMs());
      final List<Step> steps = Lifecycle.decide(state, v, routed, destination, policy, now);
      if (steps.isEmpty() && routed.isPresent()) {
        metrics.result(destination, worker.channel.type(), "suppressed");
      }
      for (final Step s : steps) {
        if (s.action() == Step.Action.OPEN) {
          store.put(v.key(), Lifecycle.pending(s, now));
        }
        if (grouping && v.failing() && s.action() != Step.Action.RESOLVE) {
          // To the digest collector, keyed by group and repartitioned, so one burst makes one digest whichever
          // partitions its verdicts came from. Handing it over is recorded as notified (message destinations keep
          // no remote id): the repartition record, this state and the source offset are committed together, and a
          // digest that cannot be delivered is dead-lettered with every member's verdict.
          final String group = DigestProcessor.group(s.failureClass(), v.signer().or(v::policy).orElse(""));
          context.forward(new Record<>(group, new DigestMember(v.key(), record.value(), record.timestamp(), now.toEpochMilli(), s.action().name(),
              s.key().value(), s.recover(), s.severity().name(), s.failureClass()), record.timestamp()));
          state = Lifecycle.after(state, s, true, Optional.empty(), now);
          state.ifPresent(x -> store.put(v.key(), x));
          continue;
        }
        final Deliverer.Outcome o = worker.deliver(s, record.value(), Instant.ofEpochMilli(record.timestamp()));
        state = Lifecycle.after(state, s, o.delivered(), o.remoteId(), now);
        if (state.isPresent()) {
          store.put(v.key(), state.get());
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while delivering to " + destination, e);
    } finally {
      MDC.remove("digest");
      MDC.remove("eventId");
    }
  }
}
