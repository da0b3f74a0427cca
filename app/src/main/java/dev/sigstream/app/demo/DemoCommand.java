package dev.sigstream.app.demo;

import dev.sigstream.schemas.KafkaConnection;
import dev.sigstream.app.ConfigException;
import dev.sigstream.app.SigstreamConfig;
import dev.sigstream.app.SigstreamRuntime;
import dev.sigstream.app.cli.ExitCodes;
import dev.sigstream.app.cli.TerminalSafe;
import dev.sigstream.ingest.IngestConfig;
import dev.sigstream.oci.auth.Credentials;
import dev.sigstream.oci.client.OciRegistryHttpClient;
import dev.sigstream.oci.client.RegistryConfig;
import dev.sigstream.oci.client.RegistryEntry;
import dev.sigstream.schemas.avro.SbomResult;
import dev.sigstream.schemas.avro.Verdict;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Comparator;
import java.util.Deque;
import java.util.EnumMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code sigstream demo}: the whole pipeline on this machine in under a minute. Starts what {@code sigstream run}
 * starts (embedded Kafka, ingest, verifier, notifier with the console channel) plus a loopback {@code docker-registry}
 * whose notifications go to ingest, makes a throwaway PKI, trust policy and trust store, pushes and signs a set of
 * artifacts, prints each verdict as it arrives and a summary, then leaves the query API and admission endpoint up
 * until Ctrl-C (or exits, with {@code --exit-after-summary}).
 */
@Command(name = "demo", mixinStandardHelpOptions = true, sortOptions = false,
    description = {"Show the pipeline at work: a local registry, a throwaway PKI,",
        "signed and unsigned artifacts and their verdicts as they arrive,",
        "then the query and admission APIs until Ctrl-C.",
        "Needs Debian's docker-registry package. Everything lives under --data-dir",
        "and is made anew on each run."},
    exitCodeListHeading = "%nExit codes:%n",
    exitCodeList = {"0:every artifact got the verdict it should", "1:an artifact got another verdict, or none in time",
        "2:usage or configuration error", "3:the registry or Kafka could not be started"})
public final class DemoCommand implements Callable<Integer> {

  /** Marks a directory as the demo's own, so a re-run may wipe it (and nothing else). */
  static final String MARKER = ".sigstream-demo";
  static final String SOURCE = "demo";

  @Spec
  CommandSpec spec;

  @Option(names = "--data-dir", paramLabel = "DIR", defaultValue = ".sigstream-demo",
      description = "Working directory, wiped and made anew on each run (default: ${DEFAULT-VALUE}).")
  Path dataDir;

  @Option(names = "--http-port", paramLabel = "PORT", defaultValue = "8080",
      description = "HTTP port of the APIs (default: ${DEFAULT-VALUE}; 0 = any free port).")
  int httpPort;

  @Option(names = "--grace-window", paramLabel = "DURATION", defaultValue = "8s",
      description = "How long an unsigned artifact is held for a late signature (default: ${DEFAULT-VALUE}).")
  String graceWindow;

  @Option(names = "--timeout", paramLabel = "SECONDS", defaultValue = "60",
      description = "Give up waiting for verdicts this long after start (default: ${DEFAULT-VALUE}).")
  int timeoutSeconds;

  @Option(names = "--exit-after-summary", description = "Stop after the summary instead of serving until Ctrl-C.")
  boolean exitAfterSummary;

  @Option(names = "--trust-only", description = {"Only make the throwaway PKI: Notation trust policy and store under "
      + "DIR/notation, the signer's key and chain under DIR/signer; then exit (docker-compose's demo-trust)."})
  boolean trustOnly;

  @Option(names = "--registry", paramLabel = "HOST:PORT", description = {"Push to this running registry (plain HTTP) "
      + "instead of starting one; its notifications must already reach ingest. Needs --bootstrap-servers and "
      + "--signer-dir (docker-compose's demo profile)."})
  String externalRegistry;

