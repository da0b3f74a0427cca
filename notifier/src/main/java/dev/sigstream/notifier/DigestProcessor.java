package dev.sigstream.notifier;

import dev.sigstream.notifier.delivery.DeadLetter;
import dev.sigstream.notifier.delivery.DeadLetters;
import dev.sigstream.notifier.delivery.Deliverer;
import dev.sigstream.notifier.route.DedupeKey;
import dev.sigstream.notifier.route.LifecyclePolicy;
import dev.sigstream.notifier.route.Notification;
import dev.sigstream.notifier.route.Router;
import dev.sigstream.notifier.route.Severity;
import dev.sigstream.notifier.route.Step;
import dev.sigstream.notifier.route.TemplateSpec;
import dev.sigstream.notifier.route.VerdictView;
import dev.sigstream.schemas.avro.Verdict;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Collects the failures of one group (failure class and signer, or policy) handed over by {@link NotifyProcessor},
 * repartitioned by group so a burst spread over every verdict partition lands here together, and sends one digest
 * per group when its window ({@code groupWait}) ends. Open digests live in the changelogged store {@link
 * NotifierTopology#DIGEST_STORE}, so a restart or a crash inside the window still sends each digest once; nothing is
 * sent on close (whoever owns the partition next sends it when due).
 */
final class DigestProcessor implements Processor<String, DigestMember, Void, Void> {

  private static final Logger log = LoggerFactory.getLogger(DigestProcessor.class);
  /** Separates the group from the artifact key in the store's keys. */
  private static final char SEP = '\u0000';
  private static final Comparator<KeyValue<String, DigestMember>> BY_COLLECTION =
      Comparator.<KeyValue<String, DigestMember>>comparingLong(kv -> kv.value.collectedAtMillis()).thenComparing(kv -> kv.key);

  private final String destination;
  private final Router router;
  private final LifecyclePolicy policy;
  private final DestinationWorker worker;
  private final DeadLetters dlq;
  private final Deserializer<Verdict> verdicts;
  private final Clock clock;
  private KeyValueStore<String, DigestMember> digests;

  DigestProcessor(final String destination, final Router router, final LifecyclePolicy policy, final DestinationWorker worker,
      final DeadLetters dlq, final Deserializer<Verdict> verdicts, final Clock clock) {
    this.destination = destination;
    this.router = router;
    this.policy = policy;
    this.worker = worker;
    this.dlq = dlq;
    this.verdicts = verdicts;
    this.clock = clock;
  }

  /** The group key: failure class and signer (or policy); never contains the store's separator. */
  static String group(final String failureClass, final String signerOrPolicy) {
    return (failureClass + "|" + signerOrPolicy).replace(SEP, ' ');
  }

  @Override
  public void init(final ProcessorContext<Void, Void> context) {
    digests = context.getStateStore(NotifierTopology.DIGEST_STORE);
    final Duration every = policy.groupWait().dividedBy(4).compareTo(Duration.ofMillis(50)) < 0 ? Duration.ofMillis(50) : policy.groupWait().dividedBy(4);
    context.schedule(every, PunctuationType.WALL_CLOCK_TIME, ts -> flush(Instant.ofEpochMilli(ts)));
  }

  @Override
  public void process(final Record<String, DigestMember> record) {
    final String member = record.key() + SEP + record.value().recordKey();
    // The same artifact again inside the window (or handed over again after a crash) is listed once.
    if (digests.get(member) == null) {
      digests.put(member, record.value());
    }
    // Bounded store, bounded message: a full digest goes out at once.
    final List<KeyValue<String, DigestMember>> members = members(record.key());
    if (members.size() >= NotifyProcessor.MAX_DIGEST) {
      send(members);
    }
  }

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
      if (!send(members)) {
        return;
      }
    }
  }

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
  private boolean send(final List<KeyValue<String, DigestMember>> members) {
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
      // Undelivered, the digest is dead-lettered with the lead's verdict; the other members' verdicts follow, so a
      // replay re-sends every artifact of it.
      final Deliverer.Outcome o = worker.deliver(digest, lead.verdict(), Instant.ofEpochMilli(lead.producedAtMillis()));
      if (!o.delivered()) {
        for (final KeyValue<String, DigestMember> kv : members) {
          if (kv.value != lead) {
            dlq.publish(new DeadLetter(destination, kv.value.dedupeKey(), kv.value.action(), kv.value.recordKey(), o.attempts(), 0,
                "in an undelivered digest: " + o.reason(), clock.millis(), kv.value.verdict()));
          }
        }
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
}
