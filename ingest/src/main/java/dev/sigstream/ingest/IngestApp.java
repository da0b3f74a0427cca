package dev.sigstream.ingest;

import dev.sigstream.schemas.KafkaConnection;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import dev.sigstream.schemas.KafkaConnection;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Standalone ingest: {@code SIGSTREAM_KAFKA_BOOTSTRAP_SERVERS}, {@code SIGSTREAM_KAFKA_CLIENT_CONFIG}, {@code SIGSTREAM_INGEST_HTTP_HOST} (default
 * 0.0.0.0), {@code SIGSTREAM_INGEST_HTTP_PORT} (default 8080) and the {@code SIGSTREAM_INGEST_*} source settings.
 * {@code sigstream run} embeds the same service instead.
 */
public final class IngestApp {

  private static final Logger log = LoggerFactory.getLogger(IngestApp.class);

  private IngestApp() {}

  public static void main(final String[] args) throws InterruptedException {
    final Map<String, String> env = System.getenv();
    final IngestConfig config = IngestConfig.fromEnv(env);
    final String servers = env.getOrDefault("SIGSTREAM_KAFKA_BOOTSTRAP_SERVERS", "127.0.0.1:9092");
    final String clientConfig = env.getOrDefault("SIGSTREAM_KAFKA_CLIENT_CONFIG", "");
    final KafkaConnection bootstrap = clientConfig.isBlank() ? KafkaConnection.plaintext(servers)
        : KafkaConnection.load(servers, java.nio.file.Path.of(clientConfig.trim()));
    final String host = env.getOrDefault("SIGSTREAM_INGEST_HTTP_HOST", "0.0.0.0");
    final int port = Integer.parseInt(env.getOrDefault("SIGSTREAM_INGEST_HTTP_PORT", "8080"));
    final PrometheusMeterRegistry metrics = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    final IngestService service = IngestService.start(config, bootstrap, metrics).serve(host, port, metrics::scrape);
    final CountDownLatch stop = new CountDownLatch(1);
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      service.close();
      stop.countDown();
    }, "sigstream-ingest-stop"));
    log.info("ingest listening on {}:{}", host, service.port());
    stop.await();
  }
}
