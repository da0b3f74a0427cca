package dev.sigstream.ingest;

import dev.sigstream.schemas.Topics;
import dev.sigstream.schemas.avro.ArtifactPushed;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;

/** An {@link IngestService} on its own HTTP port, producing to a fresh topic, plus a client and a topic reader. */
final class IngestHarness implements AutoCloseable {

  final String topic;
  final String bootstrap;
  final IngestService service;
  final SimpleMeterRegistry metrics = new SimpleMeterRegistry();
  final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  IngestHarness(final String bootstrap, final String topic, final Map<String, String> env) {
    this.bootstrap = bootstrap;
    this.topic = topic;
    final java.util.HashMap<String, String> all = new java.util.HashMap<>(env);
    all.put("SIGSTREAM_INGEST_TOPIC", topic);
    this.service = IngestService.start(IngestConfig.fromEnv(all), bootstrap, metrics).serve("127.0.0.1", 0);
  }

  static void createTopic(final String bootstrap, final String topic, final int partitions) throws Exception {
    try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap))) {
      admin.createTopics(List.of(new NewTopic(topic, Optional.of(partitions), Optional.empty()))).all().get(30, TimeUnit.SECONDS);
    }
  }

  URI uri(final String pathAndQuery) {
    return URI.create("http://127.0.0.1:" + service.port() + pathAndQuery);
  }

  HttpResponse<String> post(final String pathAndQuery, final String contentType, final String body, final String... headers)
      throws IOException, InterruptedException {
    final HttpRequest.Builder b = HttpRequest.newBuilder(uri(pathAndQuery)).timeout(Duration.ofSeconds(30))
        .POST(HttpRequest.BodyPublishers.ofString(body));
    if (contentType != null) {
      b.header("Content-Type", contentType);
    }
    for (int i = 0; i < headers.length; i += 2) {
      b.header(headers[i], headers[i + 1]);
    }
    return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  /** Every record on the topic, reading until {@code quiet} passes without a new one (or {@code max} elapses). */
  List<ConsumerRecord<String, ArtifactPushed>> records(final Duration quiet) {
    return readAll(bootstrap, topic, quiet);
  }

  static List<ConsumerRecord<String, ArtifactPushed>> readAll(final String bootstrap, final String topic, final Duration quiet) {
    final List<ConsumerRecord<String, ArtifactPushed>> out = new ArrayList<>();
    try (KafkaConsumer<String, ArtifactPushed> c = new KafkaConsumer<>(Map.of(
        ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
        ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed",
        ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false), new StringDeserializer(),
        Topics.create().artifactEvents().valueSerde().deserializer())) {
      final List<TopicPartition> parts = c.partitionsFor(topic, Duration.ofSeconds(30)).stream()
          .map(p -> new TopicPartition(topic, p.partition())).toList();
      c.assign(parts);
      c.seekToBeginning(parts);
      final Map<TopicPartition, Long> end = c.endOffsets(parts, Duration.ofSeconds(30));
      final long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
      long lastNew = System.nanoTime();
      while (System.nanoTime() < deadline) {
        final var batch = c.poll(Duration.ofMillis(200));
        batch.forEach(out::add);
        if (!batch.isEmpty()) {
          lastNew = System.nanoTime();
        }
        final boolean atEnd = parts.stream().allMatch(p -> c.position(p) >= end.get(p));
        if (atEnd && System.nanoTime() - lastNew > quiet.toNanos()) {
          break;
        }
      }
    }
    return out;
  }

  @Override
  public void close() {
    service.close();
    metrics.close();
  }
}
