package dev.sigstream.bench.core;

import dev.sigstream.bench.JvmFigures;
import dev.sigstream.bench.BrokerProcess;
import dev.sigstream.oci.Digest;
import dev.sigstream.schemas.Topics;
import dev.sigstream.schemas.avro.ArtifactPushed;
import dev.sigstream.schemas.avro.ArtifactRef;
import dev.sigstream.verifier.VerifierService;
import dev.sigstream.verifier.api.VerdictApi;
import dev.sigstream.verifier.core.ArtifactReport;
import dev.sigstream.verifier.core.Reason;
import dev.sigstream.verifier.topology.ArtifactCheck;
import dev.sigstream.verifier.topology.StreamPolicy;
import io.javalin.Javalin;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * Load generator for Gatekeeper admission: known digests answered from the verdict index of a running verifier
 * service (interactive queries on its global store, as in production), at a steady request rate, over HTTP. Beside
 * it, in the same run and the same server, an endpoint that answers a fixed ProviderResponse of the same shape: the
 * HTTP floor. Reports p50/p99 of both and the p99 ratio.
 *
 * <p>Run: {@code java -cp benchmarks/target/benchmarks.jar dev.sigstream.bench.core.AdmissionLoadGenerator
 * [rate=1000] [seconds=10] [knownDigests=1000] [warmupCapSeconds=180] [--in-process] [--broker-in-process]}. The
 * load comes from a JVM of its own on the same cores, as Gatekeeper's requests come from another process;
 * {@code --in-process} sends it from threads in the server's JVM instead (whose GC pauses and JIT then count against
 * the server). The broker also runs in a JVM of its own, as a verifier's pod talks to a Kafka cluster
 * ({@link BrokerProcess}); {@code --broker-in-process} puts it in the server's JVM, the layout of {@code sigstream
 * run}.
 */
public final class AdmissionLoadGenerator {

  private static final String REGISTRY = "registry.bench";
  private static final String REPO = "team/app";

  private AdmissionLoadGenerator() {}

