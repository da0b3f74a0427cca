package dev.sigstream.notifier;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import dev.sigstream.notifier.channel.Fixtures;
import dev.sigstream.notifier.route.RoutingConfig;
import dev.sigstream.schemas.avro.Outcome;
import dev.sigstream.schemas.avro.ReasonCode;
import dev.sigstream.schemas.avro.Verdict;
import dev.sigstream.testing.kafka.KafkaBroker;
import dev.sigstream.testing.kafka.KafkaBrokerExtension;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.RemoveMembersFromConsumerGroupOptions;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * A digest survives a crash: the notifier collecting a burst (spread over three verdict partitions) is killed
 * (SIGKILL, in its own JVM) inside the window, a new one restores the open digest from the changelog, and exactly
 * one digest naming every artifact is sent.
 */
@Tag("integration")
@Timeout(150)
@ExtendWith(KafkaBrokerExtension.class)
class DigestRestartIT {

  @RegisterExtension
  static WireMockExtension wm = WireMockExtension.newInstance().options(wireMockConfig().dynamicPort()).build();

  @TempDir
  Path dir;

  @Test
  void killedInsideTheWindow_theRestartSendsExactlyOneDigestOfEveryArtifact(final KafkaBroker broker) throws Exception {
    // Given a webhook destination grouping bursts for 15 s
    final String bootstrap = broker.bootstrapServers();
    final String unique = Long.toHexString(System.nanoTime());
    final String verdicts = "verdicts-digest-" + unique;
    final String dlq = "dlq-digest-" + unique;
    final String app = "notifier-digest-" + unique;
    try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap))) {
      // Three partitions: the burst is spread over them and still makes one digest (repartitioned by group).
      admin.createTopics(List.of(new NewTopic(verdicts, 3, (short) 1), new NewTopic(dlq, 1, (short) 1))).all().get();
    }
    wm.stubFor(post("/hook").willReturn(aResponse().withStatus(204)));
    final Path routes = dir.resolve("routes.yaml");
    Files.writeString(routes, """
        lifecycle: {groupWait: 15s}
        destinations:
          hook: {type: webhook, url: "%s/hook", secret: "env:WH", ratePerSecond: 0}
        rules: [{name: all, destinations: [hook]}]
        """.formatted(wm.baseUrl()));
    final List<Verdict> burst = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      burst.add(Verdicts.verdict("prod/app-" + i, Verdicts.DIGEST, Outcome.FAIL, ReasonCode.CERT_REVOKED, Instant.now()));
    }
    final Path out = dir.resolve("child.log");
    final ProcessBuilder pb = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-cp", System.getProperty("java.class.path"), NotifierProcess.class.getName(),
        bootstrap, routes.toString(), app, verdicts, dlq, dir.resolve("state-1").toString())
        .redirectErrorStream(true).redirectOutput(out.toFile());
    pb.environment().put("WH", Fixtures.WEBHOOK_SECRET);
    final Process child = pb.start();
    try {
      await().atMost(Duration.ofSeconds(60)).until(() -> Files.exists(out) && Files.readString(out, StandardCharsets.UTF_8).contains("RUNNING"));

      // When one revoked signer fails five images, the digest is durably collected, and the notifier is killed
      produce(bootstrap, verdicts, burst);
      final String changelog = app + "-hook-" + NotifierTopology.DIGEST_STORE + "-changelog";
      await().atMost(Duration.ofSeconds(30)).until(() -> changelogKeys(bootstrap, changelog).size() == 5);
      child.destroyForcibly();
      assertThat(child.waitFor(30, TimeUnit.SECONDS)).isTrue();
    } finally {
      child.destroyForcibly();
    }
    assertThat(wm.findAll(postRequestedFor(urlEqualTo("/hook")))).as("nothing sent before the window ended").isEmpty();
    try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap))) {
      // The killed member would hold its partitions until its session times out (45 s): remove it, as an operator would.
      admin.removeMembersFromConsumerGroup(app + "-hook", new RemoveMembersFromConsumerGroupOptions()).all().get();
    }

    // Then a new notifier (fresh state directory: the store comes back from the changelog alone) sends one digest,
    // even when two verdicts of the burst are delivered again (as uncommitted records are after a crash)
    final NotifierConfig c = new NotifierConfig(RoutingConfig.load(routes, Map.of("WH", Fixtures.WEBHOOK_SECRET)), app, verdicts, dlq,
        dir.resolve("state-2"));
    try (NotifierService svc = NotifierService.start(c, bootstrap, new SimpleMeterRegistry())) {
      produce(bootstrap, verdicts, burst.subList(0, 2));
      await().atMost(Duration.ofSeconds(60)).until(() -> !wm.findAll(postRequestedFor(urlEqualTo("/hook"))).isEmpty());
      await().during(Duration.ofSeconds(3)).atMost(Duration.ofSeconds(10))
          .untilAsserted(() -> assertThat(wm.findAll(postRequestedFor(urlEqualTo("/hook")))).hasSize(1));
    }
    final JsonNode body = new ObjectMapper().readTree(wm.findAll(postRequestedFor(urlEqualTo("/hook"))).get(0).getBodyAsString());
    final Set<String> named = new HashSet<>();
    named.add(body.path("data").path("artifactKey").asText());
    body.path("data").path("alsoAffected").forEach(k -> named.add(k.asText()));
    assertThat(named).containsExactlyInAnyOrderElementsOf(burst.stream()
        .map(v -> Verdicts.key(v.getArtifact().getRepository(), v.getArtifact().getDigest())).toList());
    // The digest was recorded: its changelog entries are deleted (tombstones), so it is not sent again
    assertThat(changelogKeys(bootstrap, app + "-hook-" + NotifierTopology.DIGEST_STORE + "-changelog")).isEmpty();
  }

  private static void produce(final String bootstrap, final String topic, final List<Verdict> vs) throws Exception {
    try (KafkaProducer<String, byte[]> p = new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
        ProducerConfig.ACKS_CONFIG, "all"), new StringSerializer(), new ByteArraySerializer())) {
      for (final Verdict v : vs) {
        p.send(new ProducerRecord<>(topic, Verdicts.key(v.getArtifact().getRepository(), v.getArtifact().getDigest()), Verdicts.bytes(v))).get();
      }
    }
  }

  /** The keys of the changelog with a live value (the last record per key is not a tombstone). */
  private static Set<String> changelogKeys(final String bootstrap, final String topic) {
    final Map<String, Boolean> live = new java.util.HashMap<>();
    // Never auto-create the changelog: Kafka Streams creates it with the source topic's partition count.
    try (KafkaConsumer<String, String> c = new KafkaConsumer<>(Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
        ConsumerConfig.ALLOW_AUTO_CREATE_TOPICS_CONFIG, false), new StringDeserializer(), new StringDeserializer())) {
      final var info = c.partitionsFor(topic, Duration.ofSeconds(5));
      if (info == null || info.isEmpty()) {
        return Set.of();
      }
      final List<TopicPartition> parts = info.stream().map(p -> new TopicPartition(p.topic(), p.partition())).toList();
      c.assign(parts);
      c.seekToBeginning(parts);
      final Map<TopicPartition, Long> end = c.endOffsets(parts);
      while (parts.stream().anyMatch(p -> c.position(p) < end.get(p))) {
        c.poll(Duration.ofMillis(200)).forEach(r -> live.put(r.key(), r.value() != null));
      }
    } catch (org.apache.kafka.common.KafkaException e) {
      return Set.of();
    }
    final Set<String> keys = new HashSet<>();
    live.forEach((k, v) -> {
      if (v) {
        keys.add(k);
      }
    });
    return keys;
  }
}
