package dev.sigstream.bench.ingest;

import dev.sigstream.ingest.IngestConfig;
import dev.sigstream.ingest.IngestService;
import dev.sigstream.kafka.embedded.EmbeddedKafkaBroker;
import dev.sigstream.schemas.ArtifactKey;
import dev.sigstream.schemas.Topics;
import dev.sigstream.schemas.avro.ArtifactPushed;
import dev.sigstream.schemas.avro.ArtifactRef;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * Load generator: accepted single-event webhooks per second and their latency (p50, p99) through the whole ingest
 * path (HTTP, auth, parse, validation, Avro, idempotent {@code acks=all} produce, 2xx after the ack) on the
 * embedded KRaft broker. Beside it, in the same run and on the same broker, the raw producer rate: the same
 * {@code ArtifactPushed} records sent by a bare idempotent {@code acks=all} producer from the same number of
 * concurrent callers, each waiting for its acknowledgement before the next (the shape of a webhook), and the
 * same producer's open-loop rate (send everything, then flush) for scale.
 *
 * <p>Run: {@code java -cp benchmarks/target/benchmarks.jar dev.sigstream.bench.ingest.IngestLoadGenerator
 * [seconds] [concurrency]} (defaults 10 s, 32 callers). Load and server share the machine's cores.
 */
public final class IngestLoadGenerator {

  private static final String AUTH = "Bearer bench-token-0123456789";
  private static final String V1 = "application/vnd.docker.distribution.events.v1+json";

  private IngestLoadGenerator() {}

  record Result(long ok, long failed, double seconds, long[] latenciesNanos) {
    double rate() {
      return ok / seconds;
    }

    double percentileMillis(final double p) {
      if (latenciesNanos.length == 0) {
        return Double.NaN;
      }
      final int i = (int) Math.min(latenciesNanos.length - 1, Math.ceil(p / 100.0 * latenciesNanos.length) - 1);
      return latenciesNanos[Math.max(0, i)] / 1e6;
    }
  }

  interface Call {
    boolean run(long n) throws Exception;
  }