  public static void main(final String[] arguments) throws Exception {
    dev.sigstream.net.CommonPool.ensureParallelism(); // as the application does
    if (arguments.length > 0 && "client".equals(arguments[0])) {
      client(arguments);
      return;
    }
    final boolean inProcess = List.of(arguments).contains("--in-process");
    final boolean brokerInProcess = List.of(arguments).contains("--broker-in-process");
    final String[] args = java.util.Arrays.stream(arguments).filter(a -> !a.startsWith("--")).toArray(String[]::new);
    final int rate = args.length > 0 ? Integer.parseInt(args[0]) : 1000;
    final int seconds = args.length > 1 ? Integer.parseInt(args[1]) : 10;
    final int known = args.length > 2 ? Integer.parseInt(args[2]) : 1000;
    // Warm-up cap in seconds: warm-up rounds go on until the JIT is quiet, at most this long.
    final int warmup = args.length > 3 ? Integer.parseInt(args[3]) : 180;
    ((ch.qos.logback.classic.Logger) org.slf4j.LoggerFactory.getLogger("dev.sigstream"))
        .setLevel(ch.qos.logback.classic.Level.WARN);
    // Admission reads verdicts; how they were decided does not matter here.
    final ArtifactCheck pass = ref -> CompletableFuture.completedFuture(new ArtifactCheck.Decided(new ArtifactReport(
        new ArtifactReport.ArtifactId(ref.registry(), ref.repository(), ref.digest().toString(), null, null, null),
        null, null, ArtifactReport.Outcome.PASS, Reason.OK, "bench", List.of(), null, List.of(), null, Instant.now())));
    try (BrokerProcess broker = BrokerProcess.start(brokerInProcess)) {
      final Topics topics = Topics.withPrefix("admission-" + Long.toHexString(System.nanoTime()) + ".", 3);
      topics.createMissing(broker.bootstrapServers(), Optional.empty());
      final List<String> keys = new ArrayList<>();
      try (VerifierService service = VerifierService.start(new VerifierService.Settings("bench-admission-"
          + UUID.randomUUID(), Files.createTempDirectory("sigstream-bench-state"), topics, StreamPolicy.DEFAULTS, 1,
          "bench"), pass, broker.bootstrapServers(), new SimpleMeterRegistry());
          KafkaProducer<String, ArtifactPushed> producer = producer(broker.bootstrapServers(), topics)) {
        for (int i = 0; i < known; i++) {
          final String digest = Digest.sha256(("admission-" + i).getBytes(StandardCharsets.UTF_8)).toString();
          final String key = REGISTRY + "/" + REPO + "@" + digest;
          keys.add(key);
          producer.send(new ProducerRecord<>(topics.artifactEvents().name(), key, event(digest)));
        }
        producer.flush();
        final long end = System.nanoTime() + TimeUnit.MINUTES.toNanos(2);
        while (keys.stream().anyMatch(k -> service.verdict(k).isEmpty())) {
          if (System.nanoTime() > end) {
            throw new IllegalStateException("the verdict index did not fill");
          }
          Thread.sleep(50);
        }
        final String fixed = response(keys.get(0));
        final Javalin http = Javalin.create(c -> {
          new VerdictApi(service).routes(c);
          // The floor is served as admission is: a Jetty handler in front of Javalin that reads the body and writes
          // a fixed ProviderResponse of the same shape.
          c.jetty.modifyServer(server -> server.insertHandler(new FixedAnswer("/baseline", fixed)));
          c.startup.showJavalinBanner = false;
        }).start("127.0.0.1", 0);
        try {
          final int port = http.port();
          final java.nio.file.Path keyFile = Files.createTempFile("sigstream-admission-keys", ".txt");
          Files.write(keyFile, keys);
          // Warm-up of both paths (JIT, connections) in 5 s rounds until this JVM's JIT is quiet (at most 5% of a
          // round's wall time) or the warm-up cap is reached, then the measured runs, all from one client.
          final Phase floor;
          final Phase admission;
          long warmJit = 0;
          int warmRounds = 0;
          try (Driver client = new Driver(inProcess, port, keyFile, rate, broker)) {
            final long warmEnd = System.nanoTime() + TimeUnit.SECONDS.toNanos(warmup);
            do {
              final Phase f = client.phase("/baseline", 5);
              final Phase a = client.phase("/v1/admission/gatekeeper", 5);
              warmJit = f.server().jitMillis() + a.server().jitMillis();
              warmRounds++;
            } while (warmRounds < 2 || (warmJit > 500 && System.nanoTime() < warmEnd));
            floor = client.phase("/baseline", seconds);
            admission = client.phase("/v1/admission/gatekeeper", seconds);
          }
          Files.deleteIfExists(keyFile);
          System.out.printf(Locale.ROOT, "%d known digests in the index; %d requests/s for %d s, one key each, after %d s"
              + " of warm-up (%s; JIT in its last 10 s: %d ms)%n", known, rate, seconds, warmRounds * 10,
              warmJit > 500 ? "CAP REACHED, JIT not quiet" : "until the JIT was quiet", warmJit);
          System.out.printf(Locale.ROOT, "load client: %s; %d keep-alive connections, requests on a fixed schedule,"
              + " latency from each request's due time%n", inProcess ? "threads in the server's JVM (--in-process)"
              : "a separate JVM on the same cores (Gatekeeper's side)", CONNECTIONS);
          System.out.printf(Locale.ROOT, "Kafka broker: %s%n", broker.describe());
          System.out.printf(Locale.ROOT, "%-32s p50 %6.2f ms   p99 %6.2f ms   max %6.2f ms   server: %s%n",
              "HTTP floor (fixed response)", pct(floor.latencies(), 0.5), pct(floor.latencies(), 0.99),
              pct(floor.latencies(), 1), floor.server().describe(floor.latencies().length) + floor.describeBroker());
          System.out.printf(Locale.ROOT, "%-32s p50 %6.2f ms   p99 %6.2f ms   max %6.2f ms   server: %s%n",
              "admission (verdict index)", pct(admission.latencies(), 0.5), pct(admission.latencies(), 0.99),
              pct(admission.latencies(), 1), admission.server().describe(admission.latencies().length)
              + admission.describeBroker());
          System.out.printf(Locale.ROOT, "  server, floor:     %s%n  server, admission: %s%n", floor.byThread(),
              admission.byThread());
          System.out.printf(Locale.ROOT, "p99 ratio admission / floor %.2f (goal: admission p99 < 5 ms)%n",
              pct(admission.latencies(), 0.99) / pct(floor.latencies(), 0.99));
          final Runtime rt = Runtime.getRuntime();
          System.out.printf(Locale.ROOT, "heap in use at the end: %d MiB%n", (rt.totalMemory() - rt.freeMemory()) >> 20);
        } finally {
          http.stop();
        }
      }
    }
  }

