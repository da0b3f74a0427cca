package dev.sigstream.app;

import dev.sigstream.app.cli.Version;
import dev.sigstream.ingest.IngestConfig;
import dev.sigstream.ingest.IngestService;
import dev.sigstream.notary.NotationConfig;
import dev.sigstream.oci.auth.DockerConfigCredentials;
import dev.sigstream.oci.client.RegistryEntry;
import dev.sigstream.verifier.VerifierService;
import dev.sigstream.verifier.api.VerdictApi;
import dev.sigstream.signing.azure.AzureConnection;
import dev.sigstream.signing.azure.AzureIdentityTokenSource;
import dev.sigstream.verifier.core.RegistrySettings;
import dev.sigstream.verifier.core.SettingsException;
import dev.sigstream.verifier.core.TrustSettings;
import dev.sigstream.verifier.core.VerifierFactory;
import dev.sigstream.verifier.core.VerifierSettings;
import dev.sigstream.verifier.core.ArtifactPolicy;
import dev.sigstream.verifier.core.VerifyLimits;
import dev.sigstream.verifier.topology.StreamPolicy;
import java.nio.file.Path;
import java.time.Clock;
import java.util.concurrent.ExecutorService;
import dev.sigstream.kafka.embedded.EmbeddedKafkaBroker;
import dev.sigstream.notifier.NotifierConfig;
import dev.sigstream.notifier.NotifierService;
import dev.sigstream.notifier.route.RoutingConfigException;
import dev.sigstream.schemas.KafkaConnection;
import dev.sigstream.schemas.Topics;
import io.javalin.Javalin;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The all-in-one process: Kafka (embedded or external), Sigstream's topics, ingest, the verifier (when trust material
 * is configured) with its query and admission APIs, and the notifier, started in dependency order and stopped in
 * reverse, all on one HTTP server.
 */