  @Option(names = "--bootstrap-servers", paramLabel = "HOST:PORT[,...]",
      description = "With --registry: watch verdicts on this Kafka cluster; start no pipeline here.")
  String bootstrapServers;

  @Option(names = "--signer-dir", paramLabel = "DIR",
      description = "With --registry: the trusted signer's signer.key and signer.crt (written by --trust-only).")
  Path signerDir;

  private final long t0 = System.nanoTime();
  private PrintWriter out;
  private final Map<String, DemoCase> caseByKey = new ConcurrentHashMap<>();
  private final Map<DemoCase, List<Seen>> seen = new ConcurrentHashMap<>();
  private final List<Seen> others = new CopyOnWriteArrayList<>();
  private final CountDownLatch allDecided = new CountDownLatch(1);

  /** A verdict and when it arrived (seconds since start). */
  record Seen(String key, Verdict verdict, double at) {
  }

  @Override
  public Integer call() throws Exception {
    out = TerminalSafe.writer(spec.commandLine().getOut());
    if (trustOnly) {
      final Path dir = prepare(dataDir.toAbsolutePath().normalize());
      final DemoPki pki = DemoPki.create(Clock.systemUTC().instant());
      pki.writeNotationConfig(dir.resolve("notation"));
      pki.writeSigningKey(dir.resolve("signer"));
      say("Wrote a throwaway PKI: Notation configuration %s, signer %s", dir.resolve("notation"),
          dir.resolve("signer"));
      return ExitCodes.OK;
    }
    if (externalRegistry != null || bootstrapServers != null) {
      return againstRunningPipeline();
    }
    if (!DemoRegistry.available()) {
      throw new ConfigException(List.of(DemoRegistry.INSTALL_HINT));
    }
    final Path dir = prepare(dataDir.toAbsolutePath().normalize());
    final String registry = "127.0.0.1:" + freePort();
    final DemoPki pki = DemoPki.create(Clock.systemUTC().instant());
    final Path notation = pki.writeNotationConfig(dir.resolve("notation"));
    pki.writeSigningKey(dir.resolve("signer"));
    final Path yaml = writeConfig(dir, registry, notation);
    final String secret = "Bearer " + HexFormat.of().formatHex(new SecureRandom().generateSeed(24));
    final SigstreamConfig config = SigstreamConfig.load(yaml, Map.of(), Map.of());
    final IngestConfig ingest = IngestConfig.fromEnv(Map.of(
        "SIGSTREAM_INGEST_SOURCES", SOURCE,
        "SIGSTREAM_INGEST_SOURCE_DEMO_TYPE", "distribution",
        "SIGSTREAM_INGEST_SOURCE_DEMO_REGISTRIES", registry,
        "SIGSTREAM_INGEST_SOURCE_DEMO_AUTH", "header",
        "SIGSTREAM_INGEST_SOURCE_DEMO_SECRET", secret));
    say("Starting Sigstream (embedded Kafka, ingest, verifier, notifier) with data in %s", dir);

    final Deque<AutoCloseable> started = new ArrayDeque<>();
    try {
      final SigstreamRuntime runtime = new SigstreamRuntime(config, ingest).start();
      started.push(runtime);
      final String base = "http://127.0.0.1:" + runtime.httpPort();
      started.push(DemoRegistry.start(DemoRegistry.writeConfig(dir.resolve("registry"), registry,
          URI.create(base + "/v1/events/" + SOURCE), secret), registry));
      say("Registry http://%s (docker-registry, notifications to %s/v1/events/%s)", registry, base, SOURCE);
      started.push(new VerdictWatcher(runtime.kafka(), this::onVerdict,
          (key, why) -> say("unreadable verdict for %s: %s", key, why)).start());

      pushAll(registry, pki);
      final long left = TimeUnit.SECONDS.toNanos(timeoutSeconds) - (System.nanoTime() - t0);
      final boolean complete = allDecided.await(Math.max(0, left), TimeUnit.NANOSECONDS);
      final boolean ok = summary(complete);
      if (!exitAfterSummary) {
        serve(base, () -> closeAll(started));
      }
      return ok ? ExitCodes.OK : ExitCodes.VERIFICATION_FAILED;
    } finally {
      closeAll(started);
    }
  }