  /** Answers {@code POST path} with fixed JSON after reading the body, on Jetty's core API like admission. */
  private static final class FixedAnswer extends org.eclipse.jetty.server.Handler.Wrapper {
    private final String path;
    private final byte[] answer;

    FixedAnswer(final String path, final String answer) {
      this.path = path;
      this.answer = answer.getBytes(StandardCharsets.UTF_8);
    }

    @Override
    public boolean handle(final org.eclipse.jetty.server.Request request, final org.eclipse.jetty.server.Response
        response, final org.eclipse.jetty.util.Callback callback) throws Exception {
      if (!"POST".equals(request.getMethod()) || !path.equals(org.eclipse.jetty.server.Request.getPathInContext(
          request))) {
        return super.handle(request, response, callback);
      }
      try (java.io.InputStream in = org.eclipse.jetty.server.Request.asInputStream(request)) {
        in.readNBytes(256 * 1024 + 1);
      }
      response.setStatus(200);
      response.getHeaders().put(org.eclipse.jetty.http.HttpHeader.CONTENT_TYPE, "application/json");
      response.getHeaders().put(org.eclipse.jetty.http.HttpHeader.CONTENT_LENGTH, (long) answer.length);
      response.write(true, java.nio.ByteBuffer.wrap(answer), callback);
      return true;
    }
  }

  /** One measured phase: the latencies (ns, sorted) and what it cost the server's JVM. */
  private record Phase(long[] latencies, JvmFigures server, long brokerCpuNanos, String byThread) {
    String describeBroker() {
      return brokerCpuNanos == 0 ? "" : String.format(Locale.ROOT, "; broker's JVM: CPU %.2f ms/op",
          brokerCpuNanos / 1e6 / Math.max(1, latencies.length));
    }
  }

  /**
   * The load client, steered phase by phase: threads in this JVM ({@code --in-process}) or a JVM of its own, as
   * Gatekeeper is (its allocation, GC pauses and JIT are then not the server's). Each phase records what it cost
   * this (the server's) JVM.
   */
  private static final class Driver implements AutoCloseable {
    private final boolean inProcess;
    private final int port;
    private final List<String> keys;
    private final int rate;
    private final BrokerProcess broker;
    private final Process process;
    private final java.io.BufferedReader out;
    private final java.io.PrintStream in;

