package dev.sigstream.app;

import dev.sigstream.app.cli.ExitCodes;
import static org.assertj.core.api.Assertions.assertThat;

import dev.sigstream.schemas.Topics;
import dev.sigstream.testing.kafka.KafkaBroker;
import dev.sigstream.testing.kafka.KafkaBrokerExtension;
import java.io.ByteArrayOutputStream;
import java.io.PrintWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.config.TopicConfig;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

@Tag("integration")
@Timeout(180)
@ExtendWith(KafkaBrokerExtension.class)
class RunCommandIT {

  private final HttpClient http = HttpClient.newHttpClient();

  @Test
  void embeddedDefault_startsBrokerCreatesTopicsAndServesHealth(@TempDir final Path data) throws Exception {
    // Given
    final SigstreamConfig config = SigstreamConfig.load(null, Map.of(), Map.of(
        SigstreamConfig.Key.DATA_DIR, data.toString(), SigstreamConfig.Key.KAFKA_PORT, "0",
        SigstreamConfig.Key.KAFKA_CONTROLLER_PORT, "0", SigstreamConfig.Key.HTTP_PORT, "0"));

    // When
    try (SigstreamRuntime runtime = new SigstreamRuntime(config).start()) {
      // Then: every topic exists, verdicts are compacted
      assertTopics(runtime.bootstrapServers());
      final String base = "http://127.0.0.1:" + runtime.httpPort();
      assertThat(get(base + "/healthz").statusCode()).isEqualTo(200);
      assertThat(get(base + "/readyz").body()).isEqualTo("ready");
      assertThat(get(base + "/metrics").body()).contains("jvm_memory_used_bytes");
      assertThat(runtime.readyLine(Duration.ofMillis(1234))).startsWith("Sigstream ready in 1.2 s: kafka 127.0.0.1:")
          .contains(base + "/healthz");
      assertThat(Files.exists(data.resolve("kafka").resolve("kafka-logs").resolve("meta.properties"))).isTrue();
    }
  }

