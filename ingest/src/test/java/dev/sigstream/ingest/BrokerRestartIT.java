package dev.sigstream.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.sigstream.kafka.embedded.EmbeddedKafkaBroker;
import dev.sigstream.schemas.avro.ArtifactPushed;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The broker is stopped in the middle of a load and started again: no event got a 2xx without being acknowledged,
 * and after the restart every event that got a 2xx is on the topic. Uses its own broker (the shared one cannot be
 * stopped) with a persistent data directory and fixed ports, so the restart is the same broker.
 */
@Tag("integration")
@Timeout(value = 4, unit = TimeUnit.MINUTES)
class BrokerRestartIT {

  static final String AUTH = "Bearer restart-test-token";
  static final String V1 = "application/vnd.docker.distribution.events.v1+json";

  static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    }
  }

  static EmbeddedKafkaBroker broker(final Path dir, final int port, final int controller) {
    return EmbeddedKafkaBroker.builder().dataDir(dir).brokerPort(port).controllerPort(controller).build();
  }

  static String event(final long n) {
    return "{\"events\":[{\"id\":\"load-" + n + "\",\"timestamp\":\"2026-01-01T00:00:00Z\",\"action\":\"push\","
        + "\"target\":{\"mediaType\":\"application/vnd.oci.image.manifest.v1+json\",\"size\":394,\"digest\":\"sha256:"
        + String.format("%064x", n) + "\",\"repository\":\"load/app\",\"tag\":\"v" + n + "\"},"
        + "\"request\":{\"host\":\"127.0.0.1:5000\",\"method\":\"PUT\"}}]}";
  }

  @Test
  void brokerStoppedMidLoad_every2xxIsOnTheTopicAfterRestart() throws Exception {
    final Path dir = Files.createTempDirectory("sigstream-restart-");
    final int port = freePort();
    final int controller = freePort();
    EmbeddedKafkaBroker kafka = broker(dir, port, controller).start();
    final String topic = "ingest-restart-" + Long.toHexString(System.nanoTime());
    IngestHarness.createTopic(kafka.bootstrapServers(), topic, 3);
    final Set<String> acked = ConcurrentHashMap.newKeySet();
    final AtomicInteger unavailable = new AtomicInteger();
    final AtomicInteger other = new AtomicInteger();
    final AtomicBoolean running = new AtomicBoolean(true);
    final AtomicLong seq = new AtomicLong();
    final ExecutorService load = Executors.newFixedThreadPool(6);
    try (IngestHarness ingest = new IngestHarness(kafka.bootstrapServers(), topic, Map.of(
        "SIGSTREAM_INGEST_SOURCE_LOCAL_SECRET", AUTH,
        "SIGSTREAM_INGEST_PRODUCE_TIMEOUT_MS", "2000"))) {
      await().atMost(Duration.ofSeconds(30)).until(ingest.service::ready);
      for (int t = 0; t < 6; t++) {
        load.submit(() -> {
          while (running.get()) {
            final long n = seq.incrementAndGet();
            try {
              final HttpResponse<String> r = ingest.http.send(HttpRequest.newBuilder(ingest.uri("/v1/events/local"))
                  .header("Content-Type", V1).header("Authorization", AUTH).timeout(Duration.ofSeconds(20))
                  .POST(HttpRequest.BodyPublishers.ofString(event(n))).build(), HttpResponse.BodyHandlers.ofString());
              if (r.statusCode() == 200) {
                acked.add("distribution:load-" + n);
              } else if (r.statusCode() == 503) {
                unavailable.incrementAndGet();
                Thread.sleep(20);
              } else {
                other.incrementAndGet();
              }
            } catch (IOException e) {
              other.incrementAndGet();
            } catch (InterruptedException e) {
              return;
            }
          }
        });
      }
      // Given: load flowing
      await().atMost(Duration.ofSeconds(60)).until(() -> acked.size() >= 300);
      // When: the broker stops under load, stays down a while, and comes back
      kafka.close();
      final int ackedAtStop = acked.size();
      await().atMost(Duration.ofSeconds(30)).until(() -> unavailable.get() >= 20);
      final int ackedWhileDown = acked.size() - ackedAtStop;
      kafka = broker(dir, port, controller).start();
      await().atMost(Duration.ofSeconds(60)).until(() -> acked.size() >= ackedAtStop + 300);
      running.set(false);
      load.shutdown();
      assertThat(load.awaitTermination(60, TimeUnit.SECONDS)).isTrue();

      // Then
      final List<ConsumerRecord<String, ArtifactPushed>> records = IngestHarness.readAll(kafka.bootstrapServers(), topic, Duration.ofSeconds(1));
      final Set<String> onTopic = records.stream().map(r -> r.value().getEventId()).collect(Collectors.toSet());
      org.slf4j.LoggerFactory.getLogger(BrokerRestartIT.class).info(
          "restart under load: {} answered 2xx ({} while down), {} answered 503, {} distinct events on the topic",
          acked.size(), ackedWhileDown, unavailable.get(), onTopic.size());
      assertThat(other).as("only 200 or 503 answers").hasValue(0);
      assertThat(unavailable.get()).as("the outage was seen as 503s").isGreaterThanOrEqualTo(20);
      assertThat(ackedWhileDown).as("2xx while the broker was down (only sends acked just before the stop may finish)").isLessThan(50);
      assertThat(onTopic).as("every 2xx'd event is on the topic").containsAll(acked);
    } finally {
      running.set(false);
      load.shutdownNow();
      kafka.close();
      try (Stream<Path> walk = Files.walk(dir)) {
        walk.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      }
    }
  }
}
