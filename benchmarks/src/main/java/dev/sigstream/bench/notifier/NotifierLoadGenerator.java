package dev.sigstream.bench.notifier;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import dev.sigstream.kafka.embedded.EmbeddedKafkaBroker;
import dev.sigstream.notifier.NotifierConfig;
import dev.sigstream.notifier.NotifierService;
import dev.sigstream.notifier.channel.Http;
import dev.sigstream.notifier.channel.Render;
import dev.sigstream.notifier.channel.slack.SlackBlocks;
import dev.sigstream.notifier.route.Lifecycle;
import dev.sigstream.notifier.route.LifecyclePolicy;
import dev.sigstream.notifier.route.Notification;
import dev.sigstream.notifier.route.Router;
import dev.sigstream.notifier.route.RoutingConfig;
import dev.sigstream.notifier.route.Step;
import dev.sigstream.notifier.route.VerdictView;
import dev.sigstream.notifier.template.Markup;
import dev.sigstream.schemas.AvroSerde;
import dev.sigstream.schemas.avro.AppliedPolicy;
import dev.sigstream.schemas.avro.ArtifactClass;
import dev.sigstream.schemas.avro.ArtifactRef;
import dev.sigstream.schemas.avro.Outcome;
import dev.sigstream.schemas.avro.ReasonCode;
import dev.sigstream.schemas.avro.ReferrersSummary;
import dev.sigstream.schemas.avro.SignatureResult;
import dev.sigstream.schemas.avro.Verdict;
import dev.sigstream.schemas.avro.VerificationLevel;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * Notifier load generator, two figures, each beside a same-run baseline:
 *
 * <ol>
 *   <li><b>Router throughput</b>: notifications/s through decode, routing, lifecycle and rendering (Slack Block Kit,
 *       serialised) to an in-memory sink; baseline: decoding alone (the cost any consumer pays), as a ratio.
 *   <li><b>Verdict-to-delivery delay</b> through the real pipeline (in-JVM KRaft broker, NotifierService, signed
 *       webhooks to a local HTTP sink, no rate limit): p50/p99 of the fast destination alone (baseline), then again
 *       with a second destination that takes 2 s per request; the ratio shows whether the slow one leaks into the fast
 *       one's delay.
 * </ol>
 *
 * <p>Run: {@code java -cp benchmarks/target/benchmarks.jar dev.sigstream.bench.notifier.NotifierLoadGenerator
 * [verdicts] [perSecond]}.
 */
public final class NotifierLoadGenerator {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String SECRET = "whsec_" + java.util.Base64.getEncoder().encodeToString("sigstream-benchmark-webhook-key!".getBytes(java.nio.charset.StandardCharsets.US_ASCII));

  private NotifierLoadGenerator() {}

  public static void main(final String[] args) throws Exception {
    final int n = args.length > 0 ? Integer.parseInt(args[0]) : 1000;
    final int rate = args.length > 1 ? Integer.parseInt(args[1]) : 100;
    routerThroughput();
    endToEnd(n, rate);
    System.exit(0);
  }

  static Verdict verdict(final int i) {
    return Verdict.newBuilder()
        .setEventId("ev-" + i + "-" + System.nanoTime())
        .setArtifact(ArtifactRef.newBuilder().setRegistry("registry.example.com").setRepository("team-" + (i % 50) + "/app-" + i)
            .setDigest(String.format(Locale.ROOT, "sha256:%064x", i)).setTag("v1").build())
        .setArtifactClass(ArtifactClass.CONTAINER_IMAGE)
        .setOutcome(Outcome.FAIL)
        .setReasonCode(i % 3 == 0 ? ReasonCode.CERT_REVOKED : ReasonCode.NO_SIGNATURE)
        .setDetail("benchmark failure " + i)
        .setPolicy(AppliedPolicy.newBuilder().setStatement("prod").setLevel(VerificationLevel.STRICT).build())
        .setSignatures(List.of(SignatureResult.newBuilder().setSignerSubject("CN=release,O=Example").setVerified(false).build()))
        .setReferrers(ReferrersSummary.newBuilder().build())
        .setDecidedAt(Instant.now())
        .setVerifierVersion("bench")
        .build();
  }

  static VerdictView view(final Verdict v) {
    final var a = v.getArtifact();
    return new VerdictView(a.getRegistry() + "/" + a.getRepository() + "@" + a.getDigest(), v.getEventId(), a.getRegistry(), a.getRepository(),
        Optional.ofNullable(a.getDigest()), Optional.ofNullable(a.getTag()), v.getArtifactClass().name(),
        VerdictView.Outcome.valueOf(v.getOutcome().name()), v.getReasonCode().name(), v.getDetail(),
        Optional.ofNullable(v.getPolicy()).map(AppliedPolicy::getStatement),
        Optional.ofNullable(v.getSignatures().get(0).getSignerSubject()), v.getDecidedAt());
  }

