package dev.sigstream.app;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sigstream.notary.policy.TrustPolicyDocument;
import dev.sigstream.schemas.Topic;
import dev.sigstream.schemas.Topics;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvFromSource;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.KeyToPath;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeMount;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscaler;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import dev.sigstream.testing.pki.KeyType;
import dev.sigstream.testing.pki.Pem;
import dev.sigstream.testing.pki.TestPki;
import io.strimzi.api.kafka.model.kafka.Kafka;
import io.strimzi.api.kafka.model.kafka.listener.GenericKafkaListener;
import io.strimzi.api.kafka.model.kafka.listener.KafkaListenerAuthenticationScramSha512;
import io.strimzi.api.kafka.model.user.KafkaUserScramSha512ClientAuthentication;
import java.util.Optional;
import io.strimzi.api.kafka.model.nodepool.KafkaNodePool;
import io.strimzi.api.kafka.model.topic.KafkaTopic;
import io.strimzi.api.kafka.model.user.KafkaUser;
import io.strimzi.api.kafka.model.user.acl.AclRule;
import io.strimzi.api.kafka.model.user.KafkaUserAuthorizationSimple;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code k8s/}: every document parses into its fabric8 or Strimzi model with no unknown property; the Deployments
 * are hardened and covered (probes, resources, PDB, HPA, NetworkPolicy, token-less ServiceAccount); what each
 * Deployment sets in its environment is what the services read, loaded by their own configuration loaders; the
 * KafkaTopics are the topics the code defines.
 */
class DeployManifestsTest {

  private static final KubernetesSerialization K8S = new KubernetesSerialization();
  private static final Map<String, Class<?>> MODELS = Map.ofEntries(
      Map.entry("v1/Namespace", Namespace.class),
      Map.entry("v1/ServiceAccount", ServiceAccount.class),
      Map.entry("v1/ConfigMap", ConfigMap.class),
      Map.entry("v1/Secret", Secret.class),
      Map.entry("v1/Service", Service.class),
      Map.entry("apps/v1/Deployment", Deployment.class),
      Map.entry("policy/v1/PodDisruptionBudget", PodDisruptionBudget.class),
      Map.entry("autoscaling/v2/HorizontalPodAutoscaler", HorizontalPodAutoscaler.class),
      Map.entry("networking.k8s.io/v1/NetworkPolicy", NetworkPolicy.class),
      Map.entry("kafka.strimzi.io/v1/Kafka", Kafka.class),
      Map.entry("kafka.strimzi.io/v1/KafkaNodePool", KafkaNodePool.class),
      Map.entry("kafka.strimzi.io/v1/KafkaTopic", KafkaTopic.class),
      Map.entry("kafka.strimzi.io/v1/KafkaUser", KafkaUser.class));
  /** Gatekeeper's kinds have no Java model here: checked as generic resources (apiVersion, kind, name, spec). */
  private static final Set<String> GENERIC = Set.of("externaldata.gatekeeper.sh/v1beta1/Provider",
      "templates.gatekeeper.sh/v1/ConstraintTemplate", "constraints.gatekeeper.sh/v1beta1/K8sSigstreamVerified");

  private static final List<Object> BASE = new ArrayList<>();

  @TempDir
  Path tmp;

  @BeforeAll
  static void parseBase() throws IOException {
    try (Stream<Path> s = Files.list(DeployFiles.root().resolve("k8s/base"))) {
      for (final Path f : s.filter(p -> p.toString().endsWith(".yaml")).sorted().toList()) {
        if (!f.getFileName().toString().equals("kustomization.yaml")) {
          BASE.addAll(parse(f.toString(), Files.readString(f)));
        }
      }
    }
  }

  @Test
  void everyManifest_parsesIntoItsModel_withNoUnknownProperty() throws IOException {
    final List<String> problems = new ArrayList<>();
    try (Stream<Path> s = Files.walk(DeployFiles.root().resolve("k8s"))) {
      for (final Path f : s.filter(p -> p.toString().endsWith(".yaml")).sorted().toList()) {
        final String name = f.getFileName().toString();
        if (name.equals("kustomization.yaml")) {
          kustomization(f, problems);
        } else if (!f.getParent().getFileName().toString().equals("dev")) { // patches: checked rendered, below
          for (final Object o : parse(f.toString(), Files.readString(f))) {
            DeployFiles.unknownProperties(o).forEach(p -> problems.add(f + " " + kindName(o) + p));
          }
        }
      }
    }
    assertThat(problems).isEmpty();
    assertThat(BASE).hasSizeGreaterThan(30);
  }