  @Test
  void ingestIsWired_aDistributionPushLandsOnTheEventsTopic(@TempDir final Path data) throws Exception {
    // Given: the documented default source, enabled by its secret, speaking for the example's registry
    final SigstreamConfig config = SigstreamConfig.load(null, Map.of(), Map.of(
        SigstreamConfig.Key.DATA_DIR, data.toString(), SigstreamConfig.Key.KAFKA_PORT, "0",
        SigstreamConfig.Key.KAFKA_CONTROLLER_PORT, "0", SigstreamConfig.Key.HTTP_PORT, "0"));
    final dev.sigstream.ingest.IngestConfig ingest = dev.sigstream.ingest.IngestConfig.fromEnv(Map.of(
        "SIGSTREAM_INGEST_SOURCE_LOCAL_SECRET", "Bearer probe-secret",
        "SIGSTREAM_INGEST_SOURCE_LOCAL_REGISTRIES", "127.0.0.1:5055"));
    try (SigstreamRuntime runtime = new SigstreamRuntime(config, ingest).start()) {
      // When: the captured docker-registry delivery is posted
      final HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
              URI.create("http://127.0.0.1:" + runtime.httpPort() + "/v1/events/local"))
          .header("Content-Type", "application/vnd.docker.distribution.events.v1+json").header("Authorization", "Bearer probe-secret")
          .POST(HttpRequest.BodyPublishers.ofFile(dev.sigstream.testing.Reference.resolve("webhooks/examples/distribution-real-push.json")))
          .build(), HttpResponse.BodyHandlers.ofString());
      // Then: 200 after the ack, and the record is on artifact-events.v1
      assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
      assertThat(runtime.readyLine(Duration.ofSeconds(1))).contains("/v1/events/{local}");
      try (org.apache.kafka.clients.consumer.KafkaConsumer<String, byte[]> c = new org.apache.kafka.clients.consumer.KafkaConsumer<>(Map.of(
          "bootstrap.servers", runtime.bootstrapServers(), "group.id", "ingest-wiring-" + System.nanoTime(), "auto.offset.reset", "earliest"),
          new org.apache.kafka.common.serialization.StringDeserializer(), new org.apache.kafka.common.serialization.ByteArrayDeserializer())) {
        c.subscribe(List.of(Topics.ARTIFACT_EVENTS));
        final List<String> keys = new java.util.ArrayList<>();
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (keys.isEmpty() && System.nanoTime() < deadline) {
          c.poll(Duration.ofMillis(200)).forEach(rec -> keys.add(rec.key()));
        }
        assertThat(keys).containsExactly("127.0.0.1:5055/probe/app@sha256:9394e9171bce5a5d4edef10261fbf9250753360b3e5b33ffd2c8c32a32ae5725");
      }
    }
  }

  @Test
  void restartOnSameDataDir_keepsTheFormattedStorage(@TempDir final Path data) throws Exception {
    final Map<SigstreamConfig.Key, String> flags = Map.of(
        SigstreamConfig.Key.DATA_DIR, data.toString(), SigstreamConfig.Key.KAFKA_PORT, "0",
        SigstreamConfig.Key.KAFKA_CONTROLLER_PORT, "0", SigstreamConfig.Key.HTTP_PORT, "0");
    final String clusterId;
    try (SigstreamRuntime first = new SigstreamRuntime(SigstreamConfig.load(null, Map.of(), flags)).start()) {
      clusterId = clusterId(first.bootstrapServers());
    }
    try (SigstreamRuntime second = new SigstreamRuntime(SigstreamConfig.load(null, Map.of(), flags)).start()) {
      assertThat(clusterId(second.bootstrapServers())).isEqualTo(clusterId);
      assertTopics(second.bootstrapServers());
    }
  }

  @Test
  void externalCluster_isUsedInsteadOfEmbeddedBroker(final KafkaBroker broker, @TempDir final Path data) throws Exception {
    final SigstreamConfig config = SigstreamConfig.load(null, Map.of(), Map.of(
        SigstreamConfig.Key.KAFKA_BOOTSTRAP_SERVERS, broker.bootstrapServers(), SigstreamConfig.Key.DATA_DIR, data.toString(),
        SigstreamConfig.Key.HTTP_PORT, "0"));

    try (SigstreamRuntime runtime = new SigstreamRuntime(config).start()) {
      assertThat(runtime.bootstrapServers()).isEqualTo(broker.bootstrapServers());
      assertTopics(broker.bootstrapServers());
      assertThat(data.resolve("kafka")).doesNotExist();
    }
  }

  @Test
  void invalidConfiguration_exitsWithUsageCode_andOneMessageListingEveryProblem(@TempDir final Path dir) throws Exception {
    final Path yaml = dir.resolve("bad.yaml");
    Files.writeString(yaml, "http:\n  port: -1\nkafka:\n  bootstrapServers: nope\n");
    final ByteArrayOutputStream err = new ByteArrayOutputStream();
    final CommandLine cl = Sigstream.newCommandLine();
    cl.setErr(new PrintWriter(err, true, StandardCharsets.UTF_8));

    final int code = cl.execute("run", "--config", yaml.toString());

    final String out = err.toString(StandardCharsets.UTF_8);
    assertThat(code).isEqualTo(ExitCodes.USAGE);
    assertThat(out).startsWith("sigstream: invalid configuration (2 problems):")
        .contains("http.port").contains("kafka.bootstrapServers")
        .doesNotContain("Exception").doesNotContain("\tat ");
  }

  @Test
  void invalidArtifactPolicyFile_exitsWithUsageCode_listingEveryProblemInIt(@TempDir final Path data) throws Exception {
    notationConfig(data);
    Files.writeString(data.resolve("policy.yaml"), "classes:\n  helm_chrt: {signature: true}\n"
        + "  container_image: {graceWindow: later}\n");
    final Path yaml = data.resolve("sigstream.yaml");
    Files.writeString(yaml, "dataDir: " + data.resolve("data") + "\nkafka:\n  embedded:\n    port: 0\n"
        + "    controllerPort: 0\nhttp:\n  port: 0\nverifier:\n  notationConfig: " + data.resolve("notation")
        + "\n  policyFile: " + data.resolve("policy.yaml") + "\n");
    final ByteArrayOutputStream err = new ByteArrayOutputStream();
    final CommandLine cl = Sigstream.newCommandLine();
    cl.setErr(new PrintWriter(err, true, StandardCharsets.UTF_8));

    final int code = cl.execute("run", "--config", yaml.toString());

    final String out = err.toString(StandardCharsets.UTF_8);
    assertThat(code).as(out).isEqualTo(ExitCodes.USAGE);
    assertThat(out).contains("verifier.policyFile").contains("classes.helm_chrt: unknown artifact class")
        .contains("classes.container_image.graceWindow: invalid duration 'later'")
        .doesNotContain("Exception").doesNotContain("\tat ");
  }

  @Test
  void defaultNotifier_logsVerdictsToTheConsole(@TempDir final Path data) throws Exception {
    // Given the default configuration (no notifier routing file)
    final SigstreamConfig config = SigstreamConfig.load(null, Map.of(), Map.of(
        SigstreamConfig.Key.DATA_DIR, data.toString(), SigstreamConfig.Key.KAFKA_PORT, "0",
        SigstreamConfig.Key.KAFKA_CONTROLLER_PORT, "0", SigstreamConfig.Key.HTTP_PORT, "0"));
    try (SigstreamRuntime runtime = new SigstreamRuntime(config).start()) {
      // When a verdict is published
      final var serde = dev.sigstream.schemas.AvroSerde.of(dev.sigstream.schemas.avro.Verdict.class);
      final var verdict = dev.sigstream.schemas.avro.Verdict.newBuilder()
          .setEventId("ev-1")
          .setArtifact(dev.sigstream.schemas.avro.ArtifactRef.newBuilder().setRegistry("localhost:5000").setRepository("app")
              .setDigest("sha256:" + "b".repeat(64)).build())
          .setOutcome(dev.sigstream.schemas.avro.Outcome.FAIL)
          .setReasonCode(dev.sigstream.schemas.avro.ReasonCode.NO_SIGNATURE)
          .setReferrers(dev.sigstream.schemas.avro.ReferrersSummary.newBuilder().build())
          .setDecidedAt(java.time.Instant.now())
          .setVerifierVersion("test")
          .build();
      try (var producer = new org.apache.kafka.clients.producer.KafkaProducer<String, byte[]>(Map.of(
          org.apache.kafka.clients.producer.ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, runtime.bootstrapServers()),
          new org.apache.kafka.common.serialization.StringSerializer(), new org.apache.kafka.common.serialization.ByteArraySerializer())) {
        producer.send(new org.apache.kafka.clients.producer.ProducerRecord<>(Topics.VERDICTS, "localhost:5000/app@sha256:" + "b".repeat(64),
            serde.serializer().serialize(Topics.VERDICTS, verdict))).get();
      }

      // Then the console destination delivers it (counted in /metrics)
      final String base = "http://127.0.0.1:" + runtime.httpPort();
      org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> assertThat(get(base + "/metrics").body())
          .contains("sigstream_notifications_total{channel=\"console\",destination=\"console\",result=\"delivered\"} 1.0"));
    }
  }

  @Test
  void verifierIsWired_whenTrustMaterialIsConfigured_itDecidesAndAnswersQueriesAndAdmission(@TempDir final Path data)
      throws Exception {
    // Given: a trust policy and store on disk, and an allowlist that does not include the pushed registry
    notationConfig(data);
    final SigstreamConfig config = SigstreamConfig.load(null, Map.of(), Map.of(
        SigstreamConfig.Key.DATA_DIR, data.toString(), SigstreamConfig.Key.KAFKA_PORT, "0",
        SigstreamConfig.Key.KAFKA_CONTROLLER_PORT, "0", SigstreamConfig.Key.HTTP_PORT, "0",
        SigstreamConfig.Key.VERIFIER_NOTATION_CONFIG, data.resolve("notation").toString(),
        SigstreamConfig.Key.VERIFIER_REGISTRIES, "registry.allowed.test",
        SigstreamConfig.Key.VERIFIER_STREAM_THREADS, "2"));
    final String key = "registry.elsewhere.test/team/app@sha256:" + "ab".repeat(32);

    try (SigstreamRuntime runtime = new SigstreamRuntime(config).start()) {
      final String base = "http://127.0.0.1:" + runtime.httpPort();
      assertThat(runtime.readyLine(Duration.ofSeconds(1))).contains("verifier on").contains("/v1/verdicts");
      org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(60))
          .until(() -> "ready".equals(get(base + "/readyz").body()));
      assertThat(get(base + "/v1/verdicts/" + key).statusCode()).isEqualTo(404);
      // verifier.streamThreads reaches the Streams application: its second thread publishes its own metrics.
      assertThat(get(base + "/metrics").body()).contains("StreamThread-2");

      // When: a push for a registry outside the allowlist arrives
      final Topics topics = Topics.create();
      try (org.apache.kafka.clients.producer.KafkaProducer<String, dev.sigstream.schemas.avro.ArtifactPushed> p =
          new org.apache.kafka.clients.producer.KafkaProducer<>(Map.of("bootstrap.servers", runtime.bootstrapServers()),
              new org.apache.kafka.common.serialization.StringSerializer(),
              topics.artifactEvents().valueSerde().serializer())) {
        final java.time.Instant now = java.time.Instant.now();
        p.send(new org.apache.kafka.clients.producer.ProducerRecord<>(Topics.ARTIFACT_EVENTS, key,
            dev.sigstream.schemas.avro.ArtifactPushed.newBuilder().setEventId("e-1").setSource("it")
                .setArtifact(dev.sigstream.schemas.avro.ArtifactRef.newBuilder().setRegistry("registry.elsewhere.test")
                    .setRepository("team/app").setDigest("sha256:" + "ab".repeat(32)).setTag(null).setMediaType(null)
                    .setSize(null).build())
                .setOccurredAt(now).setReceivedAt(now).setActor(null).setAttributes(new java.util.HashMap<>())
                .build())).get();
      }

      // Then: FAIL REGISTRY_NOT_ALLOWED (no connection made), served by the query API and denied by admission
      // (While it is being decided the API answers 200 with state "pending".)
      org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(60))
          .until(() -> get(base + "/v1/verdicts/" + key).body().contains("\"state\":\"decided\""));
      assertThat(get(base + "/v1/verdicts/" + key).body()).contains("\"REGISTRY_NOT_ALLOWED\"")
          .contains("\"state\":\"decided\"");
      final HttpResponse<String> admission = http.send(HttpRequest.newBuilder(URI.create(base
          + "/v1/admission/gatekeeper")).POST(HttpRequest.BodyPublishers.ofString("{\"apiVersion\":"
          + "\"externaldata.gatekeeper.sh/v1beta1\",\"kind\":\"ProviderRequest\",\"request\":{\"keys\":[\"" + key
          + "\"]}}")).build(), HttpResponse.BodyHandlers.ofString());
      assertThat(admission.body()).contains("FAIL REGISTRY_NOT_ALLOWED");
    }
  }

  @Test
  void verifierIsOff_withoutTrustMaterial_andTheReadyLineSaysWhy(@TempDir final Path data) throws Exception {
    final SigstreamConfig config = SigstreamConfig.load(null, Map.of(), Map.of(
        SigstreamConfig.Key.DATA_DIR, data.toString(), SigstreamConfig.Key.KAFKA_PORT, "0",
        SigstreamConfig.Key.KAFKA_CONTROLLER_PORT, "0", SigstreamConfig.Key.HTTP_PORT, "0",
        SigstreamConfig.Key.VERIFIER_NOTATION_CONFIG, data.toString()));
    try (SigstreamRuntime runtime = new SigstreamRuntime(config).start()) {
      assertThat(runtime.readyLine(Duration.ofSeconds(1))).contains("verifier off (no trust policy");
      assertThat(get("http://127.0.0.1:" + runtime.httpPort() + "/v1/admission/gatekeeper").statusCode())
          .isEqualTo(404);
    }
  }

  /** A Notation configuration under {@code data/notation}: a trust store with a fresh root, a strict policy for all. */
  private static void notationConfig(final Path data) throws Exception {
    final Path store = data.resolve("notation/truststore/x509/ca/test");
    Files.createDirectories(store);
    try (dev.sigstream.testing.pki.TestPki pki = dev.sigstream.testing.pki.TestPki.offline(
        java.time.Clock.systemUTC())) {
      Files.writeString(store.resolve("root.pem"), dev.sigstream.testing.pki.Pem.certificate(
          pki.root("CN=Root", dev.sigstream.testing.pki.KeyType.EC_P256).certificate()));
    }
    Files.writeString(data.resolve("notation/trustpolicy.oci.json"), "{\"version\":\"1.0\",\"trustPolicies\":[{"
        + "\"name\":\"all\",\"registryScopes\":[\"*\"],\"signatureVerification\":{\"level\":\"strict\"},"
        + "\"trustStores\":[\"ca:test\"],\"trustedIdentities\":[\"*\"]}]}");
  }

  private static void assertTopics(final String bootstrap) throws Exception {
    try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap))) {
      final Set<String> names = admin.listTopics().names().get(30, TimeUnit.SECONDS);
      assertThat(names).containsAll(Topics.create().all().stream().map(t -> t.name()).toList());
      final ConfigResource verdicts = new ConfigResource(ConfigResource.Type.TOPIC, Topics.VERDICTS);
      final Config cfg = admin.describeConfigs(List.of(verdicts)).all().get(30, TimeUnit.SECONDS).get(verdicts);
      assertThat(cfg.get(TopicConfig.CLEANUP_POLICY_CONFIG).value()).isEqualTo(TopicConfig.CLEANUP_POLICY_COMPACT);
    }
  }

  private static String clusterId(final String bootstrap) throws Exception {
    try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap))) {
      return admin.describeCluster().clusterId().get(30, TimeUnit.SECONDS);
    }
  }

  private HttpResponse<String> get(final String url) throws Exception {
    return http.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10)).build(),
        HttpResponse.BodyHandlers.ofString());
  }
}
