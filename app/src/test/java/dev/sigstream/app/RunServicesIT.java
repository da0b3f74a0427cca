package dev.sigstream.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** {@code services}: one process per service on the same image (docker-compose.yml, k8s/). */
@Tag("integration")
@Timeout(120)
class RunServicesIT {

  @Test
  void notifierOnly_startsNoIngestRoutes_andIsReady(@TempDir final Path data) throws Exception {
    final SigstreamConfig config = SigstreamConfig.load(null, Map.of("SIGSTREAM_SERVICES", "notifier"), Map.of(
        SigstreamConfig.Key.DATA_DIR, data.toString(), SigstreamConfig.Key.KAFKA_PORT, "0",
        SigstreamConfig.Key.KAFKA_CONTROLLER_PORT, "0", SigstreamConfig.Key.HTTP_PORT, "0"));
    final dev.sigstream.ingest.IngestConfig ingest = dev.sigstream.ingest.IngestConfig.fromEnv(Map.of(
        "SIGSTREAM_INGEST_SOURCE_LOCAL_SECRET", "Bearer probe-secret-value"));

    try (SigstreamRuntime runtime = new SigstreamRuntime(config, ingest).start()) {
      final String base = "http://127.0.0.1:" + runtime.httpPort();
      final HttpClient http = HttpClient.newHttpClient();
      final HttpResponse<String> post = http.send(HttpRequest.newBuilder(URI.create(base + "/v1/events/local"))
          .header("Authorization", "Bearer probe-secret-value").POST(HttpRequest.BodyPublishers.ofString("{}")).build(),
          HttpResponse.BodyHandlers.ofString());
      assertThat(post.statusCode()).as("no ingest route in a notifier-only process").isEqualTo(404);
      assertThat(runtime.readyLine(Duration.ofSeconds(1))).contains("ingest off").contains("verifier off")
          .doesNotContain("notifier off");
      org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(60)).until(() -> http.send(
          HttpRequest.newBuilder(URI.create(base + "/readyz")).build(), HttpResponse.BodyHandlers.ofString()).body(),
          "ready"::equals);
    }
  }
}
