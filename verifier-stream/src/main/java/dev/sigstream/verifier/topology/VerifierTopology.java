package dev.sigstream.verifier.topology;

import dev.sigstream.schemas.Topics;
import dev.sigstream.schemas.avro.ArtifactPushed;
import dev.sigstream.schemas.avro.Verdict;
import java.util.Objects;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.Stores;

/**
 * The verifier's topology: push events in, verdicts and violations out. Built by a pure static method that tests call
 * with {@code TopologyTestDriver}; every node and store is named so internal names stay stable across releases.
 *
 * <pre>
 *   artifact-events.v1 ──▶ verify-artifact (VerifyProcessor; stores verify-pending, verify-verdicts)
 *                                ├──▶ verdicts.v1     (every verdict, keyed by registry/repository@digest)
 *                                ├──▶ violations.v1   (FAIL and ERROR)
 *                                └──▶ artifact-events.v1 (a referrer's subject, to be checked again on its partition)
 *   verdicts.v1 ──▶ verdict-index (global store: the query API and admission)
 * </pre>
 */
public final class VerifierTopology {

  public static final String SOURCE = "artifact-events-in";
  public static final String PROCESSOR = "verify-artifact";
  public static final String PENDING_STORE = "verify-pending";
  public static final String VERDICT_STORE = "verify-verdicts";
  public static final String VERDICTS_SINK = "verdicts-out";
  public static final String VIOLATIONS_SINK = "violations-out";
  public static final String RECHECK_SINK = "recheck-out";
  /** Every instance's copy of the latest verdict per artifact, read from the compacted verdicts topic. */
  public static final String VERDICT_INDEX = "verdict-index";
  /**
   * Attribute of a synthetic event asking for an artifact to be checked again now, past dedupe and grace: its value
   * says why ({@code referrer}: a signature or SBOM for it was pushed; {@code trust-material}: admission found its
   * verdict stale).
   */
  public static final String RECHECK_ATTRIBUTE = "sigstream.recheck";
  /**
   * Marks an event for a platform manifest of an image index, naming the index ({@code registry/repository@digest}).
   * Only a hint: the check verifies the index again and that it lists the child, so a forged hint gains nothing.
   */
  public static final String PARENT_ATTRIBUTE = "sigstream.parent";

  private VerifierTopology() {}

  /**
   * @param check the verification path for one artifact (shared by every task; thread-safe)
   * @param verifierVersion recorded in each verdict
   */
  public static Topology build(final Topics topics, final ArtifactCheck check, final StreamPolicy policy,
      final String verifierVersion, final VerifierMetrics metrics) {
    Objects.requireNonNull(check, "check");
    Objects.requireNonNull(policy, "policy");
    final Topology t = new Topology();
    t.addSource(SOURCE, Serdes.String().deserializer(), topics.artifactEvents().valueSerde().deserializer(),
        topics.artifactEvents().name());
    t.addProcessor(PROCESSOR, () -> new VerifyProcessor(check, policy, verifierVersion, metrics), SOURCE);
    // Pending work is small (in flight, held for a signature, waiting for a retry) and touched twice per artifact:
    // in memory, restored from its changelog like any store. The verdict store grows with every artifact: on disk.
    t.addStateStore(Stores.keyValueStoreBuilder(Stores.inMemoryKeyValueStore(PENDING_STORE), Serdes.String(),
        new PendingWorkSerde()), PROCESSOR);
    t.addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(VERDICT_STORE), Serdes.String(),
        topics.verdicts().valueSerde()), PROCESSOR);
    t.addSink(VERDICTS_SINK, topics.verdicts().name(), Serdes.String().serializer(),
        (topic, v) -> topics.verdicts().valueSerde().serializer().serialize(topic, (Verdict) v), PROCESSOR);
    t.addSink(VIOLATIONS_SINK, topics.violations().name(), Serdes.String().serializer(),
        (topic, v) -> topics.violations().valueSerde().serializer().serialize(topic, (Verdict) v), PROCESSOR);
    t.addSink(RECHECK_SINK, topics.artifactEvents().name(), Serdes.String().serializer(),
        (topic, v) -> topics.artifactEvents().valueSerde().serializer().serialize(topic, (ArtifactPushed) v),
        PROCESSOR);
    // The query API and admission read this global copy: every instance answers for every artifact locally, with
    // no hop to the instance that owns the key's partition.
    t.addGlobalStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(VERDICT_INDEX), Serdes.String(),
        topics.verdicts().valueSerde()).withLoggingDisabled(), "verdict-index-in", Serdes.String().deserializer(),
        topics.verdicts().valueSerde().deserializer(), topics.verdicts().name(), "verdict-index-update",
        () -> new Processor<String, Verdict, Void, Void>() {
          private KeyValueStore<String, Verdict> store;

          @Override
          public void init(final ProcessorContext<Void, Void> context) {
            store = context.getStateStore(VERDICT_INDEX);
          }

          @Override
          public void process(final Record<String, Verdict> record) {
            if (record.key() != null) {
              store.put(record.key(), record.value());
            }
          }
        });
    return t;
  }
}
