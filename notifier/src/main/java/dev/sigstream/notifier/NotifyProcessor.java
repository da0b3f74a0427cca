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
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.List;
import java.util.Optional;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.streams.processor.PunctuationType;
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
 * destination's stream thread.
 */
final class NotifyProcessor implements Processor<String, byte[], Void, Void> {

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
  /** Bursts being collected into digests, by failure class and signer (or policy); flushed by a wall-clock punctuator. */
  private final Map<String, List<Buffered>> groups = new LinkedHashMap<>();
  private KeyValueStore<String, LifecycleState> store;
  private ProcessorContext<Void, Void> context;

  private record Buffered(Step step, byte[] bytes, Instant producedAt, Instant at) {}

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
    this.grouping = !policy.groupWait().isZero() && GROUPABLE.contains(worker.channel.type());
  }

  @Override
  public void init(final ProcessorContext<Void, Void> context) {
    this.context = context;
    store = context.getStateStore(NotifierTopology.LIFECYCLE_STORE);
    if (grouping) {
      final Duration every = policy.groupWait().dividedBy(4).compareTo(Duration.ofMillis(50)) < 0 ? Duration.ofMillis(50) : policy.groupWait().dividedBy(4);
      context.schedule(every, PunctuationType.WALL_CLOCK_TIME, ts -> flush(false, Instant.ofEpochMilli(ts)));
    }
  }

  @Override
  public void close() {
    // On a graceful shutdown, send what was collected rather than keep it for a restart that may not come.
    if (grouping) {
      flush(true, Instant.ofEpochMilli(context.currentSystemTimeMs()));
    }
  }

  /** @param now the stream's wall-clock time (the punctuation time), against which collection started */
  private void flush(final boolean all, final Instant now) {
    final var it = groups.entrySet().iterator();
    while (it.hasNext()) {
      final List<Buffered> items = it.next().getValue();
      if (!all && Duration.between(items.get(0).at(), now).compareTo(policy.groupWait()) < 0) {
        continue;
      }
      it.remove();
      if (!send(items, now)) {
        return;
      }
    }
  }

  /** Sends one digest; false when interrupted. */
  private boolean send(final List<Buffered> items, final Instant now) {
    final Buffered lead = items.get(0);
    final Step digest = lead.step().withGrouped(items.stream().skip(1).map(b -> b.step().verdict()).toList());
    try {
      final Deliverer.Outcome o = worker.deliver(digest, lead.bytes(), lead.producedAt());
      for (final Buffered b : items) {
        final String key = b.step().verdict().key();
        Lifecycle.after(Optional.ofNullable(store.get(key)), b.step(), o.delivered(), Optional.empty(), now).ifPresent(st -> store.put(key, st));
      }
      return true;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
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
          final String group = s.failureClass() + "|" + v.signer().or(v::policy).orElse("");
          final List<Buffered> items = groups.computeIfAbsent(group, k -> new ArrayList<>());
          if (items.stream().noneMatch(b -> b.step().verdict().key().equals(v.key()))) {
            items.add(new Buffered(s, record.value(), Instant.ofEpochMilli(record.timestamp()), now));
          }
          // Bounded memory, bounded message: a full digest goes out at once.
          if (items.size() >= MAX_DIGEST) {
            groups.remove(group);
            send(items, now);
          }
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
