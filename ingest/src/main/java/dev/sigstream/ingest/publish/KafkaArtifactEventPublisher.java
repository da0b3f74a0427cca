package dev.sigstream.ingest.publish;

import dev.sigstream.schemas.ArtifactKey;
import dev.sigstream.schemas.KafkaConnection;
import dev.sigstream.schemas.Topic;
import dev.sigstream.schemas.avro.ArtifactPushed;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.DescribeClusterOptions;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Kafka adapter: an idempotent producer with {@code acks=all}, so an acknowledged record is on every in-sync
 * replica and a producer retry never duplicates it. One producer is shared by all requests (thread-safe, and its
 * batching is what makes concurrent webhooks cheap).
 *
 * <p>{@link #available()} is kept by a background probe ({@code describeCluster} every second) and lowered at once
 * when a send fails, so that while the broker is down requests are refused with 503 immediately instead of each
 * waiting out the deadline.
 */
public final class KafkaArtifactEventPublisher implements ArtifactEventPublisher {

  private static final Logger log = LoggerFactory.getLogger(KafkaArtifactEventPublisher.class);

  private final String topic;
  private final KafkaConnection kafka;
  private final KafkaProducer<String, ArtifactPushed> producer;
  private final Admin admin;
  private final ScheduledExecutorService probe;
  private volatile boolean available;
  private final AtomicInteger probeFailures = new AtomicInteger();

  /**
   * @param kafka the cluster and the client security settings (producer and probe alike)
   * @param sendDeadline upper bound on how long a send may block for metadata or buffer space
   */
  public KafkaArtifactEventPublisher(final KafkaConnection kafka, final Topic<String, ArtifactPushed> topic,
      final Duration sendDeadline, final Map<String, Object> overrides) {
    this.topic = topic.name();
    this.kafka = kafka;
    final Map<String, Object> p = new HashMap<>(kafka.clientProperties());
    p.putAll(producerSettings(sendDeadline));
    p.put(ProducerConfig.CLIENT_ID_CONFIG, "sigstream-ingest");
    p.putAll(overrides);
    this.producer = new KafkaProducer<>(p, new StringSerializer(), topic.valueSerde().serializer());
    final Map<String, Object> a = new HashMap<>(kafka.clientProperties());
    a.put(AdminClientConfig.CLIENT_ID_CONFIG, "sigstream-ingest-probe");
    a.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 2_000);
    a.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 2_000);
    a.put(AdminClientConfig.RECONNECT_BACKOFF_MAX_MS_CONFIG, 1_000);
    this.admin = Admin.create(a);
    this.probe = Executors.newSingleThreadScheduledExecutor(r -> {
      final Thread t = new Thread(r, "sigstream-ingest-kafka-probe");
      t.setDaemon(true);
      return t;
    });
    probeOnce();
    probe.scheduleWithFixedDelay(this::probeOnce, 1, 1, TimeUnit.SECONDS);
  }

  /**
   * The producer settings ingest runs with, without connection properties: durability ({@code acks=all},
   * idempotence) and batching. Public so that the load benchmark's raw-producer baseline uses exactly these.
   */
  public static Map<String, Object> producerSettings(final Duration sendDeadline) {
    final Map<String, Object> p = new HashMap<>();
    p.put(ProducerConfig.ACKS_CONFIG, "all");
    p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
    p.put(ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION, 5);
    p.put(ProducerConfig.LINGER_MS_CONFIG, 1);
    p.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, sendDeadline.toMillis());
    p.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, 5_000);
    p.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 30_000);
    p.put(ProducerConfig.RECONNECT_BACKOFF_MAX_MS_CONFIG, 1_000);
    return Map.copyOf(p);
  }

  private void probeOnce() {
    try {
      admin.describeCluster(new DescribeClusterOptions().timeoutMs(2_000)).clusterId().get(3, TimeUnit.SECONDS);
      if (!available) {
        log.info("Kafka reachable at {}", kafka.bootstrapServers());
      }
      probeFailures.set(0);
      available = true;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (Exception e) {
      // Once when it goes away, and once if it was never there (refused credentials must not be silent).
      if (available || probeFailures.getAndIncrement() == 0) {
        log.warn("Kafka unreachable: {}", kafka.explain(e.getCause() != null ? e.getCause() : e));
      }
      available = false;
    }
  }

  @Override
  public CompletableFuture<Void> publishAll(final List<ArtifactPushed> events) {
    final CompletableFuture<Void> all = new CompletableFuture<>();
    final AtomicInteger pending = new AtomicInteger(events.size());
    if (events.isEmpty()) {
      all.complete(null);
      return all;
    }
    try {
      for (final ArtifactPushed e : events) {
        producer.send(new ProducerRecord<>(topic, ArtifactKey.of(e.getArtifact()), e), (md, ex) -> {
          if (ex != null) {
            available = false;
            all.completeExceptionally(ex);
          } else if (pending.decrementAndGet() == 0) {
            all.complete(null);
          }
        });
      }
    } catch (RuntimeException ex) {
      // max.block.ms elapsed without metadata, or the producer is closed: nothing of this request counts.
      available = false;
      all.completeExceptionally(ex);
    }
    return all;
  }

  @Override
  public boolean available() {
    return available;
  }

  @Override
  public void close() {
    probe.shutdownNow();
    try {
      producer.close(Duration.ofSeconds(10));
    } finally {
      admin.close(Duration.ofSeconds(2));
    }
  }
}
