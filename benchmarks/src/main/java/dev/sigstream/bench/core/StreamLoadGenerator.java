package dev.sigstream.bench.core;

import dev.sigstream.bench.BrokerProcess;
import dev.sigstream.bench.JvmFigures;
import dev.sigstream.bench.ThreadCpu;
import dev.sigstream.schemas.Topic;
import dev.sigstream.schemas.Topics;
import dev.sigstream.schemas.avro.ArtifactPushed;
import dev.sigstream.schemas.avro.ArtifactRef;
import dev.sigstream.schemas.avro.Outcome;
import dev.sigstream.schemas.avro.Verdict;
import dev.sigstream.testing.net.TcpProxy;
import dev.sigstream.testing.registry.HostileRegistry;
import dev.sigstream.verifier.VerifierService;
import dev.sigstream.verifier.core.ArtifactVerifier;
import dev.sigstream.verifier.core.VerifierFactory;
import dev.sigstream.verifier.topology.StreamPolicy;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Files;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * Load generator for the verifier service: push events for signed artifacts in a local docker-registry go through
 * a Kafka broker (in a JVM of its own, as in production, {@link BrokerProcess}; {@code --broker-in-process} puts it in
 * this JVM) and the exactly-once topology; a {@code read_committed} consumer counts verdicts. Reports
 * sustained verdicts/s for a burst of events, beside a plain loop in the same run that verifies other artifacts of
 * the same kind through the same verification path with the same concurrency and no Kafka (as a ratio); then
 * event-to-verdict latency p50/p99 at a steady 50 events/s. Every artifact is verified once (no cache or dedupe
 * hits on either side).
 *
 * <p>Run: {@code java -cp benchmarks/target/benchmarks.jar dev.sigstream.bench.core.StreamLoadGenerator
 * [burst=300] [steady=200] [rate=50] [rttMs=0] [registry|replay] [--broker-in-process]}; with {@code rttMs} &gt; 0
 * the registry is reached through a delaying TCP proxy, and the stream is also compared with the in-flight bound (in-flight artifacts
 * / the time one artifact takes alone). With {@code replay}, the registry's answers are recorded once (one verification
 * of every artifact, by a verifier of its own) and replayed from memory ({@link HostileRegistry#replaying}): the
 * docker-registry's own CPU, which in production is on the registry's machines, is then no longer spent on the same
 * 2 cores as the verifier, and the run measures the verifier alone. The run prints how often the registry itself was
 * asked while measuring.
 */
public final class StreamLoadGenerator {

  private StreamLoadGenerator() {}

  public static void main(final String[] args) {
    dev.sigstream.net.CommonPool.ensureParallelism(); // as the application does
    // Exit when done, also after a failure: the service, the broker and the registry front own threads that must
    // not keep a finished (or failed) benchmark's JVM alive and its CPU busy.
    int status = 0;
    try {
      run(args);
    } catch (final Exception e) {
      e.printStackTrace();
      status = 1;
    }
    System.exit(status);
  }

  private static void run(final String[] arguments) throws Exception {
    final boolean brokerInProcess = List.of(arguments).contains("--broker-in-process");
    final String[] args = java.util.Arrays.stream(arguments).filter(a -> !a.startsWith("--")).toArray(String[]::new);
    final int burst = args.length > 0 ? Integer.parseInt(args[0]) : 300;
    final int steady = args.length > 1 ? Integer.parseInt(args[1]) : 200;
    final int rate = args.length > 2 ? Integer.parseInt(args[2]) : 50;
    // Round-trip time added by a delaying TCP proxy in front of the registry (0: the registry on loopback).
    final int rttMs = args.length > 3 ? Integer.parseInt(args[3]) : 0;
    final boolean replay = args.length > 4 && "replay".equals(args[4]);
    // The replaying front is the JDK's HttpServer, which writes headers and body separately: without TCP_NODELAY,
    // Nagle's algorithm and delayed ACKs add some 40 ms to each answer that crosses the delaying proxy. Set before
    // any HttpServer class is loaded (the test PKI's responders use it too).
    System.setProperty("sun.net.httpserver.nodelay", "true");
    // Each round's verifiers open their own connections (64 each); the JDK HttpServer closes a connection right after
    // its answer, without saying so, once it holds 200 idle ones, and the client's next request on it then fails.
    System.setProperty("sun.net.httpserver.maxIdleConnections", "5000");
    if (args.length > 4 && !replay && !"registry".equals(args[4])) {
      throw new IllegalArgumentException("the fifth argument is registry or replay, not " + args[4]);
    }
    // One INFO line per verdict is right for an operator, not for a benchmark's output.
    ((ch.qos.logback.classic.Logger) org.slf4j.LoggerFactory.getLogger("dev.sigstream.verifier"))
        .setLevel(ch.qos.logback.classic.Level.WARN);
    final ExecutorService pool = VerifierFactory.boundedExecutor("bench-verify", 2, 256);
    final long seedStart = System.nanoTime();
    try (SignedRegistry seeded = new SignedRegistry(2 * burst + steady + 20);
        BrokerProcess broker = BrokerProcess.start(brokerInProcess)) {
      System.out.printf(Locale.ROOT, "seeded %d signed artifacts in %.1f s; registry %s (%s), broker %s%n",
          seeded.plans.size(), (System.nanoTime() - seedStart) / 1e9, seeded.registry.host(), seeded.registry.kind(),
          broker.bootstrapServers() + " " + broker.describe());
      final HostileRegistry front = replay ? HostileRegistry.inFrontOf(seeded.registry).replaying() : null;
      host = front == null ? seeded.registry.host() : front.host();
      if (front != null) {
        final long r0 = System.nanoTime();
        final ArtifactVerifier recorder = VerifierFactory.verifier(seeded.settings(pool, host));
        final Semaphore slots = new Semaphore(16);
        final List<CompletableFuture<Boolean>> recorded = new ArrayList<>();
        for (final SignedRegistry.Plan p : seeded.plans) {
          slots.acquire();
          final CompletableFuture<Boolean> f = recorder.verify(at(p), Map.of()).thenApply(r -> r.passed());
          f.whenComplete((ok, e) -> slots.release());
          recorded.add(f);
        }
        if (!recorded.stream().allMatch(CompletableFuture::join)) {
          throw new IllegalStateException("an artifact did not verify while its registry answers were recorded");
        }
        System.out.printf(Locale.ROOT, "recorded the registry's answers for %d artifacts in %.1f s (%d requests);"
            + " from here on they are replayed from memory%n", seeded.plans.size(), (System.nanoTime() - r0) / 1e9,
            front.requests());
      }
      final int askedBefore = front == null ? 0 : front.requests() - front.replayed();
      final TcpProxy proxy = rttMs == 0 ? null
          : new TcpProxy(host, Duration.ofMillis(rttMs).dividedBy(2)).start();
      host = proxy == null ? host : proxy.host();
      final List<SignedRegistry.Plan> loop = seeded.plans.subList(0, burst);
      final List<SignedRegistry.Plan> stream = seeded.plans.subList(burst, 2 * burst);
      final List<SignedRegistry.Plan> paced = seeded.plans.subList(2 * burst, 2 * burst + steady);
      final int inFlight = StreamPolicy.DEFAULTS.maxInFlight();

      // Rounds: each verifies the same artifacts again with a fresh verifier (loop) and a fresh service on fresh
      // topics (stream), so nothing is a cache or dedupe hit, and only the last round is reported: a service runs
      // for days with a warm JIT, and a first burst of a few seconds measures mostly the compiler (on 2 cores the
      // JIT here compiles for a minute or two). Warm-up rounds go on until a round's JIT time is at most a tenth of
      // its wall time, then one more round is measured (at least 2 rounds, at most sigstream.bench.rounds, 12).
      final int maxRounds = Math.max(2, Integer.getInteger("sigstream.bench.rounds", 12));
      boolean warm = false;
      final List<double[]> figures = new ArrayList<>(); // per round: loop, stream, stream / bound
      for (int round = 1; ; round++) {
        final boolean last = warm || round == maxRounds;
        // Baseline: the same path, the same in-flight bound, no Kafka.
        final ArtifactVerifier verifier = VerifierFactory.verifier(seeded.settings(pool, host));
        // Per-artifact time, one at a time (the denominator of the in-flight bound), on artifacts of their own.
        final List<SignedRegistry.Plan> single = seeded.plans.subList(2 * burst + steady, seeded.plans.size());
        final long[] one = new long[single.size()];
        for (int i = 0; i < one.length; i++) {
          final long a = System.nanoTime();
          if (!verifier.verify(at(single.get(i)), Map.of()).join().passed()) {
            throw new IllegalStateException("an artifact did not verify one at a time");
          }
          one[i] = System.nanoTime() - a;
        }
        java.util.Arrays.sort(one);
        final double perArtifactMs = one[one.length / 2] / 1e6;
        final JvmFigures loopStart = JvmFigures.now();
        final ThreadCpu loopThreads = ThreadCpu.now();
        final long loopBroker = broker.cpuNanos();
        final Semaphore slots = new Semaphore(inFlight);
        final List<CompletableFuture<Boolean>> all = new ArrayList<>();
        for (final SignedRegistry.Plan p : loop) {
          slots.acquire();
          final CompletableFuture<Boolean> f = verifier.verify(at(p), Map.of()).thenApply(r -> {
            if (!r.passed()) {
              System.out.printf(Locale.ROOT, "not PASS in the plain loop: %s %s %s%n", r.outcome(), r.reason(),
                  r.detail());
            }
            return r.passed();
          });
          f.whenComplete((ok, e) -> slots.release());
          all.add(f);
        }
        final long passed = all.stream().filter(CompletableFuture::join).count();
        final JvmFigures loopCost = JvmFigures.since(loopStart);
        final String loopByThread = loopThreads.since(burst, ThreadCpu::verifierGroups)
            + brokerCpu(broker, loopBroker, burst);
        final double loopRate = burst / (loopCost.wallNanos() / 1e9);
        if (passed != burst) {
          throw new IllegalStateException((burst - passed) + " artifacts did not verify in the plain loop");
        }

        final Topics topics = Topics.withPrefix("bench-" + Long.toHexString(System.nanoTime()) + ".", 3);
        topics.createMissing(broker.bootstrapServers(), Optional.empty());
        final VerifierService.Settings settings = new VerifierService.Settings("bench-verifier-"
            + UUID.randomUUID(), Files.createTempDirectory("sigstream-bench-state"), topics, StreamPolicy.DEFAULTS,
            Integer.getInteger("sigstream.bench.streamThreads", 1),
            "bench", Duration.ofMillis(Long.getLong("sigstream.bench.commitMs", 25)));
        try (VerifierService service = VerifierService.start(settings, seeded.settings(pool, host),
                Duration.ofMinutes(10), broker.bootstrapServers(), new SimpleMeterRegistry());
            KafkaProducer<String, ArtifactPushed> producer = producer(broker.bootstrapServers(), topics);
            KafkaConsumer<String, Verdict> consumer = consumer(broker.bootstrapServers(), topics.verdicts())) {
          final Map<String, Long> sent = new ConcurrentHashMap<>();
          final Map<String, Long> received = new ConcurrentHashMap<>();
          // Measure from a running application (assignment and transactions initialised).
          awaitRunning(service);
          final JvmFigures streamStart = JvmFigures.now();
          final ThreadCpu streamThreads = ThreadCpu.now();
          final long streamBroker = broker.cpuNanos();
          final long s0 = System.nanoTime();
          for (final SignedRegistry.Plan p : stream) {
            send(producer, topics, p, sent);
          }
          producer.flush();
          drain(consumer, received, stream.size(), Duration.ofMinutes(5));
          final double streamRate = stream.size() / ((lastOf(received) - s0) / 1e9);
          final JvmFigures streamCost = JvmFigures.since(streamStart);
          final String streamByThread = streamThreads.since(stream.size(), ThreadCpu::verifierGroups)
              + brokerCpu(broker, streamBroker, stream.size());
          System.out.printf(Locale.ROOT, "round %d:%s loop from %s, stream from %s (for profiles)%n", round,
              last ? " (reported)" : " (warm-up)", Instant.now().minusNanos(System.nanoTime() - loopStart.wallNanos()),
              Instant.now().minusNanos(System.nanoTime() - s0));
          if (last && proxy != null) {
            System.out.printf(Locale.ROOT, "registry %d ms away: one artifact alone takes %.1f ms (median of %d);"
                + " in-flight bound %d / %.1f ms = %.1f verdicts/s%n", rttMs, perArtifactMs, one.length, inFlight,
                perArtifactMs, inFlight / (perArtifactMs / 1e3));
          }
          System.out.printf(Locale.ROOT, "%-44s %10.1f verdicts/s   this JVM: %s%n", "plain loop (same path, "
              + inFlight + " in flight, no Kafka)", loopRate, loopCost.describe(burst));
          System.out.printf(Locale.ROOT, "%-44s %10.1f verdicts/s   this JVM: %s%n",
              "stream (exactly-once, read_committed)", streamRate, streamCost.describe(stream.size()));
          System.out.printf(Locale.ROOT, "%-44s %10.2f (goal >= 0.6)%n", "ratio stream / loop", streamRate / loopRate);
          if (last) {
            System.out.printf(Locale.ROOT, "  loop:   %s%n  stream: %s%n", loopByThread, streamByThread);
          }
          if (proxy != null) {
            System.out.printf(Locale.ROOT, "%-44s %10.2f (goal >= 0.8; and >= 300 verdicts/s)%n",
                "ratio stream / in-flight bound", streamRate / (inFlight / (perArtifactMs / 1e3)));
          }
          figures.add(new double[] {loopRate, streamRate, streamRate / (inFlight / (perArtifactMs / 1e3))});
          if (last && figures.size() >= 3) {
            // One burst lasts a second or two here, and its rate moves with whatever else the 2 cores do: the median
            // of the last three rounds is the steadier figure.
            final List<double[]> tail = figures.subList(figures.size() - 3, figures.size());
            System.out.printf(Locale.ROOT, "median of the last 3 rounds: loop %.1f, stream %.1f verdicts/s, ratio"
                + " stream / loop %.2f%s%n", median(tail, 0), median(tail, 1), median(tail.stream()
                .map(f -> new double[] {f[1] / f[0]}).toList(), 0), proxy == null ? ""
                : String.format(Locale.ROOT, ", stream / in-flight bound %.2f", median(tail, 2)));
          }
          if (!last) {
            warm = round >= 1 && loopCost.jitMillis() + streamCost.jitMillis()
                <= (loopCost.wallNanos() + streamCost.wallNanos()) / 10_000_000;
            continue;
          }
          System.out.println("(this JVM: stream, registry front and proxy included" + (brokerInProcess ? ", and the"
              + " broker" : "; the broker's JVM is shown apart") + "; CPU/op is CPU time over the phase per verdict;"
              + " JIT ms = compilation during the phase)");

          // Steady rate (50 events/s by default): event-to-verdict latency through the committed output.
          received.clear();
          sent.clear();
          final long interval = TimeUnit.SECONDS.toNanos(1) / rate;
          long next = System.nanoTime();
          for (final SignedRegistry.Plan p : paced) {
            while (System.nanoTime() < next) {
              poll(consumer, received);
            }
            send(producer, topics, p, sent);
            next += interval;
          }
          producer.flush();
          drain(consumer, received, paced.size(), Duration.ofMinutes(2));
          final long[][] stages = sent.keySet().stream().map(STAGES::get).toArray(long[][]::new);
          final long[] lat = sent.entrySet().stream().mapToLong(e -> received.get(e.getKey()) - e.getValue())
              .sorted().toArray();
          System.out.printf(Locale.ROOT, "event-to-verdict at %d events/s (%d events): p50 %.1f ms, p99 %.1f ms"
              + " (goal p99 < 100 ms at 50 events/s)%n", rate, lat.length, pct(lat, 0.50) / 1e6, pct(lat, 0.99) / 1e6);
          // Where the time goes (wall clock, ms): queued and verified, waiting for the tick that forwards the
          // verdict, then the transaction commit and the read_committed consumer.
          System.out.printf(Locale.ROOT, "  p50/p99 ms: event to decided %s, decided to forwarded %s, forwarded to"
              + " consumed %s%n", stage(stages, 0, 1), stage(stages, 1, 2), stage(stages, 2, 3));
          if (front != null) {
            System.out.printf(Locale.ROOT, "replayed: %d requests answered from memory; the registry itself was"
                + " asked %d times while measuring%n", front.replayed(),
                front.requests() - front.replayed() - askedBefore);
            front.close();
          }
          if (proxy != null) {
            proxy.close();
          }
          threadMetrics();
          final Runtime rt = Runtime.getRuntime();
          System.out.printf(Locale.ROOT, "heap in use at the end: %d MiB%n", (rt.totalMemory() - rt.freeMemory()) >> 20);
        }
        break;
      }
    } finally {
      pool.shutdownNow();
    }
  }

  /** The broker JVM's CPU per verdict since {@code start}, when it runs apart. */
  private static String brokerCpu(final BrokerProcess broker, final long start, final int ops) {
    final long used = broker.cpuNanos() - start;
    return used <= 0 ? "" : String.format(Locale.ROOT, "; broker's JVM %.2f", used / 1e6 / ops);
  }

  /** Kafka Streams' own per-thread figures (JMX): where the stream thread's time went. */
  private static void threadMetrics() throws Exception {
    final javax.management.MBeanServer mbs = java.lang.management.ManagementFactory.getPlatformMBeanServer();
    for (final javax.management.ObjectName n : mbs.queryNames(new javax.management.ObjectName(
        "kafka.streams:type=stream-thread-metrics,*"), null)) {
      final StringBuilder b = new StringBuilder("  stream thread " + n.getKeyProperty("thread-id")
          .replaceAll(".*-StreamThread", "StreamThread") + ":");
      for (final String a : List.of("commit-latency-avg", "commit-latency-max", "commit-rate", "poll-latency-avg",
          "process-rate", "punctuate-latency-avg", "punctuate-rate", "commit-ratio", "poll-ratio", "process-ratio",
          "punctuate-ratio", "blocked-time-ns-total")) {
        try {
          b.append(String.format(Locale.ROOT, " %s=%.3f", a, ((Number) mbs.getAttribute(n, a)).doubleValue()));
        } catch (final Exception e) {
          // not published by this version
        }
      }
      System.out.println(b);
    }
  }

  /** The registry host events and verifiers use: the registry itself, or the proxy in front of it. */
  private static volatile String host;

  private static dev.sigstream.oci.Reference at(final SignedRegistry.Plan p) {
    return dev.sigstream.oci.Reference.repository(host, p.ref().repository()).withDigest(p.ref().digest());
  }

  private static void awaitRunning(final VerifierService service) throws InterruptedException {
    final long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (!service.running() && System.nanoTime() < end) {
      Thread.sleep(50);
    }
  }

  private static long lastOf(final Map<String, Long> received) {
    return received.values().stream().mapToLong(Long::longValue).max().orElseThrow();
  }

  private static String stage(final long[][] stages, final int from, final int to) {
    final long[] d = java.util.Arrays.stream(stages).mapToLong(st -> st[to] - st[from]).sorted().toArray();
    return String.format(Locale.ROOT, "%.0f/%.0f", pct(d, 0.5), pct(d, 0.99));
  }

  private static double median(final List<double[]> rows, final int column) {
    final double[] v = rows.stream().mapToDouble(r -> r[column]).sorted().toArray();
    return v.length % 2 == 1 ? v[v.length / 2] : (v[v.length / 2 - 1] + v[v.length / 2]) / 2;
  }

  private static double pct(final long[] sorted, final double p) {
    return sorted[Math.min(sorted.length - 1, (int) Math.ceil(p * sorted.length) - 1)];
  }

  private static void drain(final KafkaConsumer<String, Verdict> c, final Map<String, Long> received, final int n,
      final Duration max) {
    final long end = System.nanoTime() + max.toNanos();
    while (received.size() < n) {
      if (System.nanoTime() > end) {
        throw new IllegalStateException("only " + received.size() + " of " + n + " verdicts arrived");
      }
      poll(c, received);
    }
  }

  /** Per verdict, wall-clock ms: [event sent, verification decided, verdict forwarded, verdict consumed]. */
  private static final Map<String, long[]> STAGES = new ConcurrentHashMap<>();

  private static void poll(final KafkaConsumer<String, Verdict> c, final Map<String, Long> received) {
    for (final ConsumerRecord<String, Verdict> r : c.poll(Duration.ofMillis(1))) {
      final long[] st = STAGES.get(r.key());
      if (st != null && st[3] == 0) {
        st[1] = r.value().getDecidedAt().toEpochMilli();
        st[2] = r.timestamp();
        st[3] = System.currentTimeMillis();
      }
      if (r.value().getOutcome() != Outcome.PASS) {
        throw new IllegalStateException("unexpected verdict " + r.value().getOutcome() + " "
            + r.value().getReasonCode() + " for " + r.key() + ": " + r.value().getDetail());
      }
      received.putIfAbsent(r.key(), System.nanoTime());
    }
  }

  private static void send(final KafkaProducer<String, ArtifactPushed> producer, final Topics topics,
      final SignedRegistry.Plan p, final Map<String, Long> sent) {
    final var ref = at(p);
    final String key = ref.registry() + "/" + ref.repository() + "@" + ref.digest();
    final Instant now = Instant.now();
    sent.put(key, System.nanoTime());
    STAGES.put(key, new long[] {System.currentTimeMillis(), 0, 0, 0});
    producer.send(new ProducerRecord<>(topics.artifactEvents().name(), key, ArtifactPushed.newBuilder()
        .setEventId(UUID.randomUUID().toString()).setSource("bench")
        .setArtifact(ArtifactRef.newBuilder().setRegistry(ref.registry()).setRepository(ref.repository())
            .setDigest(ref.digest().toString()).setTag(null).setMediaType(null).setSize(null).build())
        .setOccurredAt(now).setReceivedAt(now).setActor(null).setAttributes(new HashMap<>()).build()));
  }

  private static KafkaProducer<String, ArtifactPushed> producer(final String bootstrap, final Topics topics) {
    final Properties p = new Properties();
    p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    p.put(ProducerConfig.ACKS_CONFIG, "all");
    p.put(ProducerConfig.LINGER_MS_CONFIG, 0);
    return new KafkaProducer<>(p, new StringSerializer(), topics.artifactEvents().valueSerde().serializer());
  }

  private static KafkaConsumer<String, Verdict> consumer(final String bootstrap, final Topic<String, Verdict> t) {
    final Properties p = new Properties();
    p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    p.put(ConsumerConfig.GROUP_ID_CONFIG, "bench-" + UUID.randomUUID());
    p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    final KafkaConsumer<String, Verdict> c = new KafkaConsumer<>(p, new StringDeserializer(),
        t.valueSerde().deserializer());
    c.subscribe(List.of(t.name()));
    return c;
  }
}