  @Test
  void overlays_renderedWithKustomize_parseToo() throws Exception {
    final Path kubectl = onPath("kubectl");
    // The files themselves are checked above without any tool; rendering the overlays needs kubectl's kustomize.
    assertThat(kubectl).as("kubectl is not on the PATH: install it (./scripts/test does: apt-get install"
        + " kubernetes-client) to render the Kustomize overlays").isNotNull();
    for (final String overlay : List.of("dev", "production")) {
      final Process p = new ProcessBuilder(kubectl.toString(), "kustomize", DeployFiles.root().resolve("k8s/overlays/"
          + overlay).toString()).redirectErrorStream(true).start();
      final String out = new String(p.getInputStream().readAllBytes());
      assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
      assertThat(p.exitValue()).as(out).isZero();
      final List<String> problems = new ArrayList<>();
      final List<Object> docs = parse(overlay, out);
      for (final Object o : docs) {
        DeployFiles.unknownProperties(o).forEach(pr -> problems.add(overlay + " " + kindName(o) + pr));
      }
      assertThat(problems).isEmpty();
      assertThat(docs).hasSizeGreaterThanOrEqualTo(BASE.size());
      if (overlay.equals("dev")) {
        assertThat(docs).filteredOn(Deployment.class::isInstance).map(d -> ((Deployment) d).getSpec().getReplicas())
            .containsOnly(1);
      } else {
        assertThat(out).contains("https://sigstream-verifier.sigstream-system.svc:8443/v1/admission/gatekeeper");
      }
    }
  }

  @Test
  void deployments_areHardenedAndCovered() {
    final List<Deployment> deployments = of(Deployment.class);
    assertThat(deployments).extracting(d -> d.getMetadata().getName())
        .containsExactlyInAnyOrder("sigstream-ingest", "sigstream-verifier", "sigstream-notifier");
    for (final Deployment d : deployments) {
      final String name = d.getMetadata().getName();
      final var pod = d.getSpec().getTemplate().getSpec();
      final Map<String, String> labels = d.getSpec().getTemplate().getMetadata().getLabels();
      assertThat(pod.getAutomountServiceAccountToken()).as(name).isFalse();
      assertThat(pod.getSecurityContext().getRunAsNonRoot()).as(name).isTrue();
      assertThat(pod.getSecurityContext().getSeccompProfile().getType()).isEqualTo("RuntimeDefault");
      assertThat(of(ServiceAccount.class)).as(name).anySatisfy(sa -> {
        assertThat(sa.getMetadata().getName()).isEqualTo(pod.getServiceAccountName());
        assertThat(sa.getAutomountServiceAccountToken()).isFalse();
      });
      for (final Container c : pod.getContainers()) {
        assertThat(c.getSecurityContext().getReadOnlyRootFilesystem()).as(name).isTrue();
        assertThat(c.getSecurityContext().getAllowPrivilegeEscalation()).as(name).isFalse();
        assertThat(c.getSecurityContext().getCapabilities().getDrop()).as(name).containsExactly("ALL");
        assertThat(c.getLivenessProbe().getHttpGet().getPath()).as(name).isEqualTo("/healthz");
        assertThat(c.getReadinessProbe().getHttpGet().getPath()).as(name).isEqualTo("/readyz");
        assertThat(c.getStartupProbe()).as(name).isNotNull();
        assertThat(c.getResources().getRequests()).as(name).containsKeys("cpu", "memory");
        assertThat(c.getResources().getLimits()).as(name).containsKey("memory");
        assertThat(c.getVolumeMounts()).as(name + ": writable data and /tmp on a read-only root")
            .extracting(VolumeMount::getMountPath).contains("/var/lib/sigstream", "/tmp");
      }
      assertThat(of(PodDisruptionBudget.class)).as(name).anyMatch(p -> selects(p.getSpec().getSelector().getMatchLabels(), labels));
      assertThat(of(HorizontalPodAutoscaler.class)).as(name).anyMatch(h -> h.getSpec().getScaleTargetRef().getName().equals(name));
      assertThat(of(Service.class)).as(name).anyMatch(s -> selects(s.getSpec().getSelector(), labels));
      assertThat(of(NetworkPolicy.class)).as(name)
          .anyMatch(n -> n.getSpec().getPodSelector().getMatchLabels() != null
              && !n.getSpec().getPodSelector().getMatchLabels().isEmpty()
              && selects(n.getSpec().getPodSelector().getMatchLabels(), labels));
    }
    // At most as many verifier instances as its input topic has partitions: more would idle.
    final int partitions = of(KafkaTopic.class).stream().filter(t -> t.getSpec().getTopicName().equals(Topics.ARTIFACT_EVENTS))
        .findFirst().orElseThrow().getSpec().getPartitions();
    assertThat(of(HorizontalPodAutoscaler.class)).filteredOn(h -> h.getMetadata().getName().equals("sigstream-verifier"))
        .singleElement().satisfies(h -> assertThat(h.getSpec().getMaxReplicas()).isLessThanOrEqualTo(partitions));
  }