  private static void routerThroughput() throws Exception {
    final AvroSerde<Verdict> serde = AvroSerde.of(Verdict.class);
    final List<byte[]> encoded = new ArrayList<>();
    for (int i = 0; i < 2000; i++) {
      encoded.add(serde.serializer().serialize("verdicts.v1", verdict(i)));
    }
    final RoutingConfig cfg = RoutingConfig.parse("""
        destinations:
          slack: {type: slack-webhook, url: "env:U"}
          pd: {type: pagerduty, routingKey: "env:U"}
        rules:
          - {name: revoked, match: {reasonCodes: [CERT_REVOKED], repository: "registry.example.com/team-1*/**"}, destinations: [pd], continue: true}
          - {name: prod, match: {outcomes: [FAIL, ERROR], policies: [prod]}, destinations: [{name: slack, minSeverity: ERROR}]}
        """, Map.of("U", "https://hooks.slack.com/services/T/B/X"));
    final Router router = new Router(cfg.rules());
    final Render render = new Render("https://sigstream.example.com/api/verdicts/", Optional.empty());
    final LifecyclePolicy policy = LifecyclePolicy.defaults();
    final int ops = 400_000;
    long sink = 0;
    double oursRate = 0;
    double baseRate = 0;
    for (int round = 0; round < 4; round++) {
      long t0 = System.nanoTime();
      for (int i = 0; i < ops; i++) {
        sink += serde.deserializer().deserialize("verdicts.v1", encoded.get(i % encoded.size())).getDetail().length();
      }
      final double base = ops / ((System.nanoTime() - t0) / 1e9);
      t0 = System.nanoTime();
      long notifications = 0;
      for (int i = 0; i < ops; i++) {
        final VerdictView v = view(serde.deserializer().deserialize("verdicts.v1", encoded.get(i % encoded.size())));
        for (final Notification n : router.route(v)) {
          for (final Step s : Lifecycle.decide(Optional.empty(), v, Optional.of(n), n.destination(), policy, Instant.EPOCH)) {
            final var msg = Http.JSON.createObjectNode().put("text", render.title(s, Markup.SLACK));
            msg.set("blocks", SlackBlocks.blocks(s, render));
            sink += Http.JSON.writeValueAsBytes(msg).length;
            notifications++;
          }
        }
      }
      final double secs = (System.nanoTime() - t0) / 1e9;
      if (round > 0) {
        // Round 0 is warm-up.
        oursRate = Math.max(oursRate, notifications / secs);
        baseRate = Math.max(baseRate, base);
        System.out.printf(Locale.ROOT, "  round %d: router %,.0f notifications/s (%,.0f verdicts/s), decode-only baseline %,.0f verdicts/s%n",
            round, notifications / secs, ops / secs, base);
      }
    }
    System.out.printf(Locale.ROOT, "ROUTER: %,.0f notifications/s decoded+routed+rendered to a sink; decode-only %,.0f/s; ratio %.2f (sink %d)%n",
        oursRate, baseRate, oursRate / baseRate, sink % 10);
  }

  /** A local HTTP sink: records arrival per event id, optionally sleeping before it answers. */
  private static final class Sink implements AutoCloseable {
    final HttpServer server;
    final Map<String, Long> arrived = new ConcurrentHashMap<>();

    Sink(final long delayMillis) throws Exception {
      server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
      server.setExecutor(Executors.newFixedThreadPool(4));
      server.createContext("/", ex -> {
        try (InputStream in = ex.getRequestBody()) {
          final JsonNode body = JSON.readTree(in.readAllBytes());
          arrived.putIfAbsent(body.path("data").path("eventId").asText(), System.nanoTime());
          if (delayMillis > 0) {
            Thread.sleep(delayMillis);
          }
          ex.sendResponseHeaders(204, -1);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        } finally {
          ex.close();
        }
      });
      server.start();
    }

    String url() {
      return "http://127.0.0.1:" + server.getAddress().getPort() + "/";
    }

    @Override
    public void close() {
      server.stop(0);
    }
  }

