package dev.sigstream.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sigstream.app.cli.ExitCodes;
import dev.sigstream.ingest.IngestConfig;
import dev.sigstream.schemas.KafkaConnection;
import dev.sigstream.schemas.Topics;
import dev.sigstream.schemas.avro.Verdict;
import dev.sigstream.testing.Reference;
import dev.sigstream.testing.kafka.KafkaBrokerExtension;
import dev.sigstream.testing.kafka.SecuredKafkaBroker;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import io.strimzi.api.kafka.model.user.KafkaUser;
import io.strimzi.api.kafka.model.user.KafkaUserAuthorizationSimple;
import io.strimzi.api.kafka.model.user.acl.AclRule;
import io.strimzi.api.kafka.model.user.acl.AclRuleClusterResource;
import io.strimzi.api.kafka.model.user.acl.AclRuleGroupResource;
import io.strimzi.api.kafka.model.user.acl.AclRuleTopicResource;
import io.strimzi.api.kafka.model.user.acl.AclRuleTransactionalIdResource;
import io.strimzi.api.kafka.model.user.acl.AclRuleType;
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
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.security.SecureRandom;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.acl.AccessControlEntry;
import org.apache.kafka.common.acl.AclBinding;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.acl.AclPermissionType;
import org.apache.kafka.common.resource.PatternType;
import org.apache.kafka.common.resource.ResourcePattern;
import org.apache.kafka.common.resource.ResourceType;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * Sigstream on a Kafka cluster that authenticates (SASL/SCRAM-SHA-512) and authorizes (StandardAuthorizer): each
 * service runs in its own runtime as its own user, with exactly the ACLs the Strimzi {@code KafkaUser}s of
 * k8s/base/kafka-users.yaml grant (read from the manifest, so the manifests are proven sufficient), and logs in
 * through a client configuration file that takes the JAAS line from a Strimzi-style secret directory with
 * {@code ${dir:...}}. Once over SASL_PLAINTEXT, and once as k8s/base runs it: SCRAM-SHA-512 over TLS with the
 * ConfigMap {@code sigstream-kafka-client}'s client configuration as written, the cluster CA as a PEM trust store.
 * Wrong credentials, or a trust store with another CA, end start-up with one line naming the problem.
 */