  @Test
  void whatEachDeploymentSets_isWhatItsServiceReads() throws Exception {
    final Set<String> routingSecrets = routingSecrets();
    for (final Deployment d : of(Deployment.class)) {
      final String name = d.getMetadata().getName();
      final Container c = d.getSpec().getTemplate().getSpec().getContainers().get(0);
      final Path fs = Files.createDirectories(tmp.resolve(name));
      // Files the pod sees: each mounted ConfigMap and Secret, laid out under fs as the kubelet would
      final Map<String, Path> mounts = new LinkedHashMap<>();
      for (final VolumeMount m : c.getVolumeMounts()) {
        final Path dir = Files.createDirectories(fs.resolve(m.getMountPath().substring(1)));
        mounts.put(m.getMountPath(), dir);
        final Volume v = d.getSpec().getTemplate().getSpec().getVolumes().stream()
            .filter(x -> x.getName().equals(m.getName())).findFirst().orElseThrow(() -> new AssertionError(
                name + ": volumeMount " + m.getName() + " names no volume"));
        if (v.getConfigMap() != null) {
          write(dir, configMap(v.getConfigMap().getName()).getData(), v.getConfigMap().getItems());
        } else if (v.getSecret() != null) {
          write(dir, secretData(v.getSecret().getSecretName()), v.getSecret().getItems());
        }
      }
      // The Kafka client configuration names files in other mounts: lay it out with those paths made local too
      final String clientConfigPath = c.getEnvFrom().stream().map(ef -> configMap(ef.getConfigMapRef().getName()).getData())
          .filter(m -> m.containsKey("SIGSTREAM_KAFKA_CLIENT_CONFIG")).map(m -> m.get("SIGSTREAM_KAFKA_CLIENT_CONFIG"))
          .findFirst().orElseThrow(() -> new AssertionError(name + ": SIGSTREAM_KAFKA_CLIENT_CONFIG is not set"));
      final Path clientConfig = Path.of(relocate(name, "SIGSTREAM_KAFKA_CLIENT_CONFIG", clientConfigPath, mounts));
      assertThat(clientConfig).as(name + ": the Kafka client configuration is mounted").isRegularFile();
      final Matcher paths = Pattern.compile("/[A-Za-z0-9._/-]+").matcher(Files.readString(clientConfig));
      final StringBuilder localised = new StringBuilder();
      while (paths.find()) {
        paths.appendReplacement(localised, Matcher.quoteReplacement(relocate(name, clientConfigPath, paths.group(), mounts)));
      }
      Files.writeString(clientConfig, paths.appendTail(localised).toString());
      // The environment: envFrom ConfigMaps, then env (secrets get a stand-in value of the length they need)
      final Map<String, String> env = new LinkedHashMap<>();
      for (final EnvFromSource ef : c.getEnvFrom()) {
        env.putAll(configMap(ef.getConfigMapRef().getName()).getData());
      }
      for (final EnvVar e : c.getEnv()) {
        if (e.getValue() != null) {
          env.put(e.getName(), e.getValue());
        } else {
          final var ref = e.getValueFrom().getSecretKeyRef();
          assertThat(secret(ref.getName()).getStringData()).as(name + " " + e.getName()).containsKey(ref.getKey());
          env.put(e.getName(), e.getName().endsWith("_URL") ? "https://hooks.example.com/x" : "Bearer stand-in-secret-value-0123456789");
        }
      }
      for (final String k : env.keySet()) {
        if (k.startsWith("SIGSTREAM_")) {
          assertThat(DeployFiles.known(k, routingSecrets)).as(name + " sets " + k + ", which no service reads").isTrue();
        }
      }
      // Every absolute path the configuration names is inside a mount; rewrite it to where that mount is here
      final Map<String, String> local = new LinkedHashMap<>();
      env.forEach((k, v) -> local.put(k, relocate(name, k, v, mounts)));

      final SigstreamConfig config = DeployFiles.load(local, tmp.resolve("empty.yaml"));
      final String service = name.substring("sigstream-".length());
      assertThat(config.services()).as(name).containsExactly(SigstreamConfig.Service.valueOf(service.toUpperCase()));
      assertThat(config.httpHost()).as(name).isEqualTo("0.0.0.0");
      assertThat(config.httpPort()).as(name + ": the port the probes use").isEqualTo(8080);
      // Kafka: the authenticated listener of the Kafka resource, logged in as this service's KafkaUser
      final Kafka kafka = of(Kafka.class).get(0);
      final GenericKafkaListener listener = kafka.getSpec().getKafka().getListeners().stream()
          .filter(l -> config.bootstrapServers().orElseThrow().equals(kafka.getMetadata().getName() + "-kafka-bootstrap:"
              + l.getPort())).findFirst().orElseThrow(() -> new AssertionError(name + ": "
              + config.bootstrapServers() + " is no listener of Kafka " + kafka.getMetadata().getName()));
      assertThat(listener.getAuth()).as(name + ": listener " + listener.getName()).isInstanceOf(KafkaListenerAuthenticationScramSha512.class);
      assertThat(listener.isTls()).as(name + ": listener " + listener.getName()).isTrue();
      final var connection = config.kafka(config.bootstrapServers().orElseThrow());
      assertThat(connection.clientProperties()).as(name).containsEntry("security.protocol", "SASL_SSL")
          .containsEntry("sasl.mechanism", "SCRAM-SHA-512")
          .containsEntry("sasl.jaas.config", scramJaas(name + "-kafka"));
      assertThat(connection.toString()).as(name).doesNotContain("stand-in-scram-password");
      final KafkaUser user = of(KafkaUser.class).stream().filter(u -> u.getMetadata().getName().equals(name + "-kafka"))
          .findFirst().orElseThrow(() -> new AssertionError(name + ": no KafkaUser " + name + "-kafka"));
      assertThat(user.getSpec().getAuthentication()).as(user.getMetadata().getName())
          .isInstanceOf(KafkaUserScramSha512ClientAuthentication.class);
      assertThat(kafka.getSpec().getKafka().getAuthorization()).as("Kafka authorization").isNotNull();
      if (service.equals("notifier")) {
        DeployFiles.loadRouting(Path.of(local.get("SIGSTREAM_NOTIFIER_ROUTES_FILE")), local, tmp.resolve("state"));
      }
      if (service.equals("verifier")) {
        final Path notation = config.verifier().notationConfig().orElseThrow();
        TrustPolicyDocument.parse(Files.readString(notation.resolve("trustpolicy.oci.json")));
        assertThat(notation.resolve("truststore/x509/ca/company")).isDirectory();
        assertThat(config.verifier().registries()).isNotEmpty();
      }
      if (service.equals("ingest")) {
        assertThat(dev.sigstream.ingest.IngestConfig.fromEnv(local).sources()).isNotEmpty();
      }
    }
  }

