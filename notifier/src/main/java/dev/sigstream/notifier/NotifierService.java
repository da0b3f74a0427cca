package dev.sigstream.notifier;

import dev.sigstream.schemas.KafkaConnection;
import dev.sigstream.notifier.channel.Channel;
import dev.sigstream.notifier.delivery.Deliverer;
import dev.sigstream.notifier.delivery.NotifierMetrics;
import dev.sigstream.notifier.delivery.TokenBucket;
import dev.sigstream.notifier.route.DestinationSpec;
import dev.sigstream.notifier.route.Router;
import dev.sigstream.notifier.route.Rule;
import dev.sigstream.schemas.AvroSerde;
import dev.sigstream.schemas.avro.Verdict;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.SplittableRandom;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.streams.CloseOptions;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The notifier: one Kafka Streams application per destination over {@code verdicts.v1}, each with its own thread,
 * token bucket, retries, lifecycle store and committed offsets, so a slow or failing destination never delays
 * another (Argo CD's lesson: delivery state is per destination).
 */
public final class NotifierService implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(NotifierService.class);
  /** Records per poll: small, so a destination retrying under backoff stays well inside max.poll.interval.ms. */
  static final int MAX_POLL_RECORDS = 10;

  private final List<KafkaStreams> streams;
  private final Map<String, DestinationWorker> workers = new LinkedHashMap<>();
  private final Map<String, KafkaStreams> byDestination = new LinkedHashMap<>();
  private final KafkaDeadLetters dlq;

  private NotifierService(final List<KafkaStreams> streams, final KafkaDeadLetters dlq) {
    this.streams = streams;
    this.dlq = dlq;
  }

  /** Starts every destination named by a rule, over PLAINTEXT (tests, benchmarks). */
  public static NotifierService start(final NotifierConfig config, final String bootstrapServers, final MeterRegistry registry) {
    return start(config, KafkaConnection.plaintext(bootstrapServers), registry, Clock.systemUTC(), null);
  }

  /** Starts every destination named by a rule, on the cluster {@code kafka} names. */
  public static NotifierService start(final NotifierConfig config, final KafkaConnection kafka, final MeterRegistry registry) {
    return start(config, kafka, registry, Clock.systemUTC(), null);
  }

  /** As {@link #start(NotifierConfig, String, MeterRegistry)}, with a clock and (for tests) an azure-core HTTP client. */
  public static NotifierService start(final NotifierConfig config, final String bootstrapServers, final MeterRegistry registry, final Clock clock,
      final com.azure.core.http.HttpClient azureHttp) {
    return start(config, KafkaConnection.plaintext(bootstrapServers), registry, clock, azureHttp);
  }

  /** As {@link #start(NotifierConfig, KafkaConnection, MeterRegistry)}, with a clock and an azure-core HTTP client. */
  public static NotifierService start(final NotifierConfig config, final KafkaConnection kafka, final MeterRegistry registry, final Clock clock,
      final com.azure.core.http.HttpClient azureHttp) {
    final NotifierMetrics metrics = new NotifierMetrics(registry);
    final KafkaDeadLetters dlq = new KafkaDeadLetters(kafka, config.dlqTopic());
    final Router router = new Router(config.routing().rules());
    final Set<String> used = new LinkedHashSet<>();
    for (final Rule r : config.routing().rules()) {
      r.targets().forEach(t -> used.add(t.destination()));
    }
    final List<KafkaStreams> started = new ArrayList<>();
    final NotifierService service = new NotifierService(started, dlq);
    try {
      for (final String name : used) {
        final DestinationSpec d = config.routing().destinations().get(name);
        final Channel channel = Channels.create(d, config.routing().verdictLink(), clock, azureHttp);
        final Deliverer deliverer = new Deliverer(name, d.delivery(), new TokenBucket(d.delivery().ratePerSecond(), d.delivery().burst(), System::nanoTime),
            dur -> Thread.sleep(dur.toMillis()), new SplittableRandom(), metrics);
        final DestinationWorker worker = new DestinationWorker(name, channel, deliverer, dlq, metrics, clock);
        final AvroSerde<Verdict> serde = AvroSerde.of(Verdict.class);
        final KafkaStreams ks = new KafkaStreams(
            NotifierTopology.build(config.verdictsTopic(), name, router, config.routing().lifecycle(), worker, dlq, serde.deserializer(), metrics, clock),
            props(config, name, d, kafka));
        ks.setUncaughtExceptionHandler(e -> {
          if (KafkaConnection.isAccessDenied(e)) {
            log.error("notifier destination={} stream stopped: {}", name, kafka.explain(e));
            return StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse.SHUTDOWN_CLIENT;
          }
          log.error("notifier destination={} stream thread failed; replacing it", name, e);
          return StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse.REPLACE_THREAD;
        });
        started.add(ks);
        service.workers.put(name, worker);
        service.byDestination.put(name, ks);
        ks.start();
        log.info("notifier destination={} type={} started (application.id {}-{})", name, d.type().id(), config.applicationIdPrefix(), name);
      }
      return service;
    } catch (RuntimeException e) {
      service.close();
      throw e;
    }
  }

  static Properties props(final NotifierConfig config, final String name, final DestinationSpec d, final String bootstrapServers) {
    return props(config, name, d, KafkaConnection.plaintext(bootstrapServers));
  }

  static Properties props(final NotifierConfig config, final String name, final DestinationSpec d, final KafkaConnection kafka) {
    final Properties p = kafka.properties();
    p.put(StreamsConfig.APPLICATION_ID_CONFIG, config.applicationIdPrefix() + "-" + name);
    p.put(StreamsConfig.STATE_DIR_CONFIG, config.stateDir().resolve(name).toString());
    p.put(StreamsConfig.NUM_STREAM_THREADS_CONFIG, 1);
    p.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.AT_LEAST_ONCE);
    p.put(StreamsConfig.STATESTORE_CACHE_MAX_BYTES_CONFIG, 0);
    p.put(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, 200);
    p.put(StreamsConfig.consumerPrefix(ConsumerConfig.MAX_POLL_RECORDS_CONFIG), MAX_POLL_RECORDS);
    p.put(StreamsConfig.consumerPrefix(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG), "earliest");
    // The worst case of one record: every attempt times out and waits the longest allowed backoff or Retry-After.
    final var s = d.delivery();
    final Duration perRecord = s.timeout().plus(s.maxBackoff().compareTo(s.maxRetryAfter()) > 0 ? s.maxBackoff() : s.maxRetryAfter()).multipliedBy(s.maxAttempts());
    // Capped at 30 min: beyond that a stuck batch is better rebalanced (the lifecycle store keeps tickets unique).
    final long interval = Math.min(1_800_000L, Math.max(300_000L, perRecord.toMillis() * MAX_POLL_RECORDS));
    p.put(StreamsConfig.consumerPrefix(ConsumerConfig.MAX_POLL_INTERVAL_MS_CONFIG), (int) interval);
    p.put(StreamsConfig.consumerPrefix(ConsumerConfig.CONNECTIONS_MAX_IDLE_MS_CONFIG), (int) interval + 60_000);
    return p;
  }

  /**
   * The health detail per destination: {@code disabled: <why>} when its target answered that it is gone (410),
   * else its stream's state ({@code RUNNING}, {@code REBALANCING}, ...).
   */
  public Map<String, String> health() {
    final Map<String, String> out = new LinkedHashMap<>();
    byDestination.forEach((name, ks) -> out.put(name, workers.get(name).disabled().map(w -> "disabled: " + w).orElse(ks.state().name())));
    return out;
  }

  /** Destinations disabled because their target is gone, with the reason. */
  public Map<String, String> disabled() {
    final Map<String, String> out = new LinkedHashMap<>();
    workers.forEach((name, w) -> w.disabled().ifPresent(why -> out.put(name, why)));
    return out;
  }

  /** True when every destination's stream is running (for readiness). A disabled destination still runs (it dead-letters). */
  public boolean running() {
    return streams.stream().allMatch(k -> k.state() == KafkaStreams.State.RUNNING);
  }

  @Override
  public void close() {
    for (final KafkaStreams ks : streams) {
      // Leave the group, so a restarted notifier takes the partitions over at once instead of after the session timeout.
      ks.close(CloseOptions.groupMembershipOperation(CloseOptions.GroupMembershipOperation.LEAVE_GROUP).withTimeout(Duration.ofSeconds(30)));
    }
    dlq.close();
  }
}