    Driver(final boolean inProcess, final int port, final java.nio.file.Path keyFile, final int rate,
        final BrokerProcess broker) throws IOException {
      this.inProcess = inProcess;
      this.broker = broker;
      this.port = port;
      this.keys = Files.readAllLines(keyFile);
      this.rate = rate;
      if (inProcess) {
        process = null;
        out = null;
        in = null;
        return;
      }
      final String javaCommand = ProcessHandle.current().info().command().orElse("java");
      process = new ProcessBuilder(javaCommand, "-Xmx128m", "-XX:+UseSerialGC",
          "-Dsigstream.bench.stalls=" + Boolean.getBoolean("sigstream.bench.stalls"), "-cp",
          System.getProperty("java.class.path"), AdmissionLoadGenerator.class.getName(), "client",
          Integer.toString(port), keyFile.toString(), Integer.toString(rate))
          .redirectError(ProcessBuilder.Redirect.INHERIT).start();
      out = new java.io.BufferedReader(new java.io.InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
      in = new java.io.PrintStream(process.getOutputStream(), true, StandardCharsets.UTF_8);
    }

    Phase phase(final String path, final int seconds) throws Exception {
      if (inProcess) {
        final JvmFigures start = JvmFigures.now();
        final dev.sigstream.bench.ThreadCpu threads = dev.sigstream.bench.ThreadCpu.now();
        final long b0 = broker.cpuNanos();
        final long[] lat = run(port, path, keys, rate, seconds);
        return new Phase(lat, JvmFigures.since(start), broker.cpuNanos() - b0,
            threads.since(lat.length, dev.sigstream.bench.ThreadCpu::verifierGroups));
      }
      in.println(path + ":" + seconds);
      if (!"begin".equals(out.readLine())) {
        throw new IllegalStateException("the load client failed");
      }
      final JvmFigures start = JvmFigures.now();
      final dev.sigstream.bench.ThreadCpu threads = dev.sigstream.bench.ThreadCpu.now();
      final long b0 = broker.cpuNanos();
      final String line = out.readLine();
      if (line == null || line.isBlank()) {
        throw new IllegalStateException("the load client failed");
      }
      final long[] lat = java.util.Arrays.stream(line.trim().split(" ")).mapToLong(Long::parseLong).toArray();
      return new Phase(lat, JvmFigures.since(start), broker.cpuNanos() - b0,
          threads.since(lat.length, dev.sigstream.bench.ThreadCpu::verifierGroups));
    }

    @Override
    public void close() throws InterruptedException {
      if (process != null) {
        in.close();
        process.waitFor(30, TimeUnit.SECONDS);
        process.destroy();
      }
    }
  }

  /**
   * Diagnosis ({@code -Dsigstream.bench.stalls=true}, passed on to the client's JVM): requests slower than 5 ms grouped
   * by the 50 ms window they were due in, with the window's wall-clock time, to stderr, to set beside GC and
   * safepoint logs.
   */
  private static void stalls(final String path, final long[] lat, final long start, final long interval) {
    final long wallStart = System.currentTimeMillis() - TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
    final java.util.TreeMap<Long, long[]> windows = new java.util.TreeMap<>();
    for (int i = 0; i < lat.length; i++) {
      if (lat[i] > TimeUnit.MILLISECONDS.toNanos(5)) {
        final long[] w = windows.computeIfAbsent(i * interval / TimeUnit.MILLISECONDS.toNanos(50),
            k -> new long[2]);
        w[0]++;
        w[1] = Math.max(w[1], lat[i]);
      }
    }
    final StringBuilder b = new StringBuilder("stalls " + path + ":");
    windows.forEach((w, c) -> b.append(String.format(Locale.ROOT, " %s n=%d max=%.1fms;",
        java.time.LocalTime.ofInstant(java.time.Instant.ofEpochMilli(wallStart + w * 50), java.time.ZoneOffset.UTC),
        c[0], c[1] / 1e6)));
    System.err.println(b);
  }

  /**
   * The load client's JVM: {@code client port keyFile rate}; reads one phase ({@code path:seconds}) per line from
   * stdin, says "begin", runs it and prints its sorted latencies (ns) on one line, until stdin ends.
   */
  private static void client(final String[] a) throws Exception {
    final List<String> keys = Files.readAllLines(java.nio.file.Path.of(a[2]));
    final int rate = Integer.parseInt(a[3]);
    final java.io.BufferedReader commands = new java.io.BufferedReader(new java.io.InputStreamReader(System.in,
        StandardCharsets.UTF_8));
    for (String c = commands.readLine(); c != null; c = commands.readLine()) {
      final String[] ps = c.split(":");
      System.out.println("begin");
      System.out.flush();
      final long[] lat = run(Integer.parseInt(a[1]), ps[0], keys, rate, Integer.parseInt(ps[1]));
      final StringBuilder b = new StringBuilder(lat.length * 8);
      for (final long l : lat) {
        b.append(l).append(' ');
      }
      System.out.println(b);
      System.out.flush();
    }
  }