public final class SigstreamRuntime implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(SigstreamRuntime.class);

  private final SigstreamConfig config;
  private final IngestConfig ingestConfig;
  private IngestService ingest;
  private VerifierService verifier;
  private String verifierState = "off";
  private final Deque<AutoCloseable> started = new ArrayDeque<>();
  private final PrometheusMeterRegistry metrics = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
  private volatile KafkaConnection kafka;
  private volatile NotifierService notifierService;
  private volatile boolean ready;
  private Javalin http;

  SigstreamRuntime(final SigstreamConfig config) {
    this(config, IngestConfig.fromEnv(System.getenv()));
  }

  public SigstreamRuntime(final SigstreamConfig config, final IngestConfig ingestConfig) {
    this.config = config;
    this.ingestConfig = ingestConfig;
  }

  /** Starts everything; on failure stops what was started and rethrows. */
  public SigstreamRuntime start() {
    try {
      new JvmMemoryMetrics().bindTo(metrics);
      new JvmThreadMetrics().bindTo(metrics);
      if (config.bootstrapServers().isPresent()) {
        kafka = config.kafka(config.bootstrapServers().get());
      } else {
        final EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.builder()
            .dataDir(config.dataDir().resolve("kafka"))
            .brokerPort(config.kafkaPort())
            .controllerPort(config.controllerPort())
            .build();
        started.push(broker);
        broker.start();
        kafka = KafkaConnection.plaintext(broker.bootstrapServers());
      }
      createTopics(Topics.withPartitions(config.partitions()));
      if (config.services().contains(SigstreamConfig.Service.INGEST)) {
        ingest = IngestService.start(ingestConfig, kafka, metrics);
        started.push(ingest);
      }
      if (config.services().contains(SigstreamConfig.Service.VERIFIER)) {
        startVerifier();
      }
      if (config.services().contains(SigstreamConfig.Service.NOTIFIER)) {
        startNotifier();
      }
      http = Javalin.create(c -> {
        if (ingest != null) {
          ingest.routes(c);
        }
        if (verifier != null) {
          new VerdictApi(verifier, config.verifier().admissionOnDemand().orElse(null)).routes(c);
        }
        c.startup.showJavalinBanner = false;
        c.startup.showOldJavalinVersionWarning = false;
        c.routes.get("/healthz", ctx -> ctx.result("ok"));
        c.routes.get("/readyz", ctx -> {
          final boolean verifying = verifier == null || verifier.running();
          final boolean ingesting = ingest == null || ingest.ready();
          final boolean up = ready && ingesting && verifying;
          // A destination whose target said it is gone is disabled (its notifications are dead-lettered for
          // replay): worth an operator's look, not a reason to take the process out of service.
          final Map<String, String> disabled = notifierService == null ? Map.of() : notifierService.disabled();
          ctx.status(up ? 200 : 503).result(up ? "ready" + (disabled.isEmpty() ? ""
              : "; notifier destinations disabled: " + disabled) : !ready ? "starting"
              : !ingesting ? "kafka unreachable" : "verifier not running");
        });
        c.routes.get("/metrics", ctx -> ctx.contentType("text/plain; version=0.0.4; charset=utf-8").result(metrics.scrape()));
      });
      http.start(config.httpHost(), config.httpPort());
      started.push(http::stop);
      ready = true;
      return this;
    } catch (RuntimeException e) {
      close();
      throw e;
    }
  }

  /**
   * The verifier, when a trust policy is configured (explicitly or in a Notation configuration directory): without
   * one nothing could be verified, so it does not start, and the ready line and a WARN line say so. Admission then
   * has no endpoint, which Gatekeeper treats as a failure: closed.
   */
  private void startVerifier() {
    final SigstreamConfig.Verifier v = config.verifier();
    final NotationConfig notation = v.notationConfig().map(NotationConfig::at)
        .orElseGet(() -> NotationConfig.locate(System.getenv(), Path.of(System.getProperty("user.home", "."))));
    final Optional<TrustSettings> trust;
    try {
      trust = TrustSettings.of(notation, v.trustPolicy(), v.trustStore());
    } catch (final SettingsException e) {
      throw new ConfigException(List.of("verifier: " + e.getMessage()));
    }
    if (trust.isEmpty()) {
      verifierState = "off (no trust policy: set verifier.trustPolicy and verifier.trustStore, or create "
          + notation.directory().resolve("trustpolicy.oci.json") + ")";
      log.warn("Verifier {}", verifierState);
      return;
    }
    final List<RegistryEntry> entries = new ArrayList<>();
    final DockerConfigCredentials credentials = v.registryConfig().map(DockerConfigCredentials::load)
        .orElseGet(() -> new DockerConfigCredentials(Map.of(), List.of()));
    for (final String host : v.registries()) {
      entries.add(new RegistryEntry(host, v.insecureRegistries().contains(host), credentials.forHost(host), Set.of()));
    }
    final ExecutorService pool = VerifierFactory.boundedExecutor("sigstream-verify",
        Math.max(2, Runtime.getRuntime().availableProcessors()), 256);
    started.push(pool::shutdownNow);
    final RegistrySettings docker = RegistrySettings.of(entries, v.registryTimeout());
    // verifier.azureRegistries: the same azure-identity adapter the CLI's --registry-auth azure uses.
    final RegistrySettings registries = v.azureRegistries().isEmpty() ? docker : docker.withEntraExchange(
        v.azureRegistries(), AzureIdentityTokenSource.forAcr(AzureConnection.fromEnvironment(System.getenv(),
            v.registryTimeout())));
    final ArtifactPolicy policy;
    try {
      policy = v.policyFile().map(ArtifactPolicy::load).orElse(ArtifactPolicy.DEFAULT);
    } catch (final SettingsException e) {
      throw new ConfigException(List.of("verifier.policyFile: " + e.getMessage()));
    }
    final VerifierSettings settings = new VerifierSettings(trust.get(), registries,
        VerifyLimits.DEFAULTS.withDeadline(registries.defaultDeadline()), policy.sbom(), pool, Clock.systemUTC(),
        policy.classes());
    final VerifierService.Settings stream = new VerifierService.Settings("sigstream-verifier",
        config.dataDir().resolve("verifier"), Topics.withPartitions(config.partitions()),
        StreamPolicy.DEFAULTS.withGraceWindow(v.graceWindow()).withRetryDeadline(v.retryDeadline())
            .withClasses(policy.graceWindows(), policy.verifyChildren()), v.streamThreads(),
        Version.current());
    try {
      verifier = VerifierService.start(stream, settings, Duration.ofSeconds(10), kafka, metrics);
    } catch (final SettingsException e) {
      throw new ConfigException(List.of("verifier: " + e.getMessage()));
    }
    started.push(verifier);
    verifierState = "on (" + (entries.isEmpty() ? "no registry allowed yet: set verifier.registries"
        : "registries " + String.join(",", v.registries())) + ")";
    log.info("Verifier started: trust policy {}, {}", trust.get().trustPolicy(), verifierState);
  }

  /** The notifier: the routing file when one is named, else every verdict to the console (logger sigstream.notifications). */
  private void startNotifier() {
    final NotifierConfig notifier;
    try {
      notifier = NotifierConfig.load(config.notifierRoutesFile(), System.getenv(), config.dataDir().resolve("notifier"));
    } catch (RoutingConfigException e) {
      throw new ConfigException(e.problems().stream().map(p -> "notifier.routesFile: " + p).toList());
    }
    log.info("Starting notifier: {}", notifier);
    notifierService = NotifierService.start(notifier, kafka, metrics);
    started.push(notifierService);
  }

  private void createTopics(final Topics topics) {
    final List<String> created = topics.createMissing(kafka, config.replicationFactor());
    if (!created.isEmpty()) {
      log.info("Created topics {}", created);
    }
  }

  public String bootstrapServers() {
    return kafka.bootstrapServers();
  }

  /** The connection every Kafka client of this process uses (bootstrap servers and client security). */
  public KafkaConnection kafka() {
    return kafka;
  }

  public int httpPort() {
    return http.port();
  }

  /** One line for the operator: where everything is. */
  public String readyLine(final Duration took) {
    final String base = "http://" + config.httpHost() + ":" + httpPort();
    return String.format(java.util.Locale.ROOT,
        "Sigstream ready in %.1f s: kafka %s (%s); health %s/healthz, readiness %s/readyz, metrics %s/metrics; services: %s",
        took.toMillis() / 1000.0, kafka.bootstrapServers(), config.bootstrapServers().isPresent()
            ? "external" + (kafka.secured() ? ", " + kafka : "")
            : "embedded, data in " + config.dataDir(),
        base, base, base, "kafka, topics, ingest " + (ingest == null ? "off" : ingest.sourceNames().isEmpty() ? "(no webhook source configured)"
            : "POST " + base + "/v1/events/{" + String.join(",", ingest.sourceNames()) + "}")
            + ", verifier " + verifierState + (verifier == null ? "" : ", verdicts " + base + "/v1/verdicts, admission "
            + base + "/v1/admission/gatekeeper") + ", notifier"
            + (config.services().contains(SigstreamConfig.Service.NOTIFIER) ? "" : " off"));
  }

  @Override
  public synchronized void close() {
    ready = false;
    while (!started.isEmpty()) {
      final AutoCloseable c = started.pop();
      try {
        c.close();
      } catch (Exception e) {
        log.warn("error while stopping: {}", e.toString());
      }
    }
    metrics.close();
  }
}
