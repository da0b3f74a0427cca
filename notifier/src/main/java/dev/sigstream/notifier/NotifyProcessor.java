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
import dev.sigstream.notifier.route.DedupeKey;
import dev.sigstream.notifier.route.Severity;
import dev.sigstream.notifier.route.TemplateSpec;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.state.KeyValueIterator;
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
  private KeyValueStore<String, LifecycleState> store;
  /** Open digests (changelogged): bursts being collected, by failure class and signer (or policy); flushed by a wall-clock punctuator. */
  private KeyValueStore<String, DigestMember> digests;
  private ProcessorContext<Void, Void> context;

  /** Message channels, where many artifacts fit in one message; ticket targets keep one ticket per artifact. */
  static final int MAX_DIGEST = 200;
  private static final Set<String> GROUPABLE = Set.of("console", "slack-webhook", "teams", "webhook");
  /** Separates the group from the artifact key in the digest store's keys (neither contains it: keys are capped text). */
  private static final char SEP = '\u0000';

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
  public void init(final ProcessorContext<Void, Void> context) {
    this.context = context;
    store = context.getStateStore(NotifierTopology.LIFECYCLE_STORE);
    if (grouping) {
      digests = context.getStateStore(NotifierTopology.DIGEST_STORE);
      final Duration every = policy.groupWait().dividedBy(4).compareTo(Duration.ofMillis(50)) < 0 ? Duration.ofMillis(50) : policy.groupWait().dividedBy(4);
      context.schedule(every, PunctuationType.WALL_CLOCK_TIME, ts -> flush(Instant.ofEpochMilli(ts)));
    }
  }

  // No flush in close(): open digests stay in the changelogged store, and whichever instance next owns the partition
  // sends each one when its window ends, after a graceful shutdown and a crash alike (sending here could not be
  // recorded durably, so a restart could send it twice).

  /** Sends every digest whose window has ended; {@code now} is the stream's wall-clock time (the punctuation time). */
  private void flush(final Instant now) {
    final Map<String, List<KeyValue<String, DigestMember>>> open = new LinkedHashMap<>();
    try (KeyValueIterator<String, DigestMember> it = digests.all()) {
      while (it.hasNext()) {
        final KeyValue<String, DigestMember> kv = it.next();
        open.computeIfAbsent(kv.key.substring(0, Math.max(0, kv.key.indexOf(SEP))), g -> new ArrayList<>()).add(kv);
      }
    }
    final List<List<KeyValue<String, DigestMember>>> due = new ArrayList<>();
    for (final List<KeyValue<String, DigestMember>> members : open.values()) {
      members.sort(BY_COLLECTION);
      if (Duration.between(Instant.ofEpochMilli(members.get(0).value.collectedAtMillis()), now).compareTo(policy.groupWait()) >= 0) {
        due.add(members);
      }
    }
    due.sort((a, b) -> BY_COLLECTION.compare(a.get(0), b.get(0)));
    for (final List<KeyValue<String, DigestMember>> members : due) {
      if (!send(members, now)) {
        return;
      }
    }
  }

  private static final java.util.Comparator<KeyValue<String, DigestMember>> BY_COLLECTION =
      java.util.Comparator.<KeyValue<String, DigestMember>>comparingLong(kv -> kv.value.collectedAtMillis()).thenComparing(kv -> kv.key);

  /** The members of one group, in collection order. */
  private List<KeyValue<String, DigestMember>> members(final String group) {
    final List<KeyValue<String, DigestMember>> out = new ArrayList<>();
    try (KeyValueIterator<String, DigestMember> it = digests.prefixScan(group + SEP, new StringSerializer())) {
      it.forEachRemaining(out::add);
    }
    out.sort(BY_COLLECTION);
    return out;
  }

  /** Sends one digest and closes its group; false when interrupted. */
  private boolean send(final List<KeyValue<String, DigestMember>> members, final Instant now) {
    final List<Step> steps = new ArrayList<>();
    for (final KeyValue<String, DigestMember> kv : members) {
      try {
        steps.add(step(kv.value));
      } catch (RuntimeException e) {
        // Decoded once already when it was collected; only a changed schema could get here. Dead-letter, never drop.
        log.warn("destination={} digest member {} cannot be rebuilt: {}", destination, kv.value.recordKey(), e.toString());
        dlq.publish(new DeadLetter(destination, kv.value.dedupeKey(), kv.value.action(), kv.value.recordKey(), 0, 0,
            "digest member cannot be rebuilt: " + e.getClass().getSimpleName(), clock.millis(), kv.value.verdict()));
        digests.delete(kv.key);
      }
    }
    if (steps.isEmpty()) {
      return true;
    }
    final DigestMember lead = members.stream().filter(kv -> kv.value.recordKey().equals(steps.get(0).verdict().key())).findFirst().orElseThrow().value;
    final Step digest = steps.get(0).withGrouped(steps.stream().skip(1).map(Step::verdict).toList());
    try {
      final Deliverer.Outcome o = worker.deliver(digest, lead.verdict(), Instant.ofEpochMilli(lead.producedAtMillis()));
      for (final Step st : steps) {
        final String key = st.verdict().key();
        Lifecycle.after(Optional.ofNullable(store.get(key)), st, o.delivered(), Optional.empty(), now).ifPresent(x -> store.put(key, x));
      }
      members.forEach(kv -> digests.delete(kv.key));
      return true;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  /** Rebuilds a collected step: the verdict decoded again, the rule's templates looked up again. */
  private Step step(final DigestMember m) {
    final VerdictView v = VerdictMapper.toView(m.recordKey(), verdicts.deserialize(NotifierTopology.SOURCE_NAME, m.verdict()));
    final TemplateSpec template = router.route(v).stream().filter(n -> n.destination().equals(destination)).findFirst()
        .map(Notification::template).orElse(TemplateSpec.NONE);
    return new Step(Step.Action.valueOf(m.action()), new DedupeKey(m.dedupeKey()), Optional.empty(), m.recover(), v, Severity.valueOf(m.severity()),
        m.failureClass(), template, List.of());
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
          final String group = (s.failureClass() + "|" + v.signer().or(v::policy).orElse("")).replace(SEP, ' ');
          final String member = group + SEP + v.key();
          // The same artifact again inside the window (or redelivered after a crash) is listed once.
          if (digests.get(member) == null) {
            digests.put(member, new DigestMember(v.key(), record.value(), record.timestamp(), now.toEpochMilli(), s.action().name(),
                s.key().value(), s.recover(), s.severity().name(), s.failureClass()));
          }
          // Bounded store, bounded message: a full digest goes out at once.
          final List<KeyValue<String, DigestMember>> members = members(group);
          if (members.size() >= MAX_DIGEST) {
            send(members, now);
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
