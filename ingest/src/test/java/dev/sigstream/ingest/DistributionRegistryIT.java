package dev.sigstream.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.sigstream.schemas.avro.ArtifactPushed;
import dev.sigstream.testing.kafka.KafkaBroker;
import dev.sigstream.testing.kafka.KafkaBrokerExtension;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A real CNCF Distribution registry (Debian {@code docker-registry}) configured with notifications to ingest, with
 * the secret-header auth of the documented default source: pushes to it end up as {@code ArtifactPushed} records on
 * the real broker; blob pushes and pulls do not.
 */
@Tag("integration")
@Timeout(value = 3, unit = TimeUnit.MINUTES)
@ExtendWith(KafkaBrokerExtension.class)
class DistributionRegistryIT {

  static final String TOKEN = "Bearer registry-notify-token";

  static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    }
  }

  static String sha256(final byte[] b) throws Exception {
    return "sha256:" + HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(b));
  }

  @Test
  void pushesToARealRegistry_endUpOnTheTopic(final KafkaBroker broker) throws Exception {
    final String topic = "ingest-registry-" + Long.toHexString(System.nanoTime());
    IngestHarness.createTopic(broker.bootstrapServers(), topic, 3);
    final int regPort = freePort();
    final String registry = "127.0.0.1:" + regPort;
    final Path dir = Files.createTempDirectory("sigstream-ingest-registry-");
    Process process = null;
    try (IngestHarness ingest = new IngestHarness(broker.bootstrapServers(), topic, Map.of(
        "SIGSTREAM_INGEST_SOURCE_LOCAL_SECRET", TOKEN,
        "SIGSTREAM_INGEST_SOURCE_LOCAL_REGISTRIES", registry))) {
      // Given: the registry notifies ingest's default source, as docs/ingest.md tells a newcomer to configure it
      final String config = "version: 0.1\n"
          + "log:\n  level: warn\n  accesslog:\n    disabled: true\n"
          + "storage:\n  filesystem:\n    rootdirectory: " + dir.resolve("data") + "\n  delete:\n    enabled: true\n"
          + "http:\n  addr: " + registry + "\n"
          + "notifications:\n  events:\n    includereferences: true\n  endpoints:\n"
          + "    - name: sigstream\n"
          + "      url: http://127.0.0.1:" + ingest.service.port() + "/v1/events/local\n"
          + "      headers:\n        Authorization: [" + TOKEN + "]\n"
          + "      timeout: 2s\n      threshold: 5\n      backoff: 1s\n"
          + "      ignoredmediatypes:\n        - application/octet-stream\n"
          + "      ignore:\n        actions:\n          - pull\n";
      Files.writeString(dir.resolve("config.yml"), config);
      process = new ProcessBuilder("docker-registry", "serve", dir.resolve("config.yml").toString())
          .redirectErrorStream(true).redirectOutput(dir.resolve("registry.log").toFile()).start();
      final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
      final String base = "http://" + registry;
      final Process started = process;
      final Path log = dir.resolve("registry.log");
      await().atMost(Duration.ofSeconds(20)).ignoreExceptions().until(() -> {
        if (!started.isAlive()) {
          throw new AssertionError("docker-registry exited: " + Files.readString(log));
        }
        return http.send(HttpRequest.newBuilder(URI.create(base + "/v2/")).build(), HttpResponse.BodyHandlers.discarding()).statusCode() == 200;
      });

      // When: an image is pushed (two blobs, then the manifest by tag) and pulled
      final byte[] configBlob = "{\"architecture\":\"amd64\",\"os\":\"linux\"}".getBytes(StandardCharsets.UTF_8);
      final byte[] layer = "layer-bytes".getBytes(StandardCharsets.UTF_8);
      for (final byte[] blob : List.of(configBlob, layer)) {
        final HttpResponse<String> start = http.send(HttpRequest.newBuilder(URI.create(base + "/v2/it/app/blobs/uploads/"))
            .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(start.statusCode()).as(start.body()).isEqualTo(202);
        final String location = start.headers().firstValue("Location").orElseThrow();
        final URI upload = URI.create(base).resolve(location + (location.contains("?") ? "&" : "?") + "digest=" + sha256(blob));
        final HttpResponse<String> r = http.send(HttpRequest.newBuilder(upload).header("Content-Type", "application/octet-stream")
            .PUT(HttpRequest.BodyPublishers.ofByteArray(blob)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
      }
      final byte[] manifest = ("{\"schemaVersion\":2,\"mediaType\":\"application/vnd.oci.image.manifest.v1+json\","
          + "\"config\":{\"mediaType\":\"application/vnd.oci.image.config.v1+json\",\"digest\":\"" + sha256(configBlob)
          + "\",\"size\":" + configBlob.length + "},\"layers\":[{\"mediaType\":\"application/vnd.oci.image.layer.v1.tar\",\"digest\":\""
          + sha256(layer) + "\",\"size\":" + layer.length + "}]}").getBytes(StandardCharsets.UTF_8);
      final HttpResponse<String> put = http.send(HttpRequest.newBuilder(URI.create(base + "/v2/it/app/manifests/v1"))
          .header("Content-Type", "application/vnd.oci.image.manifest.v1+json").PUT(HttpRequest.BodyPublishers.ofByteArray(manifest)).build(),
          HttpResponse.BodyHandlers.ofString());
      assertThat(put.statusCode()).as(put.body()).isEqualTo(201);
      final String digest = sha256(manifest);
      http.send(HttpRequest.newBuilder(URI.create(base + "/v2/it/app/manifests/v1"))
          .header("Accept", "application/vnd.oci.image.manifest.v1+json").build(), HttpResponse.BodyHandlers.discarding());

      // Then: exactly one ArtifactPushed for the manifest, keyed by digest
      await().atMost(Duration.ofSeconds(30)).until(() -> !ingest.records(Duration.ofMillis(100)).isEmpty());
      final List<ConsumerRecord<String, ArtifactPushed>> records = ingest.records(Duration.ofSeconds(2));
      assertThat(records).singleElement().satisfies(rec -> {
        assertThat(rec.key()).isEqualTo(registry + "/it/app@" + digest);
        assertThat(rec.value().getArtifact().getTag()).isEqualTo("v1");
        assertThat(rec.value().getArtifact().getMediaType()).isEqualTo("application/vnd.oci.image.manifest.v1+json");
        assertThat(rec.value().getSource()).isEqualTo("distribution");
        assertThat(rec.value().getAttributes()).containsEntry("references", "2");
      });
    } finally {
      if (process != null) {
        process.destroy();
        process.waitFor(5, TimeUnit.SECONDS);
      }
      try (Stream<Path> walk = Files.walk(dir)) {
        walk.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      }
    }
  }
}
