package dev.sigstream.app;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.nio.file.Files;
import dev.sigstream.app.cli.Durations;
import dev.sigstream.schemas.KafkaConnection;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * Configuration of {@code sigstream run}, from {@code sigstream.yaml} overlaid with {@code SIGSTREAM_*} environment
 * variables, overlaid with command-line flags. Every key is documented in {@code docs/configuration.md}.
 *
 * <p>{@link #load} validates everything and throws one {@link ConfigException} listing every problem. Unknown keys
 * in the file are problems too (a typo must not silently fall back to a default).
 *
 * @param bootstrapServers external Kafka cluster; empty means the embedded broker
 * @param dataDir where the embedded broker keeps its data
 * @param kafkaPort embedded broker listener port (0 = any free port)
 * @param controllerPort embedded KRaft controller port (0 = any free port)
 * @param httpHost address the HTTP endpoints bind to
 * @param httpPort HTTP port for health, metrics and (as services land) webhooks and the query API; 0 = any free port
 * @param partitions partitions for keyed topics Sigstream creates
 * @param replicationFactor replication factor for topics Sigstream creates; empty = the cluster default
 * @param notifierRoutesFile the notifier's routing file (docs/notifier.md); empty = every verdict to the console
 * @param services which services this process runs (default all: the all-in-one); one per process in a cluster
 * @param kafkaSecurity the Kafka client security settings read from {@code kafka.clientConfig} (resolved and
 *     validated; empty: PLAINTEXT). Holds secrets: never printed ({@link #toString()} masks them)
 */
public record SigstreamConfig(
    Optional<String> bootstrapServers,
    Path dataDir,
    int kafkaPort,
    int controllerPort,
    String httpHost,
    int httpPort,
    int partitions,
    Optional<Short> replicationFactor,
    Optional<Path> notifierRoutesFile,
    Verifier verifier,
    java.util.Set<Service> services,
    Map<String, String> kafkaSecurity) {

  public SigstreamConfig {
    kafkaSecurity = Map.copyOf(kafkaSecurity);
  }

  /** How every Kafka client of this process connects to {@code servers}: the one connection setting. */
  public KafkaConnection kafka(final String servers) {
    return KafkaConnection.of(servers, kafkaSecurity);
  }

  /** The services {@code sigstream run} can start; {@code services: ingest} runs one of them in this process. */
  public enum Service { INGEST, VERIFIER, NOTIFIER }

  /** Keys, as written in YAML (dotted path) and as environment variables. */
  enum Key {
    KAFKA_BOOTSTRAP_SERVERS("kafka.bootstrapServers"),
    KAFKA_CLIENT_CONFIG("kafka.clientConfig"),
    DATA_DIR("dataDir"),
    KAFKA_PORT("kafka.embedded.port"),
    KAFKA_CONTROLLER_PORT("kafka.embedded.controllerPort"),
    HTTP_HOST("http.host"),
    HTTP_PORT("http.port"),
    TOPIC_PARTITIONS("topics.partitions"),
    TOPIC_REPLICATION_FACTOR("topics.replicationFactor"),
    NOTIFIER_ROUTES_FILE("notifier.routesFile"),
    VERIFIER_NOTATION_CONFIG("verifier.notationConfig"),
    VERIFIER_TRUST_POLICY("verifier.trustPolicy"),
    VERIFIER_TRUST_STORE("verifier.trustStore"),
    VERIFIER_REGISTRIES("verifier.registries"),
    VERIFIER_INSECURE_REGISTRIES("verifier.insecureRegistries"),
    VERIFIER_REGISTRY_CONFIG("verifier.registryConfig"),
    VERIFIER_REGISTRY_TIMEOUT("verifier.registryTimeout"),
    VERIFIER_GRACE_WINDOW("verifier.graceWindow"),
    VERIFIER_RETRY_DEADLINE("verifier.retryDeadline"),
    VERIFIER_POLICY_FILE("verifier.policyFile"),
    VERIFIER_AZURE_REGISTRIES("verifier.azureRegistries"),
    VERIFIER_ADMISSION_ON_DEMAND("verifier.admissionOnDemand"),
    VERIFIER_STREAM_THREADS("verifier.streamThreads"),
    SERVICES("services");

    final String yaml;

    Key(final String yaml) {
      this.yaml = yaml;
    }

    String env() {
      return "SIGSTREAM_" + name();
    }
  }

  /**
   * @param yamlFile the configuration file, or null to use {@code ./sigstream.yaml} when present
   * @param env the process environment (only {@code SIGSTREAM_*} entries are read)
   * @param flags values from command-line flags, by key, which win over everything else
   */
  public static SigstreamConfig load(final Path yamlFile, final Map<String, String> env, final Map<Key, String> flags) {
    final List<String> problems = new ArrayList<>();
    final Map<Key, String> raw = new LinkedHashMap<>();

    final Path file = yamlFile != null ? yamlFile : Path.of("sigstream.yaml");
    if (Files.isRegularFile(file)) {
      readYaml(file, raw, problems);
    } else if (yamlFile != null) {
      problems.add("configuration file " + yamlFile + " does not exist");
    }
    for (final Map.Entry<String, String> e : env.entrySet()) {
      if (!e.getKey().startsWith("SIGSTREAM_")) {
        continue;
      }
      final Optional<Key> key = java.util.Arrays.stream(Key.values()).filter(k -> k.env().equals(e.getKey())).findFirst();
      if (key.isPresent()) {
        raw.put(key.get(), e.getValue());
      }
      // Other SIGSTREAM_* variables belong to services that read their own config (and to tests); not an error.
    }
    raw.putAll(flags);

    final Parser p = new Parser(raw, problems);
    final Optional<String> bootstrap = p.opt(Key.KAFKA_BOOTSTRAP_SERVERS, s -> {
      for (final String hp : s.split(",")) {
        final int colon = hp.trim().lastIndexOf(':');
        if (colon <= 0 || !hp.trim().substring(colon + 1).matches("\\d{1,5}")) {
          throw new IllegalArgumentException("expected host:port[,host:port...], got '" + s + "'");
        }
      }
      return s.trim();
    });
    final Path dataDir = p.opt(Key.DATA_DIR, Path::of).orElse(Path.of(".sigstream"));
    final int kafkaPort = p.opt(Key.KAFKA_PORT, v -> port(v)).orElse(9092);
    final int controllerPort = p.opt(Key.KAFKA_CONTROLLER_PORT, v -> port(v)).orElse(9093);
    final String httpHost = p.opt(Key.HTTP_HOST, v -> {
      if (v.isBlank()) {
        throw new IllegalArgumentException("must not be blank");
      }
      return v.trim();
    }).orElse("127.0.0.1");
    final int httpPort = p.opt(Key.HTTP_PORT, v -> port(v)).orElse(8080);
    final int partitions = p.opt(Key.TOPIC_PARTITIONS, v -> range(v, 1, 10_000)).orElse(bootstrap.isPresent() ? 12 : 3);
    final Optional<Short> rf = p.opt(Key.TOPIC_REPLICATION_FACTOR, v -> (short) range(v, 1, 32));
    final Optional<Path> routes = p.opt(Key.NOTIFIER_ROUTES_FILE, v -> {
      if (!Files.isRegularFile(Path.of(v.trim()))) {
        throw new IllegalArgumentException("file " + v.trim() + " does not exist");
      }
      return Path.of(v.trim());
    });
    Map<String, String> kafkaSecurity = Map.of();
    final String clientConfig = raw.get(Key.KAFKA_CLIENT_CONFIG);
    if (clientConfig != null && !clientConfig.isBlank()) {
      if (bootstrap.isEmpty()) {
        problems.add(Key.KAFKA_CLIENT_CONFIG.yaml + " (" + Key.KAFKA_CLIENT_CONFIG.env() + ") needs "
            + Key.KAFKA_BOOTSTRAP_SERVERS.yaml + ": the embedded broker takes PLAINTEXT on loopback only");
      } else {
        try {
          kafkaSecurity = KafkaConnection.readClientConfig(Path.of(clientConfig.trim()));
        } catch (final KafkaConnection.Invalid e) {
          e.problems().forEach(pr -> problems.add(Key.KAFKA_CLIENT_CONFIG.yaml + " (" + Key.KAFKA_CLIENT_CONFIG.env()
              + "): " + pr));
        }
      }
    }
    if (bootstrap.isEmpty() && kafkaPort != 0 && kafkaPort == controllerPort) {
      problems.add(Key.KAFKA_PORT.yaml + " and " + Key.KAFKA_CONTROLLER_PORT.yaml + " must differ (both " + kafkaPort + ")");
    }
    if (bootstrap.isEmpty() && rf.isPresent() && rf.get() != 1) {
      problems.add(Key.TOPIC_REPLICATION_FACTOR.yaml + " must be 1 with the embedded single-node broker (got " + rf.get() + ")");
    }
    if (!problems.isEmpty()) {
      throw new ConfigException(problems);
    }
    final Verifier verifier = new Verifier(
        p.opt(Key.VERIFIER_NOTATION_CONFIG, v -> existing(v, true)),
        p.opt(Key.VERIFIER_TRUST_POLICY, v -> existing(v, false)),
        p.opt(Key.VERIFIER_TRUST_STORE, v -> existing(v, true)),
        p.opt(Key.VERIFIER_REGISTRIES, SigstreamConfig::hosts).orElse(List.of()),
        p.opt(Key.VERIFIER_INSECURE_REGISTRIES, SigstreamConfig::hosts).orElse(List.of()),
        p.opt(Key.VERIFIER_REGISTRY_CONFIG, v -> existing(v, false)),
        p.opt(Key.VERIFIER_REGISTRY_TIMEOUT, Durations::parse).orElse(Duration.ofSeconds(10)),
        p.opt(Key.VERIFIER_GRACE_WINDOW, Durations::parse).orElse(Duration.ofSeconds(120)),
        p.opt(Key.VERIFIER_RETRY_DEADLINE, Durations::parse).orElse(Duration.ofMinutes(15)),
        p.opt(Key.VERIFIER_POLICY_FILE, v -> existing(v, false)),
        p.opt(Key.VERIFIER_AZURE_REGISTRIES, SigstreamConfig::hosts).orElse(List.of()),
        p.opt(Key.VERIFIER_ADMISSION_ON_DEMAND, Durations::parse),
        p.opt(Key.VERIFIER_STREAM_THREADS, v -> range(v, 1, 64)).orElse(1));
    if (!verifier.registries().containsAll(verifier.azureRegistries())) {
      problems.add(Key.VERIFIER_AZURE_REGISTRIES.yaml + " names hosts that are not in " + Key.VERIFIER_REGISTRIES.yaml
          + ": Azure authentication is a property of an allowed registry");
    }
    final java.util.Set<Service> services = p.opt(Key.SERVICES, SigstreamConfig::services)
        .orElse(java.util.EnumSet.allOf(Service.class));
    if (!verifier.registries().containsAll(verifier.insecureRegistries())) {
      problems.add(Key.VERIFIER_INSECURE_REGISTRIES.yaml + " names hosts that are not in " + Key.VERIFIER_REGISTRIES.yaml
          + ": plain HTTP is a property of an allowed registry");
    }
    if (!problems.isEmpty()) {
      throw new ConfigException(problems);
    }
    return new SigstreamConfig(bootstrap, dataDir, kafkaPort, controllerPort, httpHost, httpPort, partitions, rf, routes,
        verifier, services, kafkaSecurity);
  }

  private static void readYaml(final Path file, final Map<Key, String> raw, final List<String> problems) {
    final JsonNode root;
    try {
      root = new ObjectMapper(new YAMLFactory()).readTree(Files.readString(file));
    } catch (JsonProcessingException e) {
      problems.add(file + ": not valid YAML (line " + e.getLocation().getLineNr() + "): " + e.getOriginalMessage());
      return;
    } catch (IOException e) {
      problems.add(file + ": cannot read: " + e.getMessage());
      return;
    }
    if (root == null || root.isMissingNode() || root.isNull()) {
      return;
    }
    if (!root.isObject()) {
      problems.add(file + ": top level must be a mapping");
      return;
    }
    flatten("", root, file, raw, problems);
  }

  private static void flatten(final String prefix, final JsonNode node, final Path file, final Map<Key, String> raw, final List<String> problems) {
    final Iterator<Map.Entry<String, JsonNode>> it = node.fields();
    while (it.hasNext()) {
      final Map.Entry<String, JsonNode> e = it.next();
      final String path = prefix.isEmpty() ? e.getKey() : prefix + "." + e.getKey();
      if (e.getValue().isObject()) {
        flatten(path, e.getValue(), file, raw, problems);
        continue;
      }
      final Optional<Key> key = java.util.Arrays.stream(Key.values()).filter(k -> k.yaml.equals(path)).findFirst();
      if (key.isEmpty()) {
        problems.add(file + ": unknown key '" + path + "'");
      } else if (!e.getValue().isValueNode()) {
        problems.add(file + ": '" + path + "' must be a single value");
      } else {
        raw.put(key.get(), e.getValue().asText());
      }
    }
  }

  /**
   * The verifier's settings. Trust material comes from {@code trustPolicy}/{@code trustStore}, else from a Notation
   * configuration directory ({@code notationConfig}, else {@code $NOTATION_CONFIG}, else
   * {@code ~/.config/notation}); without a trust policy the verifier does not start (and says so).
   *
   * @param registries the allowlist: the only registry hosts ever contacted
   * @param insecureRegistries allowed hosts reached over plain HTTP (loopback test registries)
   * @param registryConfig a Docker {@code config.json} with credentials for the allowed hosts
   * @param policyFile the artifact policy: per class, signature and signed-SBOM requirements and grace windows; SBOM
   *     deny lists; whether index children get verdicts ({@code ArtifactPolicy})
   * @param azureRegistries allowed hosts (ACR) reached with Microsoft Entra ID through DefaultAzureCredential
   *     (workload identity on AKS, managed identity), exchanged for an ACR token, instead of Docker credentials
   * @param admissionOnDemand when set, admission verifies an image without a verdict within this deadline instead of
   *     denying it at once (off by default)
   * @param streamThreads Kafka Streams threads of this instance's verifier (default 1); tasks (one per partition) are
   *     spread over them, and each commits its own exactly-once transaction
   */
  public record Verifier(Optional<Path> notationConfig, Optional<Path> trustPolicy, Optional<Path> trustStore,
      List<String> registries, List<String> insecureRegistries, Optional<Path> registryConfig,
      Duration registryTimeout, Duration graceWindow, Duration retryDeadline, Optional<Path> policyFile,
      List<String> azureRegistries, Optional<Duration> admissionOnDemand, int streamThreads) {
    public Verifier {
      registries = List.copyOf(registries);
      insecureRegistries = List.copyOf(insecureRegistries);
      azureRegistries = List.copyOf(azureRegistries);
    }
  }

  private static Path existing(final String v, final boolean directory) {
    final Path p = Path.of(v.trim());
    if (directory ? !Files.isDirectory(p) : !Files.isRegularFile(p)) {
      throw new IllegalArgumentException((directory ? "directory " : "file ") + v.trim() + " does not exist");
    }
    return p;
  }

  private static List<String> hosts(final String v) {
    final List<String> out = new ArrayList<>();
    for (final String h : v.split(",")) {
      final String host = h.trim().toLowerCase(Locale.ROOT);
      if (host.isEmpty()) {
        continue;
      }
      if (host.length() > 260 || !host.matches("[a-z0-9.\\-\\[\\]:]+")) {
        throw new IllegalArgumentException("'" + (host.length() > 40 ? host.substring(0, 40) + "…" : host)
            + "' is not a registry host[:port]");
      }
      out.add(host);
    }
    return out;
  }

  private static java.util.Set<Service> services(final String v) {
    final java.util.Set<Service> out = java.util.EnumSet.noneOf(Service.class);
    for (final String s : v.split(",")) {
      final String name = s.trim().toUpperCase(Locale.ROOT);
      if (name.isEmpty()) {
        continue;
      }
      try {
        out.add(Service.valueOf(name));
      } catch (final IllegalArgumentException e) {
        throw new IllegalArgumentException("'" + (s.trim().length() > 40 ? s.trim().substring(0, 40) + "…" : s.trim())
            + "' is not a service (ingest, verifier, notifier)");
      }
    }
    if (out.isEmpty()) {
      throw new IllegalArgumentException("name at least one of ingest, verifier, notifier");
    }
    return out;
  }

  private static int port(final String v) {
    return range(v, 0, 65535);
  }

  private static int range(final String v, final int min, final int max) {
    final int n;
    try {
      n = Integer.parseInt(v.trim());
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("expected a number, got '" + v + "'");
    }
    if (n < min || n > max) {
      throw new IllegalArgumentException("must be between " + min + " and " + max + ", got " + n);
    }
    return n;
  }

  /** Parses values, recording a problem (key, env name and reason) instead of failing on the first. */
  private static final class Parser {
    private final Map<Key, String> raw;
    private final List<String> problems;

    Parser(final Map<Key, String> raw, final List<String> problems) {
      this.raw = raw;
      this.problems = problems;
    }

    <T> Optional<T> opt(final Key key, final Function<String, T> parse) {
      final String v = raw.get(key);
      if (v == null || v.isEmpty()) {
        return Optional.empty();
      }
      try {
        return Optional.of(parse.apply(v));
      } catch (IllegalArgumentException e) {
        problems.add(key.yaml + " (" + key.env() + "): " + e.getMessage());
        return Optional.empty();
      }
    }
  }

  @Override
  public String toString() {
    // The Kafka client secrets are masked by KafkaConnection's toString.
    return String.format(Locale.ROOT,
        "SigstreamConfig{kafka=%s, dataDir=%s, http=%s:%d, partitions=%d, replicationFactor=%s, notifierRoutes=%s, services=%s}",
        bootstrapServers.map(this::kafka).map(Object::toString).orElse("embedded:" + kafkaPort), dataDir, httpHost, httpPort, partitions,
        replicationFactor.map(String::valueOf).orElse("cluster default"), notifierRoutesFile.map(Path::toString).orElse("console"),
        services.toString().toLowerCase(Locale.ROOT));
  }
}