  @Test
  void kafkaTopics_areTheTopicsTheCodeDefines_andUsersHaveAclsForWhatTheirServiceTouches() {
    final Map<String, KafkaTopic> topics = new LinkedHashMap<>();
    of(KafkaTopic.class).forEach(t -> topics.put(t.getSpec().getTopicName(), t));
    final Topics code = Topics.withPartitions(12);
    assertThat(topics.keySet()).containsExactlyInAnyOrderElementsOf(code.all().stream().map(Topic::name).toList());
    for (final Topic<?, ?> t : code.all()) {
      final KafkaTopic k = topics.get(t.name());
      assertThat(k.getSpec().getPartitions()).as(t.name()).isEqualTo(t.partitions());
      final Map<String, String> config = new LinkedHashMap<>();
      k.getSpec().getConfig().forEach((key, v) -> config.put(key, String.valueOf(v)));
      assertThat(config).as(t.name()).containsAllEntriesOf(t.config());
    }
    final Map<String, Set<String>> topicAcls = new LinkedHashMap<>();
    for (final KafkaUser u : of(KafkaUser.class)) {
      final Set<String> names = new HashSet<>();
      for (final AclRule r : ((KafkaUserAuthorizationSimple) u.getSpec().getAuthorization()).getAcls()) {
        if (r.getResource() instanceof io.strimzi.api.kafka.model.user.acl.AclRuleTopicResource tr) {
          names.add(tr.getName());
        }
      }
      topicAcls.put(u.getMetadata().getName(), names);
    }
    assertThat(topicAcls.get("sigstream-ingest-kafka")).containsExactly(Topics.ARTIFACT_EVENTS);
    assertThat(topicAcls.get("sigstream-verifier-kafka")).contains(Topics.ARTIFACT_EVENTS, Topics.ARTIFACT_EVENTS_RETRY,
        Topics.ARTIFACT_EVENTS_DLQ, Topics.VERDICTS, Topics.VIOLATIONS, "sigstream-verifier");
    assertThat(topicAcls.get("sigstream-notifier-kafka")).contains(Topics.VERDICTS, Topics.NOTIFICATIONS_DLQ,
        "sigstream-notifier");
  }

