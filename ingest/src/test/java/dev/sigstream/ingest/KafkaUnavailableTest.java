package dev.sigstream.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.sigstream.ingest.publish.ArtifactEventPublisher;
import dev.sigstream.schemas.avro.ArtifactPushed;
import dev.sigstream.testing.Reference;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** 503 with Retry-After whenever Kafka is unreachable, slower than the deadline, or refuses a record. */
class KafkaUnavailableTest {

  static final String AUTH = "Bearer local-registry-token";
  static final Map<String, String> ENV = Map.of(
      "SIGSTREAM_INGEST_SOURCE_LOCAL_SECRET", AUTH,
      "SIGSTREAM_INGEST_SOURCE_LOCAL_REGISTRIES", "127.0.0.1:5055",
      "SIGSTREAM_INGEST_PRODUCE_TIMEOUT_MS", "300",
      "SIGSTREAM_INGEST_RETRY_AFTER_S", "7");

  /** A publisher whose futures never complete, or fail, as told. */
  static final class StuckPublisher implements ArtifactEventPublisher {
    final boolean fail;
    final AtomicInteger calls = new AtomicInteger();

    StuckPublisher(final boolean fail) {
      this.fail = fail;
    }

    @Override
    public CompletableFuture<Void> publishAll(final List<ArtifactPushed> events) {
      calls.incrementAndGet();
      return fail ? CompletableFuture.failedFuture(new org.apache.kafka.common.errors.NotEnoughReplicasException("isr")) : new CompletableFuture<>();
    }

    @Override
    public boolean available() {
      return true;
    }

    @Override
    public void close() {}
  }

  static HttpResponse<String> push(final int port) throws Exception {
    return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/v1/events/local"))
        .header("Content-Type", "application/vnd.docker.distribution.events.v1+json").header("Authorization", AUTH)
        .POST(HttpRequest.BodyPublishers.ofString(Files.readString(Reference.resolve("webhooks/examples/distribution-real-push.json"))))
        .build(), HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void slowerThanDeadline_503WithRetryAfter() throws Exception {
    final StuckPublisher stuck = new StuckPublisher(false);
    try (IngestService s = IngestService.start(IngestConfig.fromEnv(ENV), stuck, new SimpleMeterRegistry(), Clock.systemUTC())
        .serve("127.0.0.1", 0)) {
      final long t0 = System.nanoTime();
      final HttpResponse<String> r = push(s.port());
      assertThat(r.statusCode()).isEqualTo(503);
      assertThat(Duration.ofNanos(System.nanoTime() - t0)).isGreaterThanOrEqualTo(Duration.ofMillis(300));
      assertThat(r.headers().firstValue("Retry-After")).contains("7");
      assertThat(r.body()).contains("KAFKA_UNAVAILABLE").contains("300 ms");
      // not remembered as seen: the retry is produced again
      push(s.port());
      assertThat(stuck.calls).hasValue(2);
    }
  }

  @Test
  void recordRefused_503() throws Exception {
    try (IngestService s = IngestService.start(IngestConfig.fromEnv(ENV), new StuckPublisher(true), new SimpleMeterRegistry(),
        Clock.systemUTC()).serve("127.0.0.1", 0)) {
      final HttpResponse<String> r = push(s.port());
      assertThat(r.statusCode()).isEqualTo(503);
      assertThat(r.body()).contains("NotEnoughReplicasException");
    }
  }

  @Test
  void noBroker_503Fast_andNotReady() throws Exception {
    final int deadPort;
    try (ServerSocket ss = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      deadPort = ss.getLocalPort();
    }
    try (IngestService s = IngestService.start(IngestConfig.fromEnv(ENV), "127.0.0.1:" + deadPort, new SimpleMeterRegistry())
        .serve("127.0.0.1", 0)) {
      await().during(Duration.ofMillis(500)).atMost(Duration.ofSeconds(5)).until(() -> !s.ready());
      final HttpResponse<String> r = push(s.port());
      assertThat(r.statusCode()).isEqualTo(503);
      assertThat(r.headers().firstValue("Retry-After")).contains("7");
      final HttpResponse<String> ready = HttpClient.newHttpClient().send(
          HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + s.port() + "/readyz")).build(), HttpResponse.BodyHandlers.ofString());
      assertThat(ready.statusCode()).isEqualTo(503);
    }
  }
}
