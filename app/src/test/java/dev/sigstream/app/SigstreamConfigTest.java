package dev.sigstream.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SigstreamConfigTest {

  @TempDir
  Path dir;

  @Test
  void defaults_whenNothingIsConfigured() {
    final SigstreamConfig c = SigstreamConfig.load(null, Map.of(), Map.of());

    assertThat(c.bootstrapServers()).isEmpty();
    assertThat(c.dataDir()).isEqualTo(Path.of(".sigstream"));
    assertThat(c.kafkaPort()).isEqualTo(9092);
    assertThat(c.httpPort()).isEqualTo(8080);
    assertThat(c.partitions()).isEqualTo(3);
    assertThat(c.replicationFactor()).isEmpty();
    assertThat(c.verifier().streamThreads()).isEqualTo(1);
  }

  @Test
  void verifierStreamThreads_fromEnvironment_andOutOfRangeIsAProblem() {
    assertThat(SigstreamConfig.load(null, Map.of("SIGSTREAM_VERIFIER_STREAM_THREADS", "2"), Map.of()).verifier()
        .streamThreads()).isEqualTo(2);
    assertThatThrownBy(() -> SigstreamConfig.load(null, Map.of("SIGSTREAM_VERIFIER_STREAM_THREADS", "0"), Map.of()))
        .isInstanceOfSatisfying(ConfigException.class, e -> assertThat(e.problems()).singleElement().asString()
            .contains("verifier.streamThreads").contains("between 1 and 64"));
  }

  @Test
  void environmentOverridesFile_andFlagsOverrideEnvironment() throws IOException {
    final Path yaml = write("http:\n  port: 7000\nkafka:\n  embedded:\n    port: 7001\ndataDir: /var/lib/sigstream\n");

    final SigstreamConfig c = SigstreamConfig.load(yaml,
        Map.of("SIGSTREAM_HTTP_PORT", "7100", "SIGSTREAM_KAFKA_PORT", "7101", "PATH", "/bin"),
        Map.of(SigstreamConfig.Key.HTTP_PORT, "7200"));

    assertThat(c.httpPort()).isEqualTo(7200);
    assertThat(c.kafkaPort()).isEqualTo(7101);
    assertThat(c.dataDir()).isEqualTo(Path.of("/var/lib/sigstream"));
  }

  @Test
  void externalCluster_fromEnvironment() {
    final SigstreamConfig c = SigstreamConfig.load(null,
        Map.of("SIGSTREAM_KAFKA_BOOTSTRAP_SERVERS", "k1:9092,k2:9092", "SIGSTREAM_TOPIC_REPLICATION_FACTOR", "3"), Map.of());

    assertThat(c.bootstrapServers()).contains("k1:9092,k2:9092");
    assertThat(c.partitions()).isEqualTo(12);
    assertThat(c.replicationFactor()).contains((short) 3);
  }

  @Test
  void reportsEveryProblemAtOnce() throws IOException {
    final Path yaml = write("http:\n  prot: 80\nkafka:\n  bootstrapServers: nohostport\ntopics:\n  partitions: zero\n");

    assertThatThrownBy(() -> SigstreamConfig.load(yaml, Map.of("SIGSTREAM_HTTP_PORT", "70000"), Map.of()))
        .isInstanceOfSatisfying(ConfigException.class, e -> assertThat(e.problems()).hasSize(4)
            .anySatisfy(p -> assertThat(p).contains("unknown key 'http.prot'"))
            .anySatisfy(p -> assertThat(p).contains("kafka.bootstrapServers").contains("host:port"))
            .anySatisfy(p -> assertThat(p).contains("topics.partitions").contains("expected a number"))
            .anySatisfy(p -> assertThat(p).contains("SIGSTREAM_HTTP_PORT").contains("between 0 and 65535")))
        .hasMessageStartingWith("invalid configuration (4 problems):");
  }

  @Test
  void rejectsMalformedYaml_withLine() throws IOException {
    final Path yaml = write("http:\n  port: [unclosed\n");

    assertThatThrownBy(() -> SigstreamConfig.load(yaml, Map.of(), Map.of()))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("not valid YAML (line");
  }

  @Test
  void rejectsMissingExplicitFile_andReplicationAboveOneOnEmbeddedBroker() {
    assertThatThrownBy(() -> SigstreamConfig.load(dir.resolve("nope.yaml"),
        Map.of("SIGSTREAM_TOPIC_REPLICATION_FACTOR", "3"), Map.of()))
        .isInstanceOfSatisfying(ConfigException.class, e -> assertThat(e.problems())
            .anySatisfy(p -> assertThat(p).contains("does not exist"))
            .anySatisfy(p -> assertThat(p).contains("must be 1 with the embedded")));
  }

  @Test
  void notifierRoutesFile_mustExist() throws IOException {
    assertThatThrownBy(() -> SigstreamConfig.load(write("notifier:\n  routesFile: " + dir.resolve("routes.yaml") + "\n"), Map.of(), Map.of()))
        .isInstanceOfSatisfying(ConfigException.class, e -> assertThat(e.problems())
            .singleElement().satisfies(p -> assertThat(p).startsWith("notifier.routesFile (SIGSTREAM_NOTIFIER_ROUTES_FILE): file ")));
    Files.writeString(dir.resolve("routes.yaml"), "destinations: {c: {type: console}}\nrules: [{name: all, destinations: [c]}]\n");
    assertThat(SigstreamConfig.load(null, Map.of("SIGSTREAM_NOTIFIER_ROUTES_FILE", dir.resolve("routes.yaml").toString()), Map.of())
        .notifierRoutesFile()).contains(dir.resolve("routes.yaml"));
  }

  private Path write(final String content) throws IOException {
    final Path p = dir.resolve("sigstream.yaml");
    Files.writeString(p, content);
    return p;
  }

  @Test
  void services_defaultToAll_oneCanBeChosen_andAnUnknownOneIsAProblem() {
    assertThat(SigstreamConfig.load(null, Map.of(), Map.of()).services())
        .containsExactlyInAnyOrder(SigstreamConfig.Service.values());
    assertThat(SigstreamConfig.load(null, Map.of("SIGSTREAM_SERVICES", " Verifier, notifier "), Map.of()).services())
        .containsExactlyInAnyOrder(SigstreamConfig.Service.VERIFIER, SigstreamConfig.Service.NOTIFIER);

    assertThatThrownBy(() -> SigstreamConfig.load(null, Map.of("SIGSTREAM_SERVICES", "ingest,webhooks"), Map.of()))
        .isInstanceOfSatisfying(ConfigException.class, e -> assertThat(e.problems()).singleElement()
            .asString().contains("services (SIGSTREAM_SERVICES)").contains("'webhooks' is not a service"));
    assertThatThrownBy(() -> SigstreamConfig.load(null, Map.of("SIGSTREAM_SERVICES", " , "), Map.of()))
        .isInstanceOf(ConfigException.class);
  }

  @Test
  void azureRegistries_mustBeAllowedRegistries() {
    final SigstreamConfig ok = SigstreamConfig.load(null, Map.of("SIGSTREAM_VERIFIER_REGISTRIES",
        "myreg.azurecr.io,ghcr.io", "SIGSTREAM_VERIFIER_AZURE_REGISTRIES", "MyReg.azurecr.io"), Map.of());
    assertThat(ok.verifier().azureRegistries()).containsExactly("myreg.azurecr.io");

    assertThatThrownBy(() -> SigstreamConfig.load(null, Map.of("SIGSTREAM_VERIFIER_REGISTRIES", "ghcr.io",
        "SIGSTREAM_VERIFIER_AZURE_REGISTRIES", "other.azurecr.io"), Map.of()))
        .isInstanceOfSatisfying(ConfigException.class, e -> assertThat(e.problems()).singleElement().asString()
            .contains("verifier.azureRegistries").contains("not in verifier.registries"));
  }

  @Test
  void kafkaClientConfig_isReadResolvedAndMasked_andItsProblemsAreListedWithTheRest() throws IOException {
    final Path secret = Files.createDirectories(dir.resolve("kafka-user"));
    Files.writeString(secret.resolve("sasl.jaas.config"),
        "org.apache.kafka.common.security.scram.ScramLoginModule required username=\"u\" password=\"hunter2-secret\";");
    final Path good = Files.writeString(dir.resolve("client.properties"), "security.protocol=SASL_PLAINTEXT\n"
        + "sasl.mechanism=SCRAM-SHA-512\nsasl.jaas.config=${dir:" + secret + ":sasl.jaas.config}\n");

    final SigstreamConfig c = SigstreamConfig.load(null, Map.of("SIGSTREAM_KAFKA_CLIENT_CONFIG", good.toString(),
        "SIGSTREAM_KAFKA_BOOTSTRAP_SERVERS", "kafka:9093"), Map.of());

    assertThat(c.kafka("kafka:9093").clientProperties()).containsEntry("security.protocol", "SASL_PLAINTEXT")
        .containsEntry("sasl.jaas.config", Files.readString(secret.resolve("sasl.jaas.config")));
    assertThat(c.toString()).contains("SASL_PLAINTEXT").contains("sasl.jaas.config=****").doesNotContain("hunter2");

    final Path bad = Files.writeString(dir.resolve("bad.properties"), "security.protocol=SASL_SSL\nacks=0\n");
    assertThatThrownBy(() -> SigstreamConfig.load(null, Map.of("SIGSTREAM_KAFKA_CLIENT_CONFIG", bad.toString(),
        "SIGSTREAM_KAFKA_BOOTSTRAP_SERVERS", "kafka:9093", "SIGSTREAM_HTTP_PORT", "-1"), Map.of()))
        .isInstanceOfSatisfying(ConfigException.class, e -> assertThat(e.problems()).hasSize(3)
            .anySatisfy(p -> assertThat(p).startsWith("kafka.clientConfig (SIGSTREAM_KAFKA_CLIENT_CONFIG): ").contains("'acks'"))
            .anySatisfy(p -> assertThat(p).contains("SASL_SSL needs sasl.mechanism"))
            .anySatisfy(p -> assertThat(p).contains("http.port")));
    assertThatThrownBy(() -> SigstreamConfig.load(null, Map.of("SIGSTREAM_KAFKA_CLIENT_CONFIG", good.toString()), Map.of()))
        .isInstanceOfSatisfying(ConfigException.class, e -> assertThat(e.problems()).singleElement().asString()
            .contains("needs kafka.bootstrapServers"));
  }
}