  // --- helpers

  private static List<Object> parse(final String where, final String yaml) throws IOException {
    final List<Object> out = new ArrayList<>();
    for (final JsonNode n : DeployFiles.documents(yaml)) {
      final String key = n.path("apiVersion").asText() + "/" + n.path("kind").asText();
      final Class<?> model = MODELS.get(key);
      if (model != null) {
        out.add(K8S.convertValue(n, model));
      } else if (GENERIC.contains(key)) {
        final GenericKubernetesResource g = K8S.convertValue(n, GenericKubernetesResource.class);
        assertThat(g.getMetadata().getName()).as(where + " " + key).isNotBlank();
        assertThat(g.getAdditionalProperties()).as(where + " " + key).containsKey("spec");
      } else {
        throw new AssertionError(where + ": no model for " + key + " (add it to the test's MODELS, or fix the kind)");
      }
    }
    return out;
  }

  private static void kustomization(final Path f, final List<String> problems) throws IOException {
    final JsonNode k = DeployFiles.YAML.readTree(f.toFile());
    for (final JsonNode r : k.path("resources")) {
      if (!Files.exists(f.getParent().resolve(r.asText()))) {
        problems.add(f + ": resource " + r.asText() + " does not exist");
      }
    }
    for (final JsonNode p : k.path("patches")) {
      if (p.has("path") && !Files.exists(f.getParent().resolve(p.path("path").asText()))) {
        problems.add(f + ": patch " + p.path("path").asText() + " does not exist");
      }
    }
  }

  private static String kindName(final Object o) {
    return o instanceof io.fabric8.kubernetes.api.model.HasMetadata h ? h.getKind() + "/" + h.getMetadata().getName()
        : o.getClass().getSimpleName();
  }

  private static <T> List<T> of(final Class<T> type) {
    return BASE.stream().filter(type::isInstance).map(type::cast).toList();
  }

  private static ConfigMap configMap(final String name) {
    return of(ConfigMap.class).stream().filter(c -> c.getMetadata().getName().equals(name)).findFirst()
        .orElseThrow(() -> new AssertionError("no ConfigMap " + name));
  }

