package dev.sigstream.ingest;

import dev.sigstream.ingest.publish.ArtifactEventPublisher;
import dev.sigstream.ingest.publish.KafkaArtifactEventPublisher;
import dev.sigstream.ingest.source.Source;
import dev.sigstream.schemas.Topic;
import dev.sigstream.schemas.KafkaConnection;
import dev.sigstream.schemas.Topics;
import dev.sigstream.schemas.avro.ArtifactPushed;
import io.javalin.Javalin;
import io.javalin.config.JavalinConfig;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Gauge;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The ingest service: the configured webhook sources and the Kafka publisher behind
 * {@code POST /v1/events/{sourceName}} (and {@code OPTIONS} for the CloudEvents handshake).
 *
 * <p>Embed it in another Javalin ({@code sigstream run}) with {@link #routes(JavalinConfig)}, or serve it alone with
 * {@link #serve(String, int, Supplier)}, which adds {@code /healthz}, {@code /readyz} and {@code /metrics}. Ready
 * ({@link #ready()}) only while Kafka is reachable. Close to stop the publisher.
 */
public final class IngestService implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(IngestService.class);
  public static final String EVENTS_PATH = "/v1/events/{sourceName}";

  private final ArtifactEventPublisher publisher;
  private final WebhookEndpoint endpoint;
  private final List<Source> sources;
  private Javalin own;

  IngestService(final IngestConfig config, final ArtifactEventPublisher publisher, final MeterRegistry registry,
      final Clock clock) {
    this.publisher = publisher;
    this.sources = config.buildSources(clock);
    this.endpoint = new WebhookEndpoint(sources, publisher, config, new IngestMetrics(registry), clock);
    Gauge.builder("sigstream.ingest.kafka.available", publisher, p -> p.available() ? 1 : 0).register(registry);
    config.disabledDefault().ifPresent(w -> log.warn("ingest: {}", w));
    for (final Source s : sources) {
      log.info("ingest source '{}' ({}, auth {}) at POST /v1/events/{}", s.name(), s.type().configName(),
          s.authenticator().kind(), s.name());
    }
  }

  /** {@link #start(IngestConfig, KafkaConnection, MeterRegistry)} over PLAINTEXT (tests, benchmarks). */
  public static IngestService start(final IngestConfig config, final String bootstrapServers, final MeterRegistry registry) {
    return start(config, KafkaConnection.plaintext(bootstrapServers), registry);
  }

  /** Starts the publisher for {@code config.topic()} on the cluster {@code kafka} names; the topic must exist. */
  public static IngestService start(final IngestConfig config, final KafkaConnection kafka, final MeterRegistry registry) {
    final Topic<String, ArtifactPushed> events = Topics.create().artifactEvents();
    final Topic<String, ArtifactPushed> topic = new Topic<>(config.topic(), events.keySerde(), events.valueSerde(),
        events.partitions(), events.config());
    log.info("Starting ingest with {}", config);
    return start(config, new KafkaArtifactEventPublisher(kafka, topic, config.produceTimeout(), Map.of()),
        registry, Clock.systemUTC());
  }

  /** With any publisher (tests, other transports). */
  public static IngestService start(final IngestConfig config, final ArtifactEventPublisher publisher,
      final MeterRegistry registry, final Clock clock) {
    return new IngestService(config, publisher, registry, clock);
  }

  /**
   * Registers the webhook routes on a Javalin being configured: {@code POST} and {@code OPTIONS
   * /v1/events/{sourceName}} are served by a Jetty handler in front of Javalin's servlet ({@link WebhookJettyHandler},
   * which costs less CPU per webhook), and the same endpoint is registered as Javalin routes for what that handler
   * leaves to Javalin (the path with a trailing slash).
   */
  public void routes(final JavalinConfig c) {
    c.jetty.modifyServer(server -> server.insertHandler(new WebhookJettyHandler(endpoint)));
    c.routes.post(EVENTS_PATH, endpoint::handle);
    c.routes.options(EVENTS_PATH, endpoint::handle);
  }

  /** Serves the routes plus {@code /healthz} and {@code /readyz} on its own HTTP server. */
  public IngestService serve(final String host, final int port) {
    return serve(host, port, null);
  }

  /** As {@link #serve(String, int)}, plus {@code /metrics} from {@code scrape} (Prometheus text) when non-null. */
  public synchronized IngestService serve(final String host, final int port, final Supplier<String> scrape) {
    own = Javalin.create(c -> {
      if (scrape != null) {
        c.routes.get("/metrics", ctx -> ctx.contentType("text/plain; version=0.0.4; charset=utf-8").result(scrape.get()));
      }
      c.startup.showJavalinBanner = false;
      c.startup.showOldJavalinVersionWarning = false;
      routes(c);
      c.routes.get("/healthz", ctx -> ctx.result("ok"));
      c.routes.get("/readyz", ctx -> ctx.status(ready() ? 200 : 503).result(ready() ? "ready" : "kafka unreachable"));
    });
    own.start(host, port);
    return this;
  }

  /** The port of {@link #serve}'s server. */
  public int port() {
    return own.port();
  }

  /** True while Kafka is reachable: the only condition under which webhooks can be accepted. */
  public boolean ready() {
    return publisher.available();
  }

  public List<String> sourceNames() {
    return sources.stream().map(Source::name).toList();
  }

  @Override
  public synchronized void close() {
    if (own != null) {
      own.stop();
      own = null;
    }
    publisher.close();
  }
}
