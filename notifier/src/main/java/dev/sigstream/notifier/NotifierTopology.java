package dev.sigstream.notifier;

import dev.sigstream.notifier.delivery.DeadLetters;
import dev.sigstream.notifier.delivery.NotifierMetrics;
import dev.sigstream.notifier.route.LifecyclePolicy;
import dev.sigstream.notifier.route.Router;
import dev.sigstream.schemas.avro.Verdict;
import java.time.Clock;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.Named;
import org.apache.kafka.streams.kstream.Repartitioned;
import org.apache.kafka.streams.state.Stores;

/**
 * One destination's topology: verdicts in, a processor with the changelogged lifecycle store; for message
 * destinations that group bursts, failures are repartitioned by group to a digest processor with the changelogged
 * digest store. Values are read as bytes and decoded in the processor so an undecodable verdict goes to the
 * dead-letter topic with its bytes.
 */
public final class NotifierTopology {

  /** The in-memory lifecycle store; its changelog topic ({@code <application.id>-notifier-lifecycle-changelog}) restores it. */
  public static final String LIFECYCLE_STORE = "notifier-lifecycle";
  /**
   * Open digests of message destinations that group bursts, one entry per collected artifact; its changelog topic
   * ({@code <application.id>-notifier-digests-changelog}) restores them, so a restart inside the window still sends
   * each digest once.
   */
  public static final String DIGEST_STORE = "notifier-digests";
  static final String SOURCE_NAME = "verdicts-in";

  private NotifierTopology() {}

  static Topology build(final String verdictsTopic, final String destination, final Router router, final LifecyclePolicy policy,
      final DestinationWorker worker, final DeadLetters dlq, final Deserializer<Verdict> verdicts, final NotifierMetrics metrics,
      final Clock clock) {
    final StreamsBuilder b = new StreamsBuilder();
    b.addStateStore(Stores.keyValueStoreBuilder(Stores.inMemoryKeyValueStore(LIFECYCLE_STORE), Serdes.String(), LifecycleStateSerde.serde())
        .withCachingDisabled()
        .withLoggingEnabled(java.util.Map.of("cleanup.policy", "compact")));
    final boolean grouping = NotifyProcessor.groups(policy, worker.channel.type());
    final var notified = b.stream(verdictsTopic, Consumed.with(Serdes.String(), Serdes.ByteArray()).withName(SOURCE_NAME))
        .process(() -> new NotifyProcessor(destination, router, policy, worker, dlq, verdicts, metrics, clock), Named.as("notify"),
            LIFECYCLE_STORE);
    if (grouping) {
      b.addStateStore(Stores.keyValueStoreBuilder(Stores.inMemoryKeyValueStore(DIGEST_STORE), Serdes.String(), DigestMember.serde())
          .withCachingDisabled()
          .withLoggingEnabled(java.util.Map.of("cleanup.policy", "compact")));
      // Keyed by group and repartitioned (topic <application.id>-notifier-digest-members-repartition), so one burst
      // makes one digest whichever verdict partitions it arrived on.
      notified.repartition(Repartitioned.with(Serdes.String(), DigestMember.serde()).withName("notifier-digest-members"))
          .process(() -> new DigestProcessor(destination, router, policy, worker, dlq, verdicts, clock), Named.as("digest"), DIGEST_STORE);
    }
    return b.build();
  }
}