  /** The demo cases against a pipeline that already runs (docker-compose): push, watch, summarise, exit. */
  private int againstRunningPipeline() throws InterruptedException {
    if (externalRegistry == null || bootstrapServers == null || signerDir == null) {
      throw new ConfigException(List.of("--registry, --bootstrap-servers and --signer-dir go together"));
    }
    final DemoPki pki = DemoPki.load(signerDir, Clock.systemUTC().instant());
    say("Pushing to %s, watching verdicts on %s", externalRegistry, bootstrapServers);
    try (VerdictWatcher w = new VerdictWatcher(KafkaConnection.plaintext(bootstrapServers), this::onVerdict,
        (key, why) -> say("unreadable verdict for %s: %s", key, why)).start()) {
      pushAll(externalRegistry, pki);
      final long left = TimeUnit.SECONDS.toNanos(timeoutSeconds) - (System.nanoTime() - t0);
      final boolean complete = allDecided.await(Math.max(0, left), TimeUnit.NANOSECONDS);
      return summary(complete) ? ExitCodes.OK : ExitCodes.VERIFICATION_FAILED;
    }
  }

  /** Stops what was started, last first; safe to call twice (from the shutdown hook and on the way out). */
  private void closeAll(final Deque<AutoCloseable> started) {
    synchronized (started) {
      while (!started.isEmpty()) {
        try {
          started.pop().close();
        } catch (final Exception e) {
          say("error while stopping: %s", e.getMessage());
        }
      }
    }
  }

  /** Pushes every case (the late signature 5 s after its image), in the order of {@link DemoCase}. */
  private void pushAll(final String registry, final DemoPki pki) throws InterruptedException {
    final OciRegistryHttpClient client = OciRegistryHttpClient.create(
        RegistryConfig.of(RegistryEntry.insecure(registry, new Credentials.Anonymous())), Clock.systemUTC());
    final DemoArtifacts artifacts = new DemoArtifacts(client, registry, pki, Clock.systemUTC());
    DemoArtifacts.Pushed late = null;
    long latePushedAt = 0;
    for (final DemoCase c : DemoCase.values()) {
      final DemoArtifacts.Pushed p = artifacts.push(c);
      register(p.key(), c);
      say("pushed %-12s %s  (%s)", c.label(), p.key(), c.description);
      if (c == DemoCase.SIGNED_LATE) {
        late = p;
        latePushedAt = System.nanoTime();
      }
    }
    TimeUnit.NANOSECONDS.sleep(latePushedAt + TimeUnit.SECONDS.toNanos(5) - System.nanoTime());
    artifacts.signLate(late);
    say("signed %-12s %s  (5 s after its push)", DemoCase.SIGNED_LATE.label(), late.key());
  }

  private synchronized void onVerdict(final String key, final Verdict v) {
    final DemoCase c = caseByKey.get(key);
    if (c == null && (key == null || !key.contains("/demo/"))) {
      return; // a verdict from before this run, on a shared cluster
    }
    final Seen s = new Seen(key, v, seconds());
    if (c == null) {
      others.add(s);
    } else {
      seen.computeIfAbsent(c, k -> new CopyOnWriteArrayList<>()).add(s);
    }
    say("verdict %-7s %-15s %-16s %-12s %s", v.getOutcome(), v.getArtifactClass(), v.getReasonCode(),
        c != null ? c.label() : referrersIndex(v) ? "(index)" : "-", key);
    checkDone();
  }