  /**
   * Requests on a fixed schedule (request i is due at start + i / rate), sent by a pool of keep-alive connections;
   * each latency counts from the request's due time, so a slow answer that delays the next is charged to it (no
   * coordinated omission). Latencies in ns, sorted.
   */
  private static long[] run(final int port, final String path, final List<String> keys, final int rate,
      final int seconds) throws Exception {
    final int n = rate * seconds;
    final long[] lat = new long[n];
    final long interval = TimeUnit.SECONDS.toNanos(1) / rate;
    final java.util.concurrent.atomic.AtomicInteger next = new java.util.concurrent.atomic.AtomicInteger();
    final java.util.concurrent.atomic.AtomicReference<String> failure = new java.util.concurrent.atomic.AtomicReference<>();
    final long start = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(20);
    final String[] headers = {"Content-Type", "application/json"};
    final List<Thread> workers = new ArrayList<>();
    for (int w = 0; w < CONNECTIONS; w++) {
      final Thread t = new Thread(() -> {
        try (dev.sigstream.bench.ingest.KeepAliveClient c = new dev.sigstream.bench.ingest.KeepAliveClient("127.0.0.1",
            port)) {
          for (int i = next.getAndIncrement(); i < n && failure.get() == null; i = next.getAndIncrement()) {
            final long due = start + i * interval;
            for (long wait = due - System.nanoTime(); wait > 0; wait = due - System.nanoTime()) {
              java.util.concurrent.locks.LockSupport.parkNanos(wait);
            }
            final byte[] body = ("{\"apiVersion\":\"externaldata.gatekeeper.sh/v1beta1\",\"kind\":\"ProviderRequest\","
                + "\"request\":{\"keys\":[\"" + keys.get(i % keys.size()) + "\"]}}").getBytes(StandardCharsets.UTF_8);
            final int status = c.send("POST", path, headers, body);
            lat[i] = System.nanoTime() - due;
            final String answer = new String(c.lastBody(), StandardCharsets.UTF_8);
            if (status != 200 || !answer.contains("\"value\"")) {
              failure.compareAndSet(null, "unexpected answer " + status + ": " + answer);
            }
          }
        } catch (final java.io.IOException e) {
          failure.compareAndSet(null, e.toString());
        }
      }, "admission-load-" + w);
      t.start();
      workers.add(t);
    }
    for (final Thread t : workers) {
      t.join();
    }
    if (failure.get() != null) {
      throw new IllegalStateException(failure.get());
    }
    if (Boolean.getBoolean("sigstream.bench.stalls")) {
      stalls(path, lat, start, interval);
    }
    java.util.Arrays.sort(lat);
    return lat;
  }

  /** Keep-alive connections sending the schedule: enough that one slow answer does not hold the others. */
  private static final int CONNECTIONS = 16;

  private static double pct(final long[] sorted, final double p) {
    return sorted[Math.max(0, Math.min(sorted.length - 1, (int) Math.ceil(p * sorted.length) - 1))] / 1e6;
  }

  private static String response(final String key) {
    return "{\"apiVersion\":\"externaldata.gatekeeper.sh/v1beta1\",\"kind\":\"ProviderResponse\",\"response\":{"
        + "\"idempotent\":true,\"items\":[{\"key\":\"" + key + "\",\"value\":{\"outcome\":\"PASS\"}}]}}";
  }

  private static ArtifactPushed event(final String digest) {
    final Instant now = Instant.now();
    return ArtifactPushed.newBuilder().setEventId(UUID.randomUUID().toString()).setSource("bench")
        .setArtifact(ArtifactRef.newBuilder().setRegistry(REGISTRY).setRepository(REPO).setDigest(digest).setTag(null)
            .setMediaType(null).setSize(null).build())
        .setOccurredAt(now).setReceivedAt(now).setActor(null).setAttributes(new HashMap<>()).build();
  }

  private static KafkaProducer<String, ArtifactPushed> producer(final String bootstrap, final Topics topics) {
    final Properties p = new Properties();
    p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    return new KafkaProducer<>(p, new StringSerializer(), topics.artifactEvents().valueSerde().serializer());
  }
}