  private static void endToEnd(final int n, final int rate) throws Exception {
    final Path dir = Files.createTempDirectory("notifier-bench");
    try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.builder().dataDir(dir.resolve("kafka")).build().start();
        Sink fast = new Sink(0);
        Sink slow = new Sink(2000)) {
      // Warm-up (JIT, broker, first group joins), discarded.
      run(broker.bootstrapServers(), dir, "warmup", Math.min(n, 300), rate, fast, null);
      fast.arrived.clear();
      final long[] alone = run(broker.bootstrapServers(), dir, "alone", n, rate, fast, null);
      fast.arrived.clear();
      final long[] withSlow = run(broker.bootstrapServers(), dir, "with-slow", n, rate, fast, slow);
      System.out.printf(Locale.ROOT, "E2E: %d verdicts at %d/s, webhook to a local sink, no rate limit%n", n, rate);
      System.out.printf(Locale.ROOT, "  fast alone (baseline):        p50 %4d ms  p99 %4d ms  max %4d ms%n", alone[0], alone[1], alone[2]);
      System.out.printf(Locale.ROOT, "  fast beside a 2 s/request one: p50 %4d ms  p99 %4d ms  max %4d ms  (slow one delivered %d of %d meanwhile)%n",
          withSlow[0], withSlow[1], withSlow[2], withSlow[3], n);
      System.out.printf(Locale.ROOT, "E2E p99 ratio (with slow / alone): %.2f; goal p99 < 1000 ms: %s%n", (double) withSlow[1] / Math.max(1, alone[1]),
          alone[1] < 1000 && withSlow[1] < 1000 ? "met" : "NOT met");
    }
  }

  /** Returns p50, p99, max (ms) of the fast destination, and how many the slow one had received by then. */
  private static long[] run(final String bootstrap, final Path dir, final String name, final int n, final int rate, final Sink fast, final Sink slow)
      throws Exception {
    final String topic = "verdicts-" + name;
    try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap))) {
      admin.createTopics(List.of(new NewTopic(topic, 3, (short) 1), new NewTopic("dlq-" + name, 1, (short) 1))).all().get();
    }
    final String yaml = """
        destinations:
          fast: {type: webhook, url: "%s", secret: "env:WH", ratePerSecond: 0}
        %s
        rules: [{name: all, destinations: [fast%s]}]
        """.formatted(fast.url(), slow == null ? "" : "  slow: {type: webhook, url: \"" + slow.url() + "\", secret: \"env:WH\", ratePerSecond: 0, timeout: 10s}",
        slow == null ? "" : ", slow");
    final NotifierConfig cfg = new NotifierConfig(RoutingConfig.parse(yaml, Map.of("WH", SECRET)), "bench-" + name, topic, "dlq-" + name,
        dir.resolve("state-" + name));
    final Map<String, Long> sent = new ConcurrentHashMap<>();
    try (NotifierService svc = NotifierService.start(cfg, bootstrap, new SimpleMeterRegistry());
        KafkaProducer<String, byte[]> p = new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap, ProducerConfig.LINGER_MS_CONFIG, 0),
            new StringSerializer(), new ByteArraySerializer())) {
      final AvroSerde<Verdict> serde = AvroSerde.of(Verdict.class);
      // Wait until the destinations have joined, so the figure is steady-state delay, not start-up.
      final long ready = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
      while (!svc.running() && System.nanoTime() < ready) {
        Thread.sleep(100);
      }
      // A probe: the figure is steady-state delay, not partition assignment and start-up.
      final Verdict probe = verdict(1_000_000 + name.length());
      p.send(new ProducerRecord<>(topic, "probe-" + name, serde.serializer().serialize(topic, probe))).get();
      while (!fast.arrived.containsKey(probe.getEventId()) && System.nanoTime() < ready) {
        Thread.sleep(20);
      }
      final long intervalNanos = 1_000_000_000L / rate;
      final long start = System.nanoTime();
      for (int i = 0; i < n; i++) {
        final long due = start + i * intervalNanos;
        while (System.nanoTime() < due) {
          Thread.onSpinWait();
        }
        final Verdict v = verdict(i);
        sent.put(v.getEventId(), System.nanoTime());
        p.send(new ProducerRecord<>(topic, v.getArtifact().getRegistry() + "/" + v.getArtifact().getRepository() + "@" + v.getArtifact().getDigest(),
            serde.serializer().serialize(topic, v)));
      }
      p.flush();
      final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
      while (!fast.arrived.keySet().containsAll(sent.keySet()) && System.nanoTime() < deadline) {
        Thread.sleep(50);
      }
      final long slowCount = slow == null ? 0 : sent.keySet().stream().filter(slow.arrived::containsKey).count();
      final long[] delays = sent.entrySet().stream().mapToLong(e -> {
        final Long at = fast.arrived.get(e.getKey());
        return at == null ? Long.MAX_VALUE / 2 : TimeUnit.NANOSECONDS.toMillis(at - e.getValue());
      }).sorted().toArray();
      final long missing = sent.keySet().stream().filter(k -> !fast.arrived.containsKey(k)).count();
      if (missing > 0) {
        System.out.printf(Locale.ROOT, "  WARNING: %s: %d of %d not delivered to the fast sink%n", name, missing, n);
      }
      return new long[] {delays[delays.length / 2], delays[(int) Math.ceil(delays.length * 0.99) - 1], delays[delays.length - 1], slowCount};
    }
  }
}
