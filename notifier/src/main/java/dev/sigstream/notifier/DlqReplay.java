package dev.sigstream.notifier;

import dev.sigstream.schemas.KafkaConnection;
import dev.sigstream.notifier.channel.Channel;
import dev.sigstream.notifier.delivery.DeadLetter;
import dev.sigstream.notifier.delivery.Deliverer;
import dev.sigstream.notifier.delivery.NotifierMetrics;
import dev.sigstream.notifier.delivery.TokenBucket;
import dev.sigstream.notifier.route.DedupeKey;
import dev.sigstream.notifier.route.DestinationSpec;
import dev.sigstream.notifier.route.Notification;
import dev.sigstream.notifier.route.Router;
import dev.sigstream.notifier.route.Severity;
import dev.sigstream.notifier.route.Step;
import dev.sigstream.notifier.route.VerdictView;
import dev.sigstream.schemas.AvroSerde;
import dev.sigstream.schemas.avro.Verdict;
import io.micrometer.core.instrument.MeterRegistry;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Replays {@code notifications.dlq.v1}: every dead letter (optionally of one destination, failed at or after a
 * time) is delivered again through the same channel and Deliverer, with recovery on, so a ticket that did get
 * created is found by its dedupe label rather than opened twice. What fails again is dead-lettered again. The
 * lifecycle store is not touched; the next verdict for the artifact finds the ticket by lookup. The command is
 * {@code sigstream notifier replay} (module app).
 */
public final class DlqReplay {

  private static final Logger log = LoggerFactory.getLogger(DlqReplay.class);

  /** Counts of one replay run. */
  public record Result(int read, int delivered, int failedAgain, int skipped) {}

  private DlqReplay() {}

  /**
   * Replays the dead letters of {@code destination} (every destination when empty) that failed at or after {@code
   * since}; the {@code sigstream notifier replay} command calls this.
   *
   * @throws org.apache.kafka.common.KafkaException when Kafka cannot be reached
   */
  public static Result replay(final NotifierConfig config, final String bootstrapServers, final Optional<String> destination,
      final Instant since, final MeterRegistry registry) throws InterruptedException {
    return replay(config, KafkaConnection.plaintext(bootstrapServers), destination, since, registry);
  }

  /** As {@link #replay(NotifierConfig, String, Optional, Instant, MeterRegistry)}, on the cluster {@code kafka} names. */
  public static Result replay(final NotifierConfig config, final KafkaConnection kafka, final Optional<String> destination,
      final Instant since, final MeterRegistry registry) throws InterruptedException {
    final Clock clock = Clock.systemUTC();
    final NotifierMetrics metrics = new NotifierMetrics(registry);
    final Router router = new Router(config.routing().rules());
    final AvroSerde<Verdict> serde = AvroSerde.of(Verdict.class);
    int read = 0;
    int delivered = 0;
    int failed = 0;
    int skipped = 0;
    final Map<String, DestinationWorker> workers = new java.util.HashMap<>();
    final Map<String, Object> cp = kafka.clientProperties();
    cp.put(ConsumerConfig.CLIENT_ID_CONFIG, "sigstream-notifier-replay-" + UUID.randomUUID());
    cp.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    cp.put(ConsumerConfig.ALLOW_AUTO_CREATE_TOPICS_CONFIG, false);
    try (KafkaDeadLetters dlq = new KafkaDeadLetters(kafka, config.dlqTopic());
        KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(cp, new StringDeserializer(), new ByteArrayDeserializer())) {
      final var info = consumer.partitionsFor(config.dlqTopic(), Duration.ofSeconds(30));
      if (info == null || info.isEmpty()) {
        // No dead-letter topic yet: nothing ever failed.
        return new Result(0, 0, 0, 0);
      }
      final List<TopicPartition> parts = info.stream().map(p -> new TopicPartition(p.topic(), p.partition())).toList();
      consumer.assign(parts);
      consumer.seekToBeginning(parts);
      // Replay what is there now; letters written during the replay (failures again) are left for the next run.
      final Map<TopicPartition, Long> end = consumer.endOffsets(parts);
      while (parts.stream().anyMatch(p -> consumer.position(p) < end.get(p))) {
        for (final ConsumerRecord<String, byte[]> r : consumer.poll(Duration.ofMillis(500))) {
          if (r.offset() >= end.get(new TopicPartition(r.topic(), r.partition()))) {
            continue;
          }
          read++;
          final DeadLetter letter;
          try {
            letter = KafkaDeadLetters.decode(r.value());
          } catch (IOException | IllegalArgumentException e) {
            skipped++;
            continue;
          }
          final DestinationSpec d = config.routing().destinations().get(letter.destination());
          if (d == null || destination.map(x -> !x.equals(letter.destination())).orElse(false)
              || Instant.ofEpochMilli(letter.failedAtMillis()).isBefore(since) || letter.action().equals("DECODE")) {
            skipped++;
            continue;
          }
          final VerdictView v;
          try {
            v = VerdictMapper.toView(letter.artifactKey(), serde.deserializer().deserialize(config.verdictsTopic(), letter.verdict()));
          } catch (RuntimeException e) {
            skipped++;
            continue;
          }
          final Optional<Notification> routed = router.route(v).stream().filter(n -> n.destination().equals(d.name())).findFirst();
          final Step.Action action = Step.Action.valueOf(letter.action());
          final String failureClass = routed.map(Notification::failureClass).orElse(v.reasonCode());
          final Step step = new Step(action, new DedupeKey(letter.dedupeKey()), Optional.empty(), true, v,
              routed.map(Notification::severity).orElse(Severity.of(v)), failureClass, routed.map(Notification::template).orElse(dev.sigstream.notifier.route.TemplateSpec.NONE), List.of());
          // One channel, bucket and worker per destination for the whole run: pacing holds across letters.
          final DestinationWorker worker = workers.computeIfAbsent(d.name(), n -> {
            final Channel channel = Channels.create(d, config.routing().verdictLink(), clock, null);
            final Deliverer deliverer = new Deliverer(d.name(), d.delivery(),
                new TokenBucket(d.delivery().ratePerSecond(), d.delivery().burst(), System::nanoTime), dur -> Thread.sleep(dur.toMillis()),
                new SplittableRandom(), metrics);
            return new DestinationWorker(d.name(), channel, deliverer, dlq, metrics, clock);
          });
          final Deliverer.Outcome o = worker.deliver(step, letter.verdict(), clock.instant());
          if (o.delivered()) {
            delivered++;
          } else {
            failed++;
          }
        }
      }
    }
    final Result result = new Result(read, delivered, failed, skipped);
    log.info("notifier DLQ replay: {}", result);
    return result;
  }
}
