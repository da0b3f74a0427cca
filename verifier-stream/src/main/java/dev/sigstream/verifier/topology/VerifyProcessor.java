package dev.sigstream.verifier.topology;

import dev.sigstream.oci.Reference;
import dev.sigstream.schemas.ArtifactKey;
import dev.sigstream.schemas.AvroSerde;
import dev.sigstream.schemas.avro.ArtifactPushed;
import dev.sigstream.schemas.avro.ArtifactRef;
import dev.sigstream.schemas.avro.Outcome;
import dev.sigstream.schemas.avro.Verdict;
import dev.sigstream.verdict.VerdictMapper;
import dev.sigstream.verifier.core.ArtifactReport;
import dev.sigstream.verifier.core.Reason;
import java.time.Duration;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ThreadLocalRandom;
import org.apache.avro.specific.SpecificRecord;
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
 * Turns push events into verdicts without ever waiting on a registry in the stream thread.
 *
 * <p>Design (docs/architecture.md, "Registry I/O in the stream"): {@link #process} only records the work in the
 * changelogged {@value VerifierTopology#PENDING_STORE} store and starts it when a slot is free; the verification runs
 * asynchronously (registry I/O on the HTTP client, decisions on the verifier's bounded pool). A wall-clock punctuation
 * every {@link StreamPolicy#tick()} collects finished verifications and forwards their verdicts, and starts work that
 * has come due. So up to {@link StreamPolicy#maxInFlight()} artifacts per task are in flight while the partition keeps
 * flowing, and a slow registry holds only its own artifacts.
 *
 * <p>That fast tick runs only while there is work: something in flight, or due within {@link #IDLE_TICK}. Otherwise
 * one punctuation every {@link #IDLE_TICK} looks for timers come due and starts the fast tick again. Why: Kafka Streams
 * marks a task as needing a commit after every punctuation, so under exactly-once an idle service with a 10 ms tick
 * ran a transaction every commit interval (40 a second at 25 ms), for nothing: about a fifth of a core on the broker
 * and CPU on the service that admission, which answers from the same JVM, had to share.
 *
 * <p>Exactly once: a verdict is forwarded, its pending entry deleted and its verdict stored in the same task
 * transaction ({@code exactly_once_v2}) as the offsets of the records that led to it. If the instance dies, pending
 * entries are restored from their changelog and their verification is started again ({@link #init}): verification
 * only reads, so running it twice is harmless, and only one of its verdicts is ever committed.
 *
 * <p>Timers (grace windows, retries) are due times in the same store, so they survive restarts and rebalances.
 */
final class VerifyProcessor implements Processor<String, ArtifactPushed, String, SpecificRecord> {

  private static final Logger log = LoggerFactory.getLogger(VerifyProcessor.class);

  static final String RECHECK_ATTRIBUTE = VerifierTopology.RECHECK_ATTRIBUTE;

  private record Due(long dueMs, String key) implements Comparable<Due> {
    @Override
    public int compareTo(final Due o) {
      return dueMs != o.dueMs ? Long.compare(dueMs, o.dueMs) : key.compareTo(o.key);
    }
  }

  private final ArtifactCheck check;
  private final StreamPolicy policy;
  private final String verifierVersion;
  private final AvroSerde<ArtifactPushed> events = AvroSerde.of(ArtifactPushed.class);
  private final Map<String, CompletableFuture<ArtifactCheck.Outcome>> inFlight = new LinkedHashMap<>();
  private final PriorityQueue<Due> queue = new PriorityQueue<>();

  /** The punctuation of an idle task: timers come due are found at most this late, then the fast tick takes over. */
  static final Duration IDLE_TICK = Duration.ofSeconds(1);

  private ProcessorContext<String, SpecificRecord> context;
  /** The fast tick, scheduled while work is in flight or due within {@link #IDLE_TICK}; null when idle. */
  private org.apache.kafka.streams.processor.Cancellable fastTick;
  private KeyValueStore<String, PendingWork> pending;
  private KeyValueStore<String, Verdict> verdicts;
  private final VerifierMetrics metrics;

  VerifyProcessor(final ArtifactCheck check, final StreamPolicy policy, final String verifierVersion,
      final VerifierMetrics metrics) {
    this.check = check;
    this.policy = policy;
    this.verifierVersion = verifierVersion;
    this.metrics = metrics;
  }

  @Override
  public void init(final ProcessorContext<String, SpecificRecord> context) {
    this.context = context;
    this.pending = context.getStateStore(VerifierTopology.PENDING_STORE);
    this.verdicts = context.getStateStore(VerifierTopology.VERDICT_STORE);
    // Restored work: whatever was in flight when the last owner stopped is due again now.
    final long now = context.currentSystemTimeMs();
    try (KeyValueIterator<String, PendingWork> it = pending.all()) {
      while (it.hasNext()) {
        final KeyValue<String, PendingWork> kv = it.next();
        queue.add(new Due(kv.value.state() == PendingWork.State.DUE ? Math.min(now, kv.value.dueMs())
            : kv.value.dueMs(), kv.key));
      }
    }
    context.schedule(IDLE_TICK, PunctuationType.WALL_CLOCK_TIME, this::tick);
    pace(now);
  }

  /** Schedules the fast tick while there is work (in flight, or due within an idle tick), and cancels it after. */
  private void pace(final long now) {
    final boolean busy = !inFlight.isEmpty() || !queue.isEmpty() && queue.peek().dueMs() - now < IDLE_TICK.toMillis();
    if (busy && fastTick == null) {
      fastTick = context.schedule(policy.tick(), PunctuationType.WALL_CLOCK_TIME, this::tick);
    } else if (!busy && fastTick != null) {
      fastTick.cancel();
      fastTick = null;
    }
  }

  @Override
  public void process(final Record<String, ArtifactPushed> record) {
    final ArtifactPushed event = record.value();
    if (event == null || record.key() == null) {
      return;
    }
    // Validate at the edge: an event naming no valid reference is poison and goes to the DLQ with its bytes.
    reference(event.getArtifact());
    final String key = record.key();
    final long now = context.currentSystemTimeMs();
    final boolean recheck = event.getAttributes().containsKey(RECHECK_ATTRIBUTE);
    final PendingWork existing = pending.get(key);
    if (existing != null) {
      // Already in hand. A referrer for an artifact waiting for its signature makes it due now.
      if (recheck && existing.state() != PendingWork.State.DUE && !inFlight.containsKey(key)) {
        schedule(key, existing.due(now));
        startDue(now);
        pace(now);
      }
      return;
    }
    if (!recheck) {
      final Verdict last = verdicts.get(key);
      // A verdict decided under other trust material is no reason to skip: the artifact is verified again.
      if (last != null && now - last.getDecidedAt().toEpochMilli() < policy.dedupeWindow().toMillis()
          && java.util.Objects.equals(last.getTrustVersion(), check.trustVersion())) {
        metrics.deduplicated();
        return;
      }
    }
    schedule(key, new PendingWork(events.serializer().serialize(null, event), PendingWork.State.DUE, now, now, 0,
        null));
    startDue(now);
    pace(now);
  }

  private void schedule(final String key, final PendingWork w) {
    pending.put(key, w);
    queue.add(new Due(w.dueMs(), key));
  }

  /**
   * The punctuation (fast and idle alike): publish what finished, start what is due, and publish at once what
   * finished while starting (answers from caches complete synchronously); then keep the fast tick only while there is
   * work.
   */
  void tick(final long now) {
    // Verdicts become visible to read_committed consumers when the transaction commits, at the commit interval (25
    // ms). Asking for a commit after each tick that published was measured: the synchronous commit holds the stream
    // thread, so new events waited for it (p99 at 20 events/s 448 ms with it, 187 ms without).
    collect(now);
    startDue(now);
    collect(now);
    metrics.inFlight(inFlight.size());
    if (now - lastPendingGauge >= 1000) {
      lastPendingGauge = now;
      metrics.pending(this, pending.approximateNumEntries());
    }
    pace(now);
  }

  private long lastPendingGauge;

  /** Handles every finished verification. */
  private void collect(final long now) {
    for (final Iterator<Map.Entry<String, CompletableFuture<ArtifactCheck.Outcome>>> it = inFlight.entrySet()
        .iterator(); it.hasNext();) {
      final Map.Entry<String, CompletableFuture<ArtifactCheck.Outcome>> e = it.next();
      if (e.getValue().isDone()) {
        it.remove();
        finished(e.getKey(), e.getValue().join(), now);
      }
    }
  }

  private void startDue(final long now) {
    while (inFlight.size() < policy.maxInFlight() && !queue.isEmpty() && queue.peek().dueMs() <= now) {
      final Due d = queue.poll();
      final PendingWork w = pending.get(d.key());
      // Stale queue entries (the work was rescheduled or finished since) are skipped.
      if (w == null || w.dueMs() != d.dueMs() || inFlight.containsKey(d.key())) {
        continue;
      }
      final ArtifactPushed event = events.deserializer().deserialize(null, w.event());
      final Reference ref = reference(event.getArtifact());
      final String parent = event.getAttributes().get(VerifierTopology.PARENT_ATTRIBUTE);
      CompletableFuture<ArtifactCheck.Outcome> f;
      try {
        final Reference index = parent == null ? null : parentOf(parent, ref);
        f = index == null ? check.check(ref) : check.checkChild(ref, index);
      } catch (final RuntimeException e) {
        f = CompletableFuture.failedFuture(e);
      }
      inFlight.put(d.key(), f.exceptionally(e -> {
        // The check's contract is never to fail; a bug still becomes an ERROR verdict, never a stall.
        log.error("verification of {} failed unexpectedly", d.key(), e);
        return null;
      }));
    }
  }

  private void finished(final String key, final ArtifactCheck.Outcome outcome, final long now) {
    final PendingWork w = pending.get(key);
    if (w == null) {
      return;
    }
    final ArtifactPushed event = events.deserializer().deserialize(null, w.event());
    if (outcome instanceof ArtifactCheck.ReferrerOf r) {
      pending.delete(key);
      recheck(event, r.subject());
      return;
    }
    final ArtifactReport report = outcome instanceof ArtifactCheck.Decided d ? d.report()
        : internalError(event);
    final java.util.List<Reference> children = outcome instanceof ArtifactCheck.Decided d ? d.children()
        : java.util.List.of();
    final String trustVersion = outcome instanceof ArtifactCheck.Decided d ? d.trustVersion() : null;
    final long age = now - w.firstSeenMs();
    if (report.retryable() && age < policy.retryDeadline().toMillis()) {
      final int attempt = w.attempts() + 1;
      final long jittered = (long) (policy.backoff(attempt).toMillis() * (0.8 + 0.4 * ThreadLocalRandom.current()
          .nextDouble()));
      final long delay = Math.max(jittered, report.retryAfter() == null ? 0 : report.retryAfter().toMillis());
      schedule(key, new PendingWork(w.event(), PendingWork.State.RETRYING, w.firstSeenMs(), now + delay, attempt,
          report.reason().name()));
      metrics.retried(report.reason());
      return;
    }
    final long grace = policy.graceWindow(report.artifactClass()).toMillis();
    if (report.outcome() == ArtifactReport.Outcome.FAIL && policy.graceReasons().contains(report.reason())
        && age < grace) {
      schedule(key, new PendingWork(w.event(), PendingWork.State.AWAITING_SIGNATURE, w.firstSeenMs(),
          w.firstSeenMs() + grace, w.attempts(), report.reason().name()));
      metrics.heldForSignature();
      return;
    }
    publish(key, event, report, trustVersion, now);
    if (policy.verifyChildren() && !children.isEmpty()) {
      children(event, report, children);
    }
  }

  /** An index was decided: its platform manifests are verified as children, each on its own partition. */
  private void children(final ArtifactPushed indexEvent, final ArtifactReport index, final java.util.List<Reference>
      children) {
    final String parent = index.artifact().registry() + "/" + index.artifact().repository() + "@"
        + index.artifact().digest();
    for (final Reference c : children) {
      final Map<String, String> attributes = new HashMap<>();
      attributes.put(VerifierTopology.PARENT_ATTRIBUTE, parent);
      sendBack(indexEvent, indexEvent.getEventId() + "/" + c.digest(), c, attributes);
    }
    metrics.children(children.size());
  }

  /**
   * The index named by a child's hint, which must be a digest in the child's own repository; null (the child stands
   * alone) otherwise.
   */
  private static Reference parentOf(final String hint, final Reference child) {
    try {
      final Reference p = Reference.parse(hint.length() > 1024 ? "" : hint);
      return child.isDigest() && p.isDigest() && p.registry().equals(child.registry())
          && p.repository().equals(child.repository()) && !p.digest().equals(child.digest()) ? p : null;
    } catch (final RuntimeException e) {
      return null;
    }
  }

  private void publish(final String key, final ArtifactPushed event, final ArtifactReport report,
      final String trustVersion, final long now) {
    final Verdict v = VerdictMapper.toVerdict(report, event.getEventId(), verifierVersion, trustVersion);
    final String verdictKey = ArtifactKey.of(v.getArtifact());
    pending.delete(key);
    final Verdict last = verdicts.get(verdictKey);
    if (last != null && Verdict.newBuilder(last).setEventId(v.getEventId()).setDecidedAt(v.getDecidedAt()).build()
        .equals(v)) {
      // Verified again (a referrer's recheck that found what the last verification already saw, say) and nothing
      // changed: the same verdict twice would only be noise for every consumer.
      metrics.unchanged();
      return;
    }
    verdicts.put(verdictKey, v);
    context.forward(new Record<>(verdictKey, (SpecificRecord) v, now), VerifierTopology.VERDICTS_SINK);
    if (v.getOutcome() == Outcome.FAIL || v.getOutcome() == Outcome.ERROR) {
      context.forward(new Record<>(verdictKey, (SpecificRecord) v, now), VerifierTopology.VIOLATIONS_SINK);
    }
    metrics.verdict(report, Duration.ofMillis(Math.max(0, now - event.getReceivedAt().toEpochMilli())));
    log.info("verdict {} {} {} for {}", v.getOutcome(), v.getReasonCode(), v.getArtifactClass(), verdictKey);
  }

  /** A referrer arrived: the subject is checked again on its own partition, through the events topic. */
  private void recheck(final ArtifactPushed referrerEvent, final Reference subject) {
    final Map<String, String> attributes = new HashMap<>(referrerEvent.getAttributes());
    attributes.put(RECHECK_ATTRIBUTE, "referrer");
    sendBack(referrerEvent, referrerEvent.getEventId(), subject, attributes);
    metrics.referrerRecheck();
  }

  /**
   * Writes an event for {@code target} (by digest) back to the events topic, keyed by it so it is handled on its own
   * partition: {@code from} with another artifact, event id and attributes.
   */
  private void sendBack(final ArtifactPushed from, final String eventId, final Reference target,
      final Map<String, String> attributes) {
    final ArtifactRef ref = ArtifactRef.newBuilder().setRegistry(target.registry())
        .setRepository(target.repository()).setDigest(target.digest().toString()).setTag(null)
        .setMediaType(null).setSize(null).build();
    final ArtifactPushed e = ArtifactPushed.newBuilder(from).setEventId(eventId).setArtifact(ref)
        .setAttributes(attributes).build();
    context.forward(new Record<>(ArtifactKey.of(ref), (SpecificRecord) e, context.currentSystemTimeMs()),
        VerifierTopology.RECHECK_SINK);
  }

  private ArtifactReport internalError(final ArtifactPushed event) {
    final ArtifactRef a = event.getArtifact();
    return new ArtifactReport(new ArtifactReport.ArtifactId(a.getRegistry(), a.getRepository(), a.getDigest(),
        a.getTag(), null, null), null, null, ArtifactReport.Outcome.ERROR, Reason.INTERNAL_ERROR,
        "internal error in the verification path", java.util.List.of(), null, java.util.List.of(), null,
        java.time.Instant.ofEpochMilli(context.currentSystemTimeMs()));
  }

  /** The event's reference; throws {@link IllegalArgumentException} (poison: to the DLQ) when it names none. */
  static Reference reference(final ArtifactRef a) {
    if (a == null) {
      throw new IllegalArgumentException("event without an artifact");
    }
    final String digest = a.getDigest();
    if (digest == null && a.getTag() == null) {
      throw new IllegalArgumentException("event for " + a.getRegistry() + "/" + a.getRepository()
          + " names neither a digest nor a tag");
    }
    return new Reference(a.getRegistry(), a.getRepository(), a.getTag(),
        digest == null ? null : dev.sigstream.oci.Digest.parse(digest));
  }

  @Override
  public void close() {
    // In-flight verifications are abandoned; their pending entries are restored and run again by the next owner.
    inFlight.values().forEach(f -> f.cancel(true));
    inFlight.clear();
    metrics.forget(this);
  }
}