  /** Records that {@code key} is {@code c}'s artifact, claiming a verdict that arrived before the push returned. */
  private synchronized void register(final String key, final DemoCase c) {
    caseByKey.put(key, c);
    for (final Seen s : others) {
      if (s.key().equals(key)) {
        others.remove(s);
        seen.computeIfAbsent(c, k -> new CopyOnWriteArrayList<>()).add(s);
      }
    }
    checkDone();
  }

  private void checkDone() {
    if (java.util.Arrays.stream(DemoCase.values()).allMatch(this::matches)) {
      allDecided.countDown();
    }
  }

  /**
   * Whether {@code v} is for a tag-schema referrers index ({@code sha256-<hex>}): {@code docker-registry} has no
   * referrers API, so every signature push also re-pushes that index, and the registry notifies about it too.
   */
  static boolean referrersIndex(final Verdict v) {
    final CharSequence tag = v.getArtifact() == null ? null : v.getArtifact().getTag();
    return tag != null && tag.toString().matches("(sha256|sha384|sha512)-[0-9a-f]{64,128}");
  }

  /** Whether {@code c}'s latest verdict is the expected one (and the first too, for the late signature). */
  private boolean matches(final DemoCase c) {
    final List<Seen> list = seen.get(c);
    if (list == null || list.isEmpty()) {
      return false;
    }
    final Verdict last = list.get(list.size() - 1).verdict();
    final boolean expected = last.getOutcome() == c.outcome && last.getArtifactClass() == c.artifactClass
        && last.getReasonCode() == c.reason;
    return switch (c) {
      case SIGNED_LATE -> expected && list.get(0).verdict().getOutcome() == c.outcome;
      case SIGNED_SBOM -> expected && last.getReferrers() != null
          && last.getReferrers().getSboms().stream().anyMatch(SbomResult::getSigned);
      default -> expected;
    };
  }

  private boolean summary(final boolean complete) {
    final StringBuilder b = new StringBuilder();
    b.append(String.format(Locale.ROOT, "%nSummary after %.1f s%n", seconds()));
    b.append(String.format(Locale.ROOT, "  %-12s %-30s %-44s %-7s %s%n", "artifact", "expected", "verdict", "at", "ok"));
    boolean ok = true;
    for (final DemoCase c : DemoCase.values()) {
      final List<Seen> list = seen.getOrDefault(c, List.of());
      final boolean match = matches(c);
      ok &= match;
      final Seen last = list.isEmpty() ? null : list.get(list.size() - 1);
      b.append(String.format(Locale.ROOT, "  %-12s %-30s %-44s %-7s %s%n", c.label(),
          c.outcome + " " + c.reason, last == null ? "(none)" : last.verdict().getOutcome() + " "
              + last.verdict().getArtifactClass() + " " + last.verdict().getReasonCode(),
          last == null ? "-" : String.format(Locale.ROOT, "%.1fs", last.at()), match ? "yes" : "NO"));
    }
    if (!others.isEmpty()) {
      final long indexes = others.stream().filter(o -> referrersIndex(o.verdict())).count();
      b.append(String.format(Locale.ROOT, "  and %d other verdicts: %d for tag-schema referrers indexes (the "
          + "registry has no referrers API, so each signature push updates one), %d for other manifests%n",
          others.size(), indexes, others.size() - indexes));
    }
    b.append(ok ? "Every artifact got the verdict it should." : complete ? "" : "Not every artifact got the expected "
        + "verdict within " + timeoutSeconds + " s.");
    say("%s", b.toString());
    return ok;
  }

