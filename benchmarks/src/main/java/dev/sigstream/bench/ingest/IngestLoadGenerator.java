package dev.sigstream.bench.ingest;

import dev.sigstream.bench.JvmFigures;
import dev.sigstream.bench.ingest.IngestLoadClient.Reported;
import dev.sigstream.bench.ingest.IngestLoadClient.Result;
import dev.sigstream.bench.ingest.IngestLoadClient.Warmup;
import dev.sigstream.ingest.IngestConfig;
import dev.sigstream.ingest.IngestService;
import dev.sigstream.ingest.publish.KafkaArtifactEventPublisher;
import dev.sigstream.kafka.embedded.EmbeddedKafkaBroker;
import dev.sigstream.schemas.ArtifactKey;
import dev.sigstream.schemas.Topics;
import dev.sigstream.schemas.avro.ArtifactPushed;
import dev.sigstream.schemas.avro.ArtifactRef;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.BufferedReader;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * Load generator: accepted single-event webhooks per second and their latency (p50, p99) through the whole ingest
 * path (HTTP, header auth with the shared secret, Distribution parsing, validation, Avro, idempotent
 * {@code acks=all} produce, 2xx after the ack) on the embedded KRaft broker. Beside it, in the same run and on the
 * same broker, the raw producer rate: the same {@code ArtifactPushed} records sent by a bare producer with exactly
 * ingest's producer settings ({@link KafkaArtifactEventPublisher#producerSettings}) from the same number of
 * concurrent callers, each waiting for its acknowledgement before the next (the shape of a webhook), and the
 * same producer's open-loop rate (send everything, then flush) for scale; the raw producer is measured again at
 * the end of the run and the ratio uses the faster of the two. Also a bare {@code GET /healthz} on the
 * same server and client, the floor of the HTTP stack.
 *
 * <p>The HTTP load runs in a separate JVM ({@link IngestLoadClient}) unless {@code --in-process} is given; the
 * raw-producer callers run in the broker's JVM, where ingest's producer runs too. CPU time per request (process
 * user + system, from the JVM) is printed per process: unlike rates, it changes little when other work shares the
 * cores. After the run the topic's record count is checked against the 2xx answers.
 *
 * <p>{@code --breakdown} adds diagnostic phases on a second server in the same JVM: a webhook-sized POST that only
 * reads the body, and ingest's routes over publishers that acknowledge at once or 2 ms later from another thread
 * (everything but Kafka, with and without the blocking wait).
 *
 * <p>Run: {@code java -cp benchmarks/target/benchmarks.jar dev.sigstream.bench.ingest.IngestLoadGenerator
 * [seconds] [callers] [webhook warm-up cap, seconds] [--fixed-warm-up] [--in-process] [--breakdown] [--jfr=file]}
 * (defaults 10 s, 32 callers, 300 s). The webhook path is much more code for the JIT than a GET or a bare send
 * (Jackson, Avro, Javalin, the broker's side of the traffic); on 2 busy cores it took a minute or more to settle,
 * so the webhooks are warmed up in 5 s windows until compilation in both JVMs stays under 50 ms per second for two
 * windows in a row (at most the cap; {@code --fixed-warm-up} makes the cap a fixed length), and the raw producer's
 * second run by the same rule. The JIT/GC column shows whether a phase was warm. {@code --jfr=file} records the
 * server JVM (JFR "profile" settings) during the webhooks' measured phase.
 */
public final class IngestLoadGenerator {

  private IngestLoadGenerator() {}

  public static void main(final String[] args) throws Exception {
    final List<String> positional = new ArrayList<>();
    boolean inProcess = false;
    boolean breakdown = false;
    boolean fixedWarmup = false;
    Path jfr = null;
    for (final String a : args) {
      if (a.equals("--in-process")) {
        inProcess = true;
      } else if (a.equals("--breakdown")) {
        breakdown = true;
      } else if (a.equals("--fixed-warm-up")) {
        fixedWarmup = true;
      } else if (a.startsWith("--jfr=")) {
        jfr = Path.of(a.substring(6));
      } else {
        positional.add(a);
      }
    }
    final int seconds = positional.size() > 0 ? Integer.parseInt(positional.get(0)) : 10;
    final int concurrency = positional.size() > 1 ? Integer.parseInt(positional.get(1)) : 32;
    final Warmup warmup = new Warmup(positional.size() > 2 ? Integer.parseInt(positional.get(2)) : 300, fixedWarmup);
    final JitSettle settle = new JitSettle(warmup);
    final String loadBefore = loadAverage();
    try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.builder().build().start()) {
      final String bootstrap = broker.bootstrapServers();
      try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap))) {
        admin.createTopics(List.of(new NewTopic("bench-ingest", Optional.of(3), Optional.empty()),
            new NewTopic("bench-raw", Optional.of(3), Optional.empty()))).all().get(30, TimeUnit.SECONDS);
      }
      final AtomicLong seq = new AtomicLong();

      // Baseline: a bare producer with ingest's own settings, same records, same callers, each waiting for its ack.
      final IngestConfig config = IngestConfig.fromEnv(Map.of(
          "SIGSTREAM_INGEST_TOPIC", "bench-ingest",
          "SIGSTREAM_INGEST_SOURCE_LOCAL_SECRET", IngestLoadClient.AUTH,
          "SIGSTREAM_INGEST_SOURCE_LOCAL_REGISTRIES", "127.0.0.1:5000"));
      final Map<String, Object> producerConfig = new HashMap<>(KafkaArtifactEventPublisher.producerSettings(config.produceTimeout()));
      producerConfig.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
      final Result raw;
      final String rawJitGc;
      final double openLoop;
      try (KafkaProducer<String, ArtifactPushed> producer = new KafkaProducer<>(producerConfig, new StringSerializer(),
          Topics.create().artifactEvents().valueSerde().serializer())) {
        final IngestLoadClient.Call send = rawSend(producer);
        IngestLoadClient.run(send, concurrency, seconds, seq);
        final JvmFigures f0 = JvmFigures.now();
        raw = IngestLoadClient.run(send, concurrency, seconds, seq);
        final JvmFigures f = JvmFigures.since(f0);
        rawJitGc = f.jitMillis() + " / " + f.gcMillis();
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
      final Map<String, Reported> http = new HashMap<>();
      final Map<String, Long> serverCpu = new HashMap<>();
      final long accepted;
      try (IngestService service = IngestService.start(config, bootstrap, new SimpleMeterRegistry()).serve("127.0.0.1", 0);
          Breakdown parts = breakdown ? new Breakdown(config) : null) {
        final long wait = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (!service.ready() && System.nanoTime() < wait) {
          Thread.sleep(50);
        }
        final List<String> phases = new ArrayList<>();
        phases.add("get|" + service.port() + "|/healthz");
        if (parts != null) {
          phases.add("post-drain|" + parts.port() + "|/drain");
          phases.add("post-jetty-drain|" + parts.jettyPort() + "|/drain");
          phases.add("post-no-kafka|" + parts.port() + "|/v1/events/local");
          phases.add("post-late-ack|" + parts.latePort() + "|/v1/events/local");
        }
        phases.add("post|" + service.port() + "|/v1/events/local");
        final long first = seq.get() + 1_000_000_000L;
        if (inProcess) {
          final PrintStream out = new PrintStream(new LineTap(http, serverCpu, settle, jfr), true, StandardCharsets.UTF_8);
          accepted = IngestLoadClient.runAll(phases, seconds, warmup, concurrency, new AtomicLong(first), out,
              (phase, warmed, window, jit) -> settle.settled(phase, warmed, window, jit));
        } else {
          accepted = runClientProcess(phases, seconds, warmup, concurrency, first, http, serverCpu, settle, jfr);
        }
      }
      final long onTopic = records(bootstrap, "bench-ingest");

      // The raw producer again, now that the JVM has run the webhooks' warm-up too, itself warmed up by the same
      // rule (until the JIT settles): the ratio uses the faster of the two raw figures, so a JIT still warming up at
      // the start cannot flatter it.
      final Result rawEnd;
      final String rawEndJitGc;
      try (KafkaProducer<String, ArtifactPushed> producer = new KafkaProducer<>(producerConfig, new StringSerializer(),
          Topics.create().artifactEvents().valueSerde().serializer())) {
        final IngestLoadClient.Call send = rawSend(producer);
        settle.start("raw-end");
        // The raw callers run in this JVM: there is no second JVM whose JIT to wait for.
        IngestLoadClient.warmUp(send, concurrency, seq, warmup, (warmed, window, jit) -> settle.settled("raw-end", warmed, window, 0));
        final JvmFigures f0 = JvmFigures.now();
        rawEnd = IngestLoadClient.run(send, concurrency, seconds, seq);
        final JvmFigures f = JvmFigures.since(f0);
        rawEndJitGc = f.jitMillis() + " / " + f.gcMillis();
      }
      final Result rawBest = rawEnd.rate() > raw.rate() ? rawEnd : raw;
      final String loadAfter = loadAverage();

      final Reported ingest = http.get("post");
      final Reported bare = http.get("get");
      final PrintStream o = System.out;
      o.printf(Locale.ROOT, "%nIngest load: %d s measured per phase, %d concurrent callers (closed loop: each waits for its answer),%n",
          seconds, concurrency);
      o.printf(Locale.ROOT, "embedded KRaft broker, acks=all idempotent producer (%s), %d cores.%n",
          producerSummary(producerConfig), Runtime.getRuntime().availableProcessors());
      o.printf(Locale.ROOT, "HTTP client: %s. Webhook: Distribution events.v1+json, one manifest push (%d bytes), header auth.%n",
          inProcess ? "threads inside the server JVM (--in-process)" : "a separate JVM process on the same cores",
          IngestLoadClient.webhook(1).length());
      o.printf(Locale.ROOT, "Warm-up: webhooks and the raw producer at the end: %s;%n  raw producer at the start %d s, GET and --breakdown phases %d s.%n",
          warmup.describe(), seconds, Math.max(3, seconds / 2));
      o.printf(Locale.ROOT, "  webhooks: %s%n  raw producer at the end: %s%n", settle.summary("post"), settle.summary("raw-end"));
      o.printf(Locale.ROOT, "load average (1/5/15 min) before: %s   after: %s%n%n", loadBefore, loadAfter);
      o.printf(Locale.ROOT, "%-44s %10s %8s %8s %7s %14s %14s %s%n", "", "per second", "p50 ms", "p99 ms", "failed",
          "server CPU/op", "client CPU/op", "server JIT/GC ms");
      row(o, "webhooks accepted (HTTP -> 2xx after ack)", ingest, serverCpu.get("post"), inProcess, jitGc(serverCpu, "post"));
      row(o, "raw producer, same callers, send().get()", Reported.of(raw), raw.cpuNanos(), true, rawJitGc);
      row(o, "  the same at the end of the run (JVM warm)", Reported.of(rawEnd), rawEnd.cpuNanos(), true, rawEndJitGc);
      o.printf(Locale.ROOT, "%-44s %10.0f%n", "raw producer, open loop (send all, flush)", openLoop);
      row(o, "bare HTTP GET /healthz, same server+client", bare, serverCpu.get("get"), inProcess, jitGc(serverCpu, "get"));
      if (breakdown) {
        row(o, "  POST, body read, fixed 200 (no ingest)", http.get("post-drain"), serverCpu.get("post-drain"), inProcess, jitGc(serverCpu, "post-drain"));
        row(o, "  the same on a plain Jetty Handler", http.get("post-jetty-drain"), serverCpu.get("post-jetty-drain"), inProcess, jitGc(serverCpu, "post-jetty-drain"));
        row(o, "  ingest with a publisher acking at once", http.get("post-no-kafka"), serverCpu.get("post-no-kafka"), inProcess, jitGc(serverCpu, "post-no-kafka"));
        row(o, "  ingest, publisher acking 2 ms later", http.get("post-late-ack"), serverCpu.get("post-late-ack"), inProcess, jitGc(serverCpu, "post-late-ack"));
      }
      o.printf(Locale.ROOT, "%nratio webhooks / raw same-callers (the faster of the two raw runs): %.2f   webhooks / raw open-loop: %.2f"
          + "   webhooks / bare GET: %.2f%n", ingest.rate() / rawBest.rate(), ingest.rate() / openLoop, ingest.rate() / bare.rate());
      o.printf(Locale.ROOT, "delivery check: %d webhooks answered 200 {\"accepted\":1} (warm-up included); %d records on the topic%s%n",
          accepted, onTopic, onTopic >= accepted ? "" : "  ** FEWER RECORDS THAN 2xx ANSWERS **");
      o.printf(Locale.ROOT, "goals: >= 5000 webhooks/s, p99 < 50 ms, ratio to raw same-callers >= 0.5%n");
      o.printf(Locale.ROOT, "(CPU/op = process CPU time, user + system, over the phase / operations; the raw producer's callers,%n"
          + " producer and broker share one JVM, so its figure is all in the server column. JIT/GC ms = compilation time%n"
          + " summed over the JIT's threads, and GC time, during the phase: a large JIT figure means the phase was not warm.)%n");
    }
  }

  private static void row(final PrintStream o, final String label, final Reported r, final Long serverCpuNanos,
      final boolean clientInServer, final String jitGc) {
    final String server = serverCpuNanos == null ? "-" : String.format(Locale.ROOT, "%.0f us", serverCpuNanos / 1e3 / r.ok());
    final String client = clientInServer ? "(in server)" : String.format(Locale.ROOT, "%.0f us", r.cpuNanos() / 1e3 / r.ok());
    o.printf(Locale.ROOT, "%-44s %10.0f %8.2f %8.2f %7d %14s %14s %s%n", label, r.rate(), r.p50(), r.p99(), r.failed(),
        server, client, jitGc == null ? "" : jitGc);
  }

  private static String jitGc(final Map<String, Long> serverCpu, final String phase) {
    final Long jit = serverCpu.get(phase + "/jit");
    return jit == null ? "" : jit + " / " + serverCpu.get(phase + "/gc");
  }

  private static String producerSummary(final Map<String, Object> c) {
    return "linger.ms=" + c.getOrDefault(ProducerConfig.LINGER_MS_CONFIG, "default")
        + ", batch.size=" + c.getOrDefault(ProducerConfig.BATCH_SIZE_CONFIG, "default")
        + ", max.in.flight=" + c.getOrDefault(ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION, "default");
  }

  /**
   * Starts {@link IngestLoadClient} as its own JVM on this classpath and reads its protocol lines; answers its
   * warm-up windows ({@code WARM}) on its stdin with {@code GO} or {@code MORE}.
   */
  private static long runClientProcess(final List<String> phases, final int seconds, final Warmup warmup, final int callers,
      final long first, final Map<String, Reported> http, final Map<String, Long> serverCpu, final JitSettle settle,
      final Path jfr) throws IOException, InterruptedException {
    final String java = ProcessHandle.current().info().command().orElse("java");
    final List<String> cmd = new ArrayList<>(List.of(java, "-Xmx256m", "-cp", System.getProperty("java.class.path"),
        IngestLoadClient.class.getName(), Integer.toString(seconds), Integer.toString(warmup.seconds()),
        Boolean.toString(warmup.fixed()), Integer.toString(callers), Long.toString(first)));
    cmd.addAll(phases);
    final Process p = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.INHERIT).start();
    long accepted = -1;
    try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
        java.io.Writer answers = new java.io.OutputStreamWriter(p.getOutputStream(), StandardCharsets.US_ASCII)) {
      final LineTap tap = new LineTap(http, serverCpu, settle, jfr);
      for (String line = r.readLine(); line != null; line = r.readLine()) {
        tap.line(line);
        if (line.startsWith("WARM ")) {
          final String[] f = line.split(" ");
          final boolean go = settle.settled(f[1], Integer.parseInt(f[2]), Integer.parseInt(f[3]), Long.parseLong(f[4]));
          answers.write(go ? "GO\n" : "MORE\n");
          answers.flush();
        } else if (line.startsWith("TOTAL ")) {
          accepted = Long.parseLong(line.substring(6).trim());
        }
      }
    }
    if (p.waitFor() != 0 || accepted < 0) {
      throw new IllegalStateException("load client failed (exit " + p.exitValue() + ")");
    }
    return accepted;
  }

  /**
   * Reads the client's protocol lines; samples this JVM's CPU time at MEASURE and RESULT, starts the warm-up's JIT
   * watch at WARMUP, and with {@code --jfr} records this JVM during the webhooks' measured phase.
   */
  private static final class LineTap extends java.io.OutputStream {
    private final ByteArrayOutputStream buffer;
    private final Map<String, Reported> http;
    private final Map<String, Long> serverCpu;
    private final Map<String, Long> started = new HashMap<>();
    private final JitSettle settle;
    private final Path jfr;
    private jdk.jfr.Recording recording;
    private jdk.jfr.Recording warmRecording;

    LineTap(final Map<String, Reported> http, final Map<String, Long> serverCpu, final JitSettle settle, final Path jfr) {
      this.buffer = new ByteArrayOutputStream();
      this.http = http;
      this.serverCpu = serverCpu;
      this.settle = settle;
      this.jfr = jfr;
    }

    @Override
    public synchronized void write(final int b) {
      if (b == '\n') {
        line(buffer.toString(StandardCharsets.UTF_8));
        buffer.reset();
      } else {
        buffer.write(b);
      }
    }

    private static jdk.jfr.Recording recording(final Path destination) {
      try {
        final jdk.jfr.Recording r = new jdk.jfr.Recording(jdk.jfr.Configuration.getConfiguration("profile"));
        if (destination != null) {
          r.setDestination(destination);
        } else {
          r.setToDisk(false);
          r.setMaxAge(java.time.Duration.ofSeconds(1));
        }
        r.start();
        return r;
      } catch (IOException | java.text.ParseException e) {
        throw new IllegalStateException("cannot start the JFR recording: " + e.getMessage(), e);
      }
    }

    synchronized void line(final String line) {
      final long cpu = JvmFigures.now().cpuNanos();
      if (line.startsWith("WARMUP ")) {
        final String phase = line.substring(7).trim();
        if (jfr != null && phase.equals("post")) {
          // Enabling JFR's events deoptimizes much of the compiled code: do it before the warm-up, so the warm-up
          // absorbs that; the recording kept is started at MEASURE with the same settings, which changes nothing.
          warmRecording = recording(null);
        }
        settle.start(phase);
      } else if (line.startsWith("MEASURE ")) {
        final String phase = line.substring(8).trim();
        if (jfr != null && phase.equals("post")) {
          recording = recording(jfr);
          if (warmRecording != null) {
            warmRecording.close();
            warmRecording = null;
          }
        }
        started.put(phase, cpu);
        started.put(phase + "/jit", JvmFigures.now().jitMillis());
        started.put(phase + "/gc", JvmFigures.now().gcMillis());
      } else if (line.startsWith("RESULT ")) {
        final String phase = line.split(" ")[1];
        if (recording != null && phase.equals("post")) {
          recording.stop();
          recording.close();
          recording = null;
          System.err.println("JFR recording of the webhooks' measured phase (server JVM): " + jfr);
        }
        http.put(phase, Reported.parse(line));
        final Long s = started.get(phase);
        if (s != null) {
          serverCpu.put(phase, cpu - s);
          serverCpu.put(phase + "/jit", JvmFigures.now().jitMillis() - started.get(phase + "/jit"));
          serverCpu.put(phase + "/gc", JvmFigures.now().gcMillis() - started.get(phase + "/gc"));
        }
      }
    }
  }

  /**
   * {@code --breakdown}: a second server on the same JVM with a POST that only reads the body and answers a fixed
   * 200 (the HTTP stack's cost of a webhook-sized POST), and ingest's own routes over a publisher that acknowledges
   * at once (everything but Kafka). Diagnostic only: the headline figures never come from it.
   */
  private static final class Breakdown implements AutoCloseable {
    private final IngestService noKafka;
    private final IngestService lateAck;
    private final java.util.concurrent.ScheduledExecutorService acker =
        java.util.concurrent.Executors.newSingleThreadScheduledExecutor();
    private final io.javalin.Javalin server;
    private final io.javalin.Javalin lateServer;
    private final org.eclipse.jetty.server.Server jetty;

    Breakdown(final IngestConfig config) {
      noKafka = IngestService.start(config, publisher(null), new SimpleMeterRegistry(), java.time.Clock.systemUTC());
      lateAck = IngestService.start(config, publisher(acker), new SimpleMeterRegistry(), java.time.Clock.systemUTC());
      server = io.javalin.Javalin.create(c -> {
        c.startup.showJavalinBanner = false;
        c.startup.showOldJavalinVersionWarning = false;
        noKafka.routes(c);
        c.routes.post("/drain", ctx -> {
          try (java.io.InputStream in = ctx.req().getInputStream()) {
            in.readNBytes(config.maxBodyBytes() + 1);
          }
          ctx.status(200).contentType("application/json").result("{\"accepted\":1,\"ignored\":0,\"deleted\":0,\"duplicates\":0}");
        });
      }).start("127.0.0.1", 0);
      lateServer = io.javalin.Javalin.create(c -> {
        c.startup.showJavalinBanner = false;
        c.startup.showOldJavalinVersionWarning = false;
        lateAck.routes(c);
      }).start("127.0.0.1", 0);
      // The HTTP floor without Javalin and the servlet layer: Jetty's core API, same body read and answer.
      jetty = new org.eclipse.jetty.server.Server();
      final org.eclipse.jetty.server.ServerConnector connector = new org.eclipse.jetty.server.ServerConnector(jetty);
      connector.setHost("127.0.0.1");
      jetty.addConnector(connector);
      final byte[] answer = "{\"accepted\":1,\"ignored\":0,\"deleted\":0,\"duplicates\":0}".getBytes(StandardCharsets.UTF_8);
      jetty.setHandler(new org.eclipse.jetty.server.Handler.Abstract() {
        @Override
        public boolean handle(final org.eclipse.jetty.server.Request request, final org.eclipse.jetty.server.Response response,
            final org.eclipse.jetty.util.Callback callback) throws Exception {
          try (java.io.InputStream in = org.eclipse.jetty.server.Request.asInputStream(request)) {
            in.readNBytes(config.maxBodyBytes() + 1);
          }
          response.setStatus(200);
          response.getHeaders().put(org.eclipse.jetty.http.HttpHeader.CONTENT_TYPE, "application/json");
          response.write(true, java.nio.ByteBuffer.wrap(answer), callback);
          return true;
        }
      });
      try {
        jetty.start();
      } catch (Exception e) {
        throw new IllegalStateException(e);
      }
    }

    int jettyPort() {
      return ((org.eclipse.jetty.server.ServerConnector) jetty.getConnectors()[0]).getLocalPort();
    }

    /** Acks at once ({@code acker} null) or 2 ms later from the acker's one thread, as Kafka's sender thread does. */
    private static dev.sigstream.ingest.publish.ArtifactEventPublisher publisher(
        final java.util.concurrent.ScheduledExecutorService acker) {
      return new dev.sigstream.ingest.publish.ArtifactEventPublisher() {
        @Override
        public java.util.concurrent.CompletableFuture<Void> publishAll(final List<ArtifactPushed> events) {
          if (acker == null) {
            return java.util.concurrent.CompletableFuture.completedFuture(null);
          }
          final java.util.concurrent.CompletableFuture<Void> f = new java.util.concurrent.CompletableFuture<>();
          acker.schedule(() -> f.complete(null), 2, TimeUnit.MILLISECONDS);
          return f;
        }

        @Override
        public boolean available() {
          return true;
        }

        @Override
        public void close() {}
      };
    }

    int port() {
      return server.port();
    }

    int latePort() {
      return lateServer.port();
    }

    @Override
    public void close() {
      server.stop();
      lateServer.stop();
      try {
        jetty.stop();
      } catch (Exception e) {
        // closing anyway
      }
      noKafka.close();
      lateAck.close();
      acker.shutdownNow();
    }
  }

  /**
   * Judges warm-up windows: the measured phase starts once compilation in this (server) JVM and in the client's
   * JVM has stayed under {@link Warmup#JIT_MS_PER_SECOND} per second of warm-up for {@link Warmup#QUIET_WINDOWS}
   * consecutive windows, or at the cap. Prints each window on stderr and keeps a summary per phase.
   */
  private static final class JitSettle {
    private final Warmup rule;
    private final Map<String, Long> lastJit = new HashMap<>();
    private final Map<String, Integer> quiet = new HashMap<>();
    private final Map<String, String> summary = new HashMap<>();

    JitSettle(final Warmup rule) {
      this.rule = rule;
    }

    synchronized void start(final String phase) {
      lastJit.put(phase, JvmFigures.now().jitMillis());
      quiet.put(phase, 0);
    }

    synchronized boolean settled(final String phase, final int warmed, final int window, final long clientJit) {
      final long now = JvmFigures.now().jitMillis();
      final long serverJit = now - lastJit.getOrDefault(phase, now);
      lastJit.put(phase, now);
      final double serverRate = serverJit / (double) window;
      final double clientRate = clientJit / (double) window;
      final boolean calm = serverRate < Warmup.JIT_MS_PER_SECOND && clientRate < Warmup.JIT_MS_PER_SECOND;
      final int calmWindows = calm ? quiet.getOrDefault(phase, 0) + 1 : 0;
      quiet.put(phase, calmWindows);
      final boolean go = rule.fixed() || calmWindows >= Warmup.QUIET_WINDOWS;
      final String state = rule.fixed() ? "fixed warm-up" : go ? "settled" : warmed >= rule.seconds() ? "CAP REACHED, JIT not settled" : "warming";
      System.err.printf(Locale.ROOT, "[warm-up %s] %3d s: JIT ms/s in the last %d s: server %.0f, client %.0f -> %s%n",
          phase, warmed, window, serverRate, clientRate, state);
      summary.put(phase, String.format(Locale.ROOT, "warmed %d s, %s (last %d s window: JIT %.0f ms/s server, %.0f ms/s client)",
          warmed, state, window, serverRate, clientRate));
      return go;
    }

    synchronized String summary(final String phase) {
      return summary.getOrDefault(phase, "-");
    }
  }

  private static long records(final String bootstrap, final String topic) throws Exception {
    try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap))) {
      final Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
      for (int i = 0; i < 3; i++) {
        latest.put(new TopicPartition(topic, i), OffsetSpec.latest());
      }
      return admin.listOffsets(latest).all().get(30, TimeUnit.SECONDS).values().stream()
          .mapToLong(org.apache.kafka.clients.admin.ListOffsetsResult.ListOffsetsResultInfo::offset).sum();
    }
  }

  private static String loadAverage() {
    try {
      final String[] f = Files.readString(Path.of("/proc/loadavg")).trim().split("\\s+");
      return f[0] + " " + f[1] + " " + f[2];
    } catch (IOException | RuntimeException e) {
      return "n/a";
    }
  }

  private static IngestLoadClient.Call rawSend(final KafkaProducer<String, ArtifactPushed> producer) {
    return n -> {
      final ArtifactPushed e = record(n);
      producer.send(new ProducerRecord<>("bench-raw", ArtifactKey.of(e.getArtifact()), e)).get(10, TimeUnit.SECONDS);
      return true;
    };
  }

  static ArtifactPushed record(final long n) {
    final Instant now = Instant.now();
    return ArtifactPushed.newBuilder().setEventId("distribution:bench-" + n).setSource("distribution")
        .setArtifact(ArtifactRef.newBuilder().setRegistry("127.0.0.1:5000").setRepository("bench/app")
            .setDigest("sha256:" + IngestLoadClient.hex64(n)).setTag("v1").setMediaType("application/vnd.oci.image.manifest.v1+json")
            .setSize(394L).build())
        .setOccurredAt(now).setReceivedAt(now).setActor(null)
        .setAttributes(Map.of("mediaType", "application/vnd.oci.image.manifest.v1+json", "requestId", "req-" + n,
            "userAgent", "docker/27.0.3 go/go1.22.5 git-commit/662f78c kernel/6.1.0 os/linux arch/amd64",
            "sourceInstance", "78caeaac-5f45-4820-84b6-589a309b497b", "references", "2")).build();
  }
}