  private static Secret secret(final String name) {
    return of(Secret.class).stream().filter(c -> c.getMetadata().getName().equals(name)).findFirst()
        .orElseThrow(() -> new AssertionError("no Secret " + name));
  }

  /**
   * A Secret's data: from the manifests, or for the Secrets the Strimzi operators make, stand-ins with the keys they
   * write (User Operator, SCRAM-SHA-512 user: {@code password}, {@code sasl.jaas.config}; Cluster Operator:
   * {@code <cluster>-cluster-ca-cert} with {@code ca.crt}, {@code ca.p12}, {@code ca.password}).
   */
  private static Map<String, String> secretData(final String name) throws Exception {
    final Optional<Secret> s = of(Secret.class).stream().filter(c -> c.getMetadata().getName().equals(name)).findFirst();
    if (s.isPresent()) {
      return s.get().getStringData();
    }
    final Optional<KafkaUser> user = of(KafkaUser.class).stream().filter(u -> u.getMetadata().getName().equals(name)).findFirst();
    if (user.isPresent()) {
      assertThat(user.get().getSpec().getAuthentication()).as(name).isInstanceOf(KafkaUserScramSha512ClientAuthentication.class);
      return Map.of("password", "stand-in-scram-password", "sasl.jaas.config", scramJaas(name));
    }
    final Optional<Kafka> kafka = of(Kafka.class).stream().filter(k -> name.equals(k.getMetadata().getName() + "-cluster-ca-cert"))
        .findFirst();
    if (kafka.isPresent()) {
      try (TestPki pki = TestPki.offline(java.time.Clock.systemUTC())) {
        return Map.of("ca.crt", Pem.certificate(pki.root("CN=cluster-ca v0", KeyType.EC_P256).certificate()),
            "ca.p12", "", "ca.password", "");
      }
    }
    throw new AssertionError("no Secret " + name + " in the manifests, and no Strimzi resource makes it");
  }

  private static String scramJaas(final String user) {
    return "org.apache.kafka.common.security.scram.ScramLoginModule required username=\"" + user
        + "\" password=\"stand-in-scram-password\";";
  }

  private static boolean selects(final Map<String, String> selector, final Map<String, String> labels) {
    return selector != null && labels.entrySet().containsAll(selector.entrySet());
  }

  private static void write(final Path dir, final Map<String, String> data, final List<KeyToPath> items) throws IOException {
    if (items == null || items.isEmpty()) {
      for (final Map.Entry<String, String> e : data.entrySet()) {
        Files.writeString(dir.resolve(e.getKey()), e.getValue());
      }
      return;
    }
    for (final KeyToPath i : items) {
      assertThat(data).as("item key " + i.getKey()).containsKey(i.getKey());
      final Path p = dir.resolve(i.getPath());
      Files.createDirectories(p.getParent());
      Files.writeString(p, data.get(i.getKey()));
    }
  }

  /** Absolute paths in configuration values must lie inside a mount; returns the value with the path made local. */
  private static String relocate(final String deployment, final String key, final String value,
      final Map<String, Path> mounts) {
    if (!value.startsWith("/") || key.equals("JAVA_TOOL_OPTIONS")) {
      return value;
    }
    for (final Map.Entry<String, Path> m : mounts.entrySet()) {
      if (value.equals(m.getKey()) || value.startsWith(m.getKey() + "/")) {
        return m.getValue() + value.substring(m.getKey().length());
      }
    }
    throw new AssertionError(deployment + ": " + key + "=" + value + " is not inside any volumeMount");
  }

  private static Set<String> routingSecrets() {
    final Set<String> out = new HashSet<>();
    final Matcher m = Pattern.compile("env:([A-Z0-9_]+)").matcher(configMap("sigstream-notifier").getData().get("routes.yaml"));
    while (m.find()) {
      out.add(m.group(1));
    }
    return out;
  }

  private static Path onPath(final String exe) {
    final String path = System.getenv("PATH");
    return path == null ? null : Stream.of(path.split(java.io.File.pathSeparator)).map(d -> Path.of(d, exe))
        .filter(Files::isExecutable).findFirst().orElse(null);
  }
}