  /** Prints where to look and what to paste, then serves until Ctrl-C, when {@code stop} stops everything. */
  private void serve(final String base, final Runnable stop) {
    final String key = keyOf(DemoCase.UNSIGNED);
    final String pass = keyOf(DemoCase.JWS_SIGNED);
    final Path dir = dataDir.toAbsolutePath().normalize();
    final String lines = String.join(System.lineSeparator(),
        "",
        "The pipeline keeps running. Try:",
        "  one verdict             curl -s " + base + "/v1/verdicts/" + key,
        "  every FAIL              curl -s '" + base + "/v1/verdicts?outcome=FAIL'",
        "  admission (Gatekeeper)  curl -s -X POST " + base + "/v1/admission/gatekeeper"
            + " -H 'Content-Type: application/json' -d '{\"apiVersion\":\"externaldata.gatekeeper.sh/v1beta1\","
            + "\"kind\":\"ProviderRequest\",\"request\":{\"keys\":[\"" + pass + "\",\"" + key + "\"]}}'",
        "  metrics                 curl -s " + base + "/metrics | grep ^sigstream_",
        "  health                  curl -s " + base + "/readyz",
        "  sign it, then watch     ./bin/sigstream sign --insecure-registry " + key.substring(0, key.indexOf('/'))
            + " --key " + dir.resolve("signer/signer.key") + " --cert-chain " + dir.resolve("signer/signer.crt")
            + " " + key,
        "Ctrl-C stops everything.");
    out.println(lines);
    out.flush();
    final CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      stop.run();
      stopped.countDown();
    }, "sigstream-demo-stop"));
    try {
      stopped.await();
    } catch (final InterruptedException e) {
      // Stopped from inside the JVM (an embedding caller, a test): the interrupt is the stop request, consumed here
      // so that stopping Kafka and the registry is not cut short; the exit code stays the summary's.
    }
  }

  private String keyOf(final DemoCase c) {
    return caseByKey.entrySet().stream().filter(e -> e.getValue() == c).map(Map.Entry::getKey).findFirst()
        .orElseThrow();
  }

  /** Makes {@code dir} empty and marked as the demo's; refuses a non-empty directory that is not the demo's. */
  private static Path prepare(final Path dir) throws IOException {
    if (Files.isDirectory(dir)) {
      final boolean empty;
      try (Stream<Path> s = Files.list(dir)) {
        empty = s.findAny().isEmpty();
      }
      if (!empty && !Files.exists(dir.resolve(MARKER))) {
        throw new ConfigException(List.of("--data-dir " + dir + " is not empty and was not made by sigstream demo "
            + "(no " + MARKER + " file); the demo wipes its directory on each run, so name a new one"));
      }
      try (Stream<Path> s = Files.walk(dir)) {
        for (final Path p : s.sorted(Comparator.reverseOrder()).toList()) {
          if (!p.equals(dir)) {
            Files.delete(p);
          }
        }
      }
    } else if (Files.exists(dir)) {
      throw new ConfigException(List.of("--data-dir " + dir + " is not a directory"));
    }
    Files.createDirectories(dir);
    Files.writeString(dir.resolve(MARKER), "made by sigstream demo; wiped on its next run\n");
    return dir;
  }

  /** The demo's {@code sigstream.yaml}: usable as it is with {@code sigstream run --config}. */
  private Path writeConfig(final Path dir, final String registry, final Path notation) throws IOException {
    final Path yaml = dir.resolve("sigstream.yaml");
    Files.writeString(yaml, """
        # Written by sigstream demo.
        dataDir: %s
        kafka:
          embedded:
            port: 0
            controllerPort: 0
        http:
          host: 127.0.0.1
          port: %d
        topics:
          partitions: 3
        verifier:
          notationConfig: %s
          registries: %s
          insecureRegistries: %s
          graceWindow: %s
        """.formatted(dir, httpPort, notation, registry, registry, graceWindow));
    return yaml;
  }

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    }
  }

  private double seconds() {
    return (System.nanoTime() - t0) / 1e9;
  }

  private synchronized void say(final String format, final Object... args) {
    out.printf(Locale.ROOT, "[%5.1fs] " + format + "%n", Stream.concat(Stream.of(seconds()), Stream.of(args)).toArray());
    out.flush();
  }
}