@Tag("integration")
@Timeout(120)
@ExtendWith(KafkaBrokerExtension.class)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class KafkaAuthIT {

  private static final String WEBHOOK_SECRET = "Bearer kafka-auth-it-0123456789abcdef";
  private static final String V1 = "application/vnd.docker.distribution.events.v1+json";
  /** The artifact of the reference Distribution push (webhooks/examples/distribution-real-push.json). */
  private static final String KEY =
      "127.0.0.1:5055/probe/app@sha256:9394e9171bce5a5d4edef10261fbf9250753360b3e5b33ffd2c8c32a32ae5725";
  private static final Map<String, String> PASSWORDS = new LinkedHashMap<>();

  private final HttpClient http = HttpClient.newHttpClient();

  @TempDir
  static Path dir;

  /** As the Strimzi operators would: topics from the code, users and ACLs from the manifests. */
  @BeforeAll
  static void cluster(final SecuredKafkaBroker broker) throws Exception {
    Topics.withPartitions(3).createMissing(KafkaConnection.plaintext(broker.adminBootstrapServers()), Optional.empty());
    final List<AclBinding> acls = new ArrayList<>();
    for (final KafkaUser u : kafkaUsers()) {
      final String user = u.getMetadata().getName();
      PASSWORDS.put(user, HexFormat.of().formatHex(new SecureRandom().generateSeed(12)));
      broker.scramUser(user, PASSWORDS.get(user));
      acls.addAll(bindings(u));
    }
    assertThat(PASSWORDS).containsOnlyKeys("sigstream-ingest-kafka", "sigstream-verifier-kafka", "sigstream-notifier-kafka");
    broker.grant(acls);
  }

  @Test
  void eachServiceAsItsOwnUser_withTheManifestsAcls_ingestsVerifiesExactlyOnceAndNotifies(
      final SecuredKafkaBroker broker) throws Exception {
    fullPath(broker, broker.bootstrapServers(), user -> clientConfig(user, null), "SASL_PLAINTEXT",
        "9394e9171bce5a5d4edef10261fbf9250753360b3e5b33ffd2c8c32a32ae5725", "plain");
  }

  /**
   * What k8s/base runs: SCRAM-SHA-512 over TLS, each service logging in with the client configuration of the
   * ConfigMap {@code sigstream-kafka-client} as it is written there, reading its KafkaUser secret and the cluster CA
   * ({@code ca.crt}, PEM) from where the Deployments mount them; the broker's certificate is issued by that CA.
   */
  @Test
  void overTls_withTheK8sClientConfigAsWritten_ingestsVerifiesExactlyOnceAndNotifies(final SecuredKafkaBroker broker)
      throws Exception {
    final Path ca = clusterCa(broker.clusterCaCertificate());
    fullPath(broker, broker.tlsBootstrapServers(), user -> k8sClientConfig(user, PASSWORDS.get(user), ca), "SASL_SSL",
        "5ad1c0b6a3fbb3b6d93b1f4d7a1b9e1e2f3a4b5c6d7e8f9a0b1c2d3e4f5a6b7c", "tls");
  }

  /**
   * Ingest, the verifier and the notifier, each as its own KafkaUser with {@code clientConfig.apply(user)}, on
   * {@code servers}: a push of {@code digest} is acknowledged, decided once (exactly-once), and notified.
   */
  private void fullPath(final SecuredKafkaBroker broker, final String servers, final ClientConfigs clientConfig,
      final String protocol, final String digest, final String run) throws Exception {
    final String key = KEY.replace(KEY.substring(KEY.indexOf("sha256:") + 7), digest);
    notationConfig(dir.resolve(run + "/verifier"));
    try (SigstreamRuntime verifier = start(servers, run + "/verifier", "verifier",
            clientConfig.apply("sigstream-verifier-kafka"),
            Map.of(SigstreamConfig.Key.VERIFIER_NOTATION_CONFIG, dir.resolve(run + "/verifier/notation").toString(),
                SigstreamConfig.Key.VERIFIER_REGISTRIES, "registry.allowed.test"));
        SigstreamRuntime notifier = start(servers, run + "/notifier", "notifier",
            clientConfig.apply("sigstream-notifier-kafka"), Map.of());
        SigstreamRuntime ingest = start(servers, run + "/ingest", "ingest", clientConfig.apply("sigstream-ingest-kafka"),
            Map.of())) {
      assertThat(ingest.readyLine(Duration.ZERO)).contains(protocol).doesNotContain(PASSWORDS.get("sigstream-ingest-kafka"));
      for (final SigstreamRuntime r : List.of(ingest, verifier, notifier)) {
        Awaitility.await().atMost(Duration.ofSeconds(45)).until(() -> "ready".equals(get(r, "/readyz").body()));
      }

      // When the registry's webhook arrives at ingest (200 only once Kafka acknowledged it, as sigstream-ingest)
      final String push = Files.readString(Reference.resolve("webhooks/examples/distribution-real-push.json"))
          .replace(KEY.substring(KEY.indexOf("sha256:") + 7), digest)
          .replace("3bd5f246-3f98-417d-bc3f-f257e332e384", java.util.UUID.randomUUID().toString());
      assertThat(push).contains(digest);
      final HttpResponse<String> posted = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:"
              + ingest.httpPort() + "/v1/events/local")).header("Content-Type", V1).header("Authorization", WEBHOOK_SECRET)
          .POST(HttpRequest.BodyPublishers.ofString(push)).build(), HttpResponse.BodyHandlers.ofString());
      assertThat(posted.statusCode()).as(posted.body()).isEqualTo(200);

      // Then the verifier (exactly-once v2, as sigstream-verifier) decides: a registry outside its allowlist
      Awaitility.await().atMost(Duration.ofSeconds(45))
          .until(() -> get(verifier, "/v1/verdicts/" + key).body().contains("\"state\":\"decided\""));
      assertThat(get(verifier, "/v1/verdicts/" + key).body()).contains("REGISTRY_NOT_ALLOWED");
      // ... its transaction committed: one verdict, visible to a read_committed reader
      assertThat(committedVerdicts(broker)).filteredOn(k -> k.startsWith(key)).singleElement().isEqualTo(key);
      // ... and the notifier (as sigstream-notifier) consumed it and delivered it to the console
      Awaitility.await().atMost(Duration.ofSeconds(45)).untilAsserted(() -> assertThat(get(notifier, "/metrics").body())
          .contains("sigstream_notifications_total{channel=\"console\",destination=\"console\",result=\"delivered\"} 1.0"));
    }
  }

  /**
   * A client that does not trust the cluster's CA (here: the ConfigMap's client configuration with another CA's
   * {@code ca.crt}) stops start-up with one line that names TLS certificate trust, quickly, as the command line too.
   */
  @Test
  void overTls_trustingAnotherCa_stopsStartUpWithOneLineNamingCertificateTrust(final SecuredKafkaBroker broker)
      throws Exception {
    final Path otherCa;
    try (dev.sigstream.testing.pki.TestPki pki = dev.sigstream.testing.pki.TestPki.offline(java.time.Clock.systemUTC())) {
      otherCa = clusterCa(dev.sigstream.testing.pki.Pem.certificate(
          pki.root("CN=cluster-ca v0,O=io.strimzi", dev.sigstream.testing.pki.KeyType.EC_P256).certificate()));
    }
    final Path config = k8sClientConfig("sigstream-ingest-kafka", PASSWORDS.get("sigstream-ingest-kafka"), otherCa);
    final long t0 = System.nanoTime();
    assertThatThrownBy(() -> start(broker.tlsBootstrapServers(), "tls-untrusted", "ingest", config, Map.of()))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("TLS handshake with Kafka at " + broker.tlsBootstrapServers() + " failed")
        .hasMessageContaining("certificate is not trusted")
        .hasMessageContaining("ssl.truststore");
    assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofSeconds(20));

    final ByteArrayOutputStream err = new ByteArrayOutputStream();
    final CommandLine cl = Sigstream.newCommandLine();
    cl.setErr(new PrintWriter(err, true, StandardCharsets.UTF_8));
    final int code = cl.execute("run", "--bootstrap-servers", broker.tlsBootstrapServers(), "--kafka-client-config",
        config.toString(), "--data-dir", dir.resolve("tls-cli").toString(), "--http-port", "0");
    final String out = err.toString(StandardCharsets.UTF_8);
    assertThat(code).as(out).isNotZero();
    assertThat(out).startsWith("sigstream: cannot create topics: TLS handshake with Kafka at "
        + broker.tlsBootstrapServers() + " failed").contains("certificate is not trusted")
        .doesNotContain("\tat ").doesNotContain(PASSWORDS.get("sigstream-ingest-kafka"));
    assertThat(out.strip().lines()).hasSize(1);
  }

  /**
   * Mutual TLS as docs/operations.md gives it (KafkaUser {@code authentication: tls}): ingest logs in with the user's
   * PKCS#12 certificate from a directory laid out as the User Operator's secret, its password through
   * {@code ${dir:...}}, and is acknowledged by Kafka. Last: the event it publishes stays unverified, and a full path
   * test's verifier and notifier running after it would count it.
   */
  @Test
  @Order(Integer.MAX_VALUE)
  void overMutualTls_asDocumented_ingestIsAcknowledged(final SecuredKafkaBroker broker) throws Exception {
    final Path secret = dir.resolve("mtls/sigstream-ingest-kafka");
    broker.tlsUser("sigstream-ingest-kafka", secret);
    final Path ca = clusterCa(broker.clusterCaCertificate());
    final Path config = Files.writeString(dir.resolve("mtls/client.properties"), "security.protocol=SSL\n"
        + "ssl.keystore.type=PKCS12\nssl.keystore.location=" + secret.resolve("user.p12") + "\n"
        + "ssl.keystore.password=${dir:" + secret + ":user.password}\n"
        + "ssl.truststore.type=PEM\nssl.truststore.location=" + ca.resolve("ca.crt") + "\n");
    try (SigstreamRuntime ingest = start(broker.mutualTlsBootstrapServers(), "mtls/ingest", "ingest", config, Map.of())) {
      assertThat(ingest.readyLine(Duration.ZERO)).contains("security.protocol=SSL", "ssl.keystore.password=****")
          .doesNotContain(Files.readString(secret.resolve("user.password")));
      Awaitility.await().atMost(Duration.ofSeconds(45)).until(() -> "ready".equals(get(ingest, "/readyz").body()));
      final String push = Files.readString(Reference.resolve("webhooks/examples/distribution-real-push.json"))
          .replace(KEY.substring(KEY.indexOf("sha256:") + 7),
              "0fe1c0b6a3fbb3b6d93b1f4d7a1b9e1e2f3a4b5c6d7e8f9a0b1c2d3e4f5a6b70")
          .replace("3bd5f246-3f98-417d-bc3f-f257e332e384", java.util.UUID.randomUUID().toString());
      final HttpResponse<String> posted = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:"
              + ingest.httpPort() + "/v1/events/local")).header("Content-Type", V1).header("Authorization", WEBHOOK_SECRET)
          .POST(HttpRequest.BodyPublishers.ofString(push)).build(), HttpResponse.BodyHandlers.ofString());
      assertThat(posted.statusCode()).as(posted.body()).isEqualTo(200);
    }
  }

  @Test
  void wrongCredentials_stopStartUpWithOneLineNamingTheProblem_neverAHang(final SecuredKafkaBroker broker)
      throws Exception {
    final Path wrong = clientConfig("sigstream-ingest-kafka", "not-the-password");
    final long t0 = System.nanoTime();
    assertThatThrownBy(() -> start(broker, "ingest", wrong, Map.of()))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("refused this client's credentials (SASL_PLAINTEXT SCRAM-SHA-512)")
        .hasMessageNotContaining("not-the-password");
    assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofSeconds(20));

    // The same through the command line: one line on stderr, no stack trace, a non-zero exit
    final ByteArrayOutputStream err = new ByteArrayOutputStream();
    final CommandLine cl = Sigstream.newCommandLine();
    cl.setErr(new PrintWriter(err, true, StandardCharsets.UTF_8));
    final int code = cl.execute("run", "--bootstrap-servers", broker.bootstrapServers(), "--kafka-client-config",
        wrong.toString(), "--data-dir", dir.resolve("cli").toString(), "--http-port", "0");
    final String out = err.toString(StandardCharsets.UTF_8);
    assertThat(code).as(out).isNotZero();
    assertThat(out).startsWith("sigstream: cannot create topics: Kafka at " + broker.bootstrapServers()
        + " refused this client's credentials").doesNotContain("\tat ").doesNotContain("not-the-password");
    assertThat(out.strip().lines()).hasSize(1);
  }

  @Test
  void aServiceWithoutTheAclsItNeeds_isNotReady(final SecuredKafkaBroker broker)
      throws Exception {
    // The verifier started as the notifier's user: it may read verdicts but not artifact events
    notationConfig(dir.resolve("denied"));
    try (SigstreamRuntime verifier = start(broker, "verifier", clientConfig("sigstream-notifier-kafka", null),
        Map.of(SigstreamConfig.Key.VERIFIER_NOTATION_CONFIG, dir.resolve("denied/notation").toString(),
            SigstreamConfig.Key.DATA_DIR, dir.resolve("denied").toString()))) {
      Awaitility.await().atMost(Duration.ofSeconds(45))
          .until(() -> get(verifier, "/readyz").body().equals("verifier not running"));
      assertThat(get(verifier, "/readyz").statusCode()).isEqualTo(503);
    }
  }

  // --- helpers

  private static SigstreamRuntime start(final SecuredKafkaBroker broker, final String service, final Path clientConfig,
      final Map<SigstreamConfig.Key, String> more) {
    return start(broker.bootstrapServers(), service, service, clientConfig, more);
  }

  private static SigstreamRuntime start(final String servers, final String data, final String service,
      final Path clientConfig, final Map<SigstreamConfig.Key, String> more) {
    final Map<SigstreamConfig.Key, String> flags = new EnumMap<>(SigstreamConfig.Key.class);
    flags.put(SigstreamConfig.Key.KAFKA_BOOTSTRAP_SERVERS, servers);
    flags.put(SigstreamConfig.Key.KAFKA_CLIENT_CONFIG, clientConfig.toString());
    flags.put(SigstreamConfig.Key.SERVICES, service);
    flags.put(SigstreamConfig.Key.DATA_DIR, dir.resolve(data).toString());
    flags.put(SigstreamConfig.Key.HTTP_PORT, "0");
    flags.put(SigstreamConfig.Key.TOPIC_PARTITIONS, "3");
    flags.putAll(more);
    final SigstreamConfig config = SigstreamConfig.load(null, Map.of(), flags);
    final IngestConfig ingest = IngestConfig.fromEnv(Map.of(
        "SIGSTREAM_INGEST_SOURCES", "local",
        "SIGSTREAM_INGEST_SOURCE_LOCAL_TYPE", "distribution",
        "SIGSTREAM_INGEST_SOURCE_LOCAL_REGISTRIES", "127.0.0.1:5055",
        "SIGSTREAM_INGEST_SOURCE_LOCAL_AUTH", "header",
        "SIGSTREAM_INGEST_SOURCE_LOCAL_SECRET", WEBHOOK_SECRET));
    return new SigstreamRuntime(config, ingest).start();
  }

  /**
   * A secret directory laid out as Strimzi's KafkaUser secret ({@code password}, {@code sasl.jaas.config}) and a
   * client configuration that refers to it, as k8s/base does.
   */
  private static Path clientConfig(final String user, final String password) throws Exception {
    final String pw = password != null ? password : PASSWORDS.get(user);
    final Path secret = Files.createDirectories(dir.resolve("secrets/" + user + "-" + System.nanoTime()));
    Files.writeString(secret.resolve("password"), pw);
    Files.writeString(secret.resolve("sasl.jaas.config"), KafkaBrokerExtension.jaas(user, pw));
    final Path file = secret.resolveSibling(secret.getFileName() + ".properties");
    Files.writeString(file, "security.protocol=SASL_PLAINTEXT\nsasl.mechanism=SCRAM-SHA-512\n"
        + "sasl.jaas.config=${dir:" + secret + ":sasl.jaas.config}\n");
    return file;
  }

  /** Where the Deployments of k8s/base mount the KafkaUser secret and the cluster CA secret. */
  private static final String USER_MOUNT = "/etc/sigstream/kafka-user";
  private static final String CA_MOUNT = "/etc/sigstream/kafka-ca";

  /** A client configuration per user (checked exceptions allowed). */
  @FunctionalInterface
  private interface ClientConfigs {
    Path apply(String user) throws Exception;
  }

  /**
   * The ConfigMap {@code sigstream-kafka-client}'s {@code client.properties} from k8s/base/config.yaml, unchanged but
   * for the two mount paths, which point at a directory laid out as the User Operator's secret for {@code user} and at
   * {@code caDir} (holding {@code ca.crt}).
   */
  private static Path k8sClientConfig(final String user, final String password, final Path caDir) throws Exception {
    String properties = null;
    for (final JsonNode n : DeployFiles.documents(DeployFiles.root().resolve("k8s/base/config.yaml"))) {
      if ("ConfigMap".equals(n.path("kind").asText())
          && "sigstream-kafka-client".equals(n.path("metadata").path("name").asText())) {
        properties = n.path("data").path("client.properties").asText();
      }
    }
    assertThat(properties).as("ConfigMap sigstream-kafka-client in k8s/base/config.yaml")
        .contains("security.protocol=SASL_SSL", USER_MOUNT + ":", CA_MOUNT + "/ca.crt");
    final Path secret = Files.createDirectories(dir.resolve("k8s-secrets/" + user + "-" + System.nanoTime()));
    Files.writeString(secret.resolve("password"), password);
    Files.writeString(secret.resolve("sasl.jaas.config"), KafkaBrokerExtension.jaas(user, password));
    final Path file = secret.resolveSibling(secret.getFileName() + ".properties");
    Files.writeString(file, properties.replace(USER_MOUNT, secret.toString()).replace(CA_MOUNT, caDir.toString()));
    return file;
  }

  /** A directory laid out as the Cluster Operator's secret {@code <cluster>-cluster-ca-cert}: {@code ca.crt}. */
  private static Path clusterCa(final String pem) throws Exception {
    final Path ca = Files.createDirectories(dir.resolve("k8s-ca-" + System.nanoTime()));
    Files.writeString(ca.resolve("ca.crt"), pem);
    return ca;
  }

  /** The KafkaUsers of k8s/base/kafka-users.yaml. */
  static List<KafkaUser> kafkaUsers() throws Exception {
    final KubernetesSerialization k8s = new KubernetesSerialization();
    final List<KafkaUser> out = new ArrayList<>();
    for (final JsonNode n : DeployFiles.documents(Files.readString(DeployFiles.root().resolve("k8s/base/kafka-users.yaml")))) {
      out.add(k8s.convertValue(n, KafkaUser.class));
    }
    return out;
  }

  /** A KafkaUser's simple-authorization rules as the Kafka ACL bindings the User Operator creates for them. */
  static List<AclBinding> bindings(final KafkaUser u) {
    final List<AclBinding> out = new ArrayList<>();
    final String principal = "User:" + u.getMetadata().getName();
    for (final AclRule r : ((KafkaUserAuthorizationSimple) u.getSpec().getAuthorization()).getAcls()) {
      final ResourcePattern pattern;
      if (r.getResource() instanceof AclRuleTopicResource t) {
        pattern = new ResourcePattern(ResourceType.TOPIC, t.getName(), pattern(t.getPatternType()));
      } else if (r.getResource() instanceof AclRuleGroupResource g) {
        pattern = new ResourcePattern(ResourceType.GROUP, g.getName(), pattern(g.getPatternType()));
      } else if (r.getResource() instanceof AclRuleTransactionalIdResource x) {
        pattern = new ResourcePattern(ResourceType.TRANSACTIONAL_ID, x.getName(),
            pattern(x.getPatternType()));
      } else if (r.getResource() instanceof AclRuleClusterResource) {
        pattern = new ResourcePattern(ResourceType.CLUSTER, "kafka-cluster", PatternType.LITERAL);
      } else {
        throw new AssertionError("unknown ACL resource " + r.getResource());
      }
      final List<io.strimzi.api.kafka.model.user.acl.AclOperation> ops = new ArrayList<>();
      if (r.getOperations() != null) {
        ops.addAll(r.getOperations());
      }
      if (r.getOperation() != null) {
        ops.add(r.getOperation());
      }
      for (final io.strimzi.api.kafka.model.user.acl.AclOperation op : ops) {
        final AclOperation kafkaOp = AclOperation.fromString(op.toValue().replaceAll("([a-z])([A-Z])", "$1_$2")
            .toUpperCase(Locale.ROOT));
        assertThat(kafkaOp).as(op.toValue()).isNotEqualTo(AclOperation.UNKNOWN);
        out.add(new AclBinding(pattern, new AccessControlEntry(principal, r.getHost() == null ? "*" : r.getHost(),
            kafkaOp, r.getType() == AclRuleType.DENY ? AclPermissionType.DENY : AclPermissionType.ALLOW)));
      }
    }
    return out;
  }

  /** Strimzi's {@code literal}/{@code prefix} are Kafka's LITERAL/PREFIXED (literal when absent, as Strimzi defaults). */
  private static PatternType pattern(final io.strimzi.api.kafka.model.user.acl.AclResourcePatternType t) {
    return t == io.strimzi.api.kafka.model.user.acl.AclResourcePatternType.PREFIX ? PatternType.PREFIXED : PatternType.LITERAL;
  }

  private static List<String> committedVerdicts(final SecuredKafkaBroker broker) {
    final List<String> keys = new ArrayList<>();
    try (KafkaConsumer<String, byte[]> c = new KafkaConsumer<>(Map.of(
        ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.adminBootstrapServers(),
        ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed",
        ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false), new StringDeserializer(), new ByteArrayDeserializer())) {
      final List<TopicPartition> parts = c.partitionsFor(Topics.VERDICTS, Duration.ofSeconds(10)).stream()
          .map(p -> new TopicPartition(Topics.VERDICTS, p.partition())).toList();
      c.assign(parts);
      c.seekToBeginning(parts);
      final Map<TopicPartition, Long> end = c.endOffsets(parts);
      final long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
      while (parts.stream().anyMatch(p -> c.position(p) < end.get(p)) && System.nanoTime() < deadline) {
        for (final ConsumerRecord<String, byte[]> r : c.poll(Duration.ofMillis(200))) {
          final Verdict v = dev.sigstream.schemas.AvroSerde.of(Verdict.class).deserializer().deserialize(r.topic(), r.value());
          keys.add(r.key() + (v == null ? " (unreadable)" : ""));
        }
      }
    }
    return keys;
  }

  /** A Notation configuration under {@code data/notation}: a trust store with a fresh root, a strict policy for all. */
  private static void notationConfig(final Path data) throws Exception {
    final Path store = data.resolve("notation/truststore/x509/ca/test");
    Files.createDirectories(store);
    try (dev.sigstream.testing.pki.TestPki pki = dev.sigstream.testing.pki.TestPki.offline(java.time.Clock.systemUTC())) {
      Files.writeString(store.resolve("root.pem"), dev.sigstream.testing.pki.Pem.certificate(
          pki.root("CN=Root", dev.sigstream.testing.pki.KeyType.EC_P256).certificate()));
    }
    Files.writeString(data.resolve("notation/trustpolicy.oci.json"), "{\"version\":\"1.0\",\"trustPolicies\":[{"
        + "\"name\":\"all\",\"registryScopes\":[\"*\"],\"signatureVerification\":{\"level\":\"strict\"},"
        + "\"trustStores\":[\"ca:test\"],\"trustedIdentities\":[\"*\"]}]}");
  }

  private HttpResponse<String> get(final SigstreamRuntime r, final String path) throws Exception {
    return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + r.httpPort() + path))
        .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
  }
}