  public static void main(final String[] args) throws Exception {
    final int seconds = args.length > 0 ? Integer.parseInt(args[0]) : 10;
    final int concurrency = args.length > 1 ? Integer.parseInt(args[1]) : 32;
    try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.builder().build().start()) {
      final String bootstrap = broker.bootstrapServers();
      try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap))) {
        admin.createTopics(List.of(new NewTopic("bench-ingest", Optional.of(3), Optional.empty()),
            new NewTopic("bench-raw", Optional.of(3), Optional.empty()))).all().get(30, TimeUnit.SECONDS);
      }
      final AtomicLong seq = new AtomicLong();

      // Baseline: bare producer, same records, same callers, each waiting for its ack.
      final Map<String, Object> producerConfig = Map.of(
          ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap, ProducerConfig.ACKS_CONFIG, "all",
          ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true, ProducerConfig.LINGER_MS_CONFIG, 1);
      final Result raw;
      final double openLoop;
      try (KafkaProducer<String, ArtifactPushed> producer = new KafkaProducer<>(producerConfig, new StringSerializer(),
          Topics.create().artifactEvents().valueSerde().serializer())) {
        final Call send = n -> {
          final ArtifactPushed e = record(n);
          producer.send(new ProducerRecord<>("bench-raw", ArtifactKey.of(e.getArtifact()), e)).get(10, TimeUnit.SECONDS);
          return true;
        };
        run(send, concurrency, Math.max(2, seconds / 3), seq);
        raw = run(send, concurrency, seconds, seq);
        final int n = 200_000;
        final long t0 = System.nanoTime();
        for (int i = 0; i < n; i++) {
          final ArtifactPushed e = record(seq.incrementAndGet());
          producer.send(new ProducerRecord<>("bench-raw", ArtifactKey.of(e.getArtifact()), e));
        }
        producer.flush();
        openLoop = n / ((System.nanoTime() - t0) / 1e9);
      }

      // Ingest: HTTP webhooks, one event each, 2xx only after the ack.
      final IngestConfig config = IngestConfig.fromEnv(Map.of(
          "SIGSTREAM_INGEST_TOPIC", "bench-ingest",
          "SIGSTREAM_INGEST_SOURCE_LOCAL_SECRET", AUTH,
          "SIGSTREAM_INGEST_SOURCE_LOCAL_REGISTRIES", "127.0.0.1:5000"));
      final Result ingest;
      final Result bare;
      try (IngestService service = IngestService.start(config, bootstrap, new SimpleMeterRegistry()).serve("127.0.0.1", 0)) {
        final long wait = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (!service.ready() && System.nanoTime() < wait) {
          Thread.sleep(50);
        }
        final int port = service.port();
        final ThreadLocal<KeepAliveClient> clients = ThreadLocal.withInitial(() -> new KeepAliveClient("127.0.0.1", port));
        final String[] headers = {"Content-Type", V1, "Authorization", AUTH};
        final Call post = n -> clients.get().send("POST", "/v1/events/local", headers,
            webhook(n).getBytes(java.nio.charset.StandardCharsets.UTF_8)) == 200;
        final Call get = n -> clients.get().send("GET", "/healthz", new String[0], new byte[0]) == 200;
        run(get, concurrency, 2, seq);
        bare = run(get, concurrency, Math.max(2, seconds / 2), seq);
        run(post, concurrency, Math.max(2, seconds / 3), seq);
        ingest = run(post, concurrency, seconds, seq);
      }

      System.out.printf(Locale.ROOT, "%nIngest load, %d s, %d concurrent callers, acks=all idempotent, embedded KRaft broker, %d cores%n",
          seconds, concurrency, Runtime.getRuntime().availableProcessors());
      System.out.printf(Locale.ROOT, "%-44s %12s %10s %10s %8s%n", "", "per second", "p50 ms", "p99 ms", "failed");
      System.out.printf(Locale.ROOT, "%-44s %12.0f %10.2f %10.2f %8d%n", "webhooks accepted (HTTP -> 2xx after ack)",
          ingest.rate(), ingest.percentileMillis(50), ingest.percentileMillis(99), ingest.failed());
      System.out.printf(Locale.ROOT, "%-44s %12.0f %10.2f %10.2f %8d%n", "raw producer, same callers, send().get()",
          raw.rate(), raw.percentileMillis(50), raw.percentileMillis(99), raw.failed());
      System.out.printf(Locale.ROOT, "%-44s %12.0f%n", "raw producer, open loop (send all, flush)", openLoop);
      System.out.printf(Locale.ROOT, "%-44s %12.0f %10.2f %10.2f %8d%n", "bare HTTP GET /healthz, same server+client",
          bare.rate(), bare.percentileMillis(50), bare.percentileMillis(99), bare.failed());
      System.out.printf(Locale.ROOT, "ratio webhooks / raw same-callers: %.2f   webhooks / raw open-loop: %.2f%n",
          ingest.rate() / raw.rate(), ingest.rate() / openLoop);
      System.out.printf(Locale.ROOT, "goals: >= 5000 webhooks/s, p99 < 50 ms, ratio >= 0.5%n");
    }
  }

  static Result run(final Call call, final int concurrency, final int seconds, final AtomicLong seq) throws InterruptedException {
    final long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
    final AtomicLong ok = new AtomicLong();
    final AtomicLong failed = new AtomicLong();
    final List<long[]> perThread = new ArrayList<>();
    final int[] counts = new int[concurrency];
    final CountDownLatch done = new CountDownLatch(concurrency);
    final long t0 = System.nanoTime();
    for (int t = 0; t < concurrency; t++) {
      final long[] lat = new long[2_000_000 / concurrency + 1];
      perThread.add(lat);
      final int idx = t;
      final Thread th = new Thread(() -> {
        int k = 0;
        try {
          while (System.nanoTime() < end) {
            final long n = seq.incrementAndGet();
            final long s = System.nanoTime();
            boolean success;
            try {
              success = call.run(n);
            } catch (Exception e) {
              success = false;
            }
            if (success) {
              ok.incrementAndGet();
              if (k < lat.length) {
                lat[k++] = System.nanoTime() - s;
              }
            } else {
              failed.incrementAndGet();
            }
          }
        } finally {
          counts[idx] = k;
          done.countDown();
        }
      }, "load-" + t);
      th.start();
    }
    done.await();
    final double took = (System.nanoTime() - t0) / 1e9;
    int total = 0;
    for (final int c : counts) {
      total += c;
    }
    final long[] all = new long[total];
    int at = 0;
    for (int t = 0; t < concurrency; t++) {
      System.arraycopy(perThread.get(t), 0, all, at, counts[t]);
      at += counts[t];
    }
    Arrays.sort(all);
    return new Result(ok.get(), failed.get(), took, all);
  }

  static ArtifactPushed record(final long n) {
    final Instant now = Instant.now();
    return ArtifactPushed.newBuilder().setEventId("distribution:bench-" + n).setSource("distribution")
        .setArtifact(ArtifactRef.newBuilder().setRegistry("127.0.0.1:5000").setRepository("bench/app")
            .setDigest("sha256:" + String.format("%064x", n)).setTag("v1").setMediaType("application/vnd.oci.image.manifest.v1+json")
            .setSize(394L).build())
        .setOccurredAt(now).setReceivedAt(now).setActor(null)
        .setAttributes(Map.of("mediaType", "application/vnd.oci.image.manifest.v1+json", "requestId", "req-" + n)).build();
  }

  static String webhook(final long n) {
    return "{\"events\":[{\"id\":\"bench-" + n + "\",\"timestamp\":\"2026-01-01T00:00:00Z\",\"action\":\"push\","
        + "\"target\":{\"mediaType\":\"application/vnd.oci.image.manifest.v1+json\",\"size\":394,\"digest\":\"sha256:"
        + String.format("%064x", n) + "\",\"repository\":\"bench/app\",\"tag\":\"v1\"},"
        + "\"request\":{\"id\":\"req-" + n + "\",\"host\":\"127.0.0.1:5000\",\"method\":\"PUT\",\"useragent\":\"bench\"}}]}";
  }
}
