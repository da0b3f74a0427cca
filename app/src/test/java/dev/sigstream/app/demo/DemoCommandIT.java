package dev.sigstream.app.demo;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sigstream.app.Sigstream;
import dev.sigstream.app.SigstreamConfig;
import dev.sigstream.app.SigstreamRuntime;
import dev.sigstream.ingest.IngestConfig;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.awaitility.Awaitility;
import dev.sigstream.app.cli.ExitCodes;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** Runs {@code sigstream demo} headless, end to end on the machine's docker-registry, and checks every verdict. */
@Tag("integration")
@Timeout(180)
class DemoCommandIT {

  /** What each artifact must end with: outcome, class, reason (written here, not read from the command's table). */
  private static final Map<String, String> EXPECTED = new LinkedHashMap<>();

  static {
    EXPECTED.put("jws-signed", "PASS CONTAINER_IMAGE OK");
    EXPECTED.put("cose-signed", "PASS CONTAINER_IMAGE OK");
    EXPECTED.put("unsigned", "FAIL CONTAINER_IMAGE NO_SIGNATURE");
    EXPECTED.put("tampered", "FAIL CONTAINER_IMAGE DIGEST_MISMATCH");
    EXPECTED.put("signed-late", "PASS CONTAINER_IMAGE OK");
    EXPECTED.put("helm-chart", "PASS HELM_CHART OK");
    EXPECTED.put("ai-model", "PASS AI_MODEL OK");
    EXPECTED.put("signed-sbom", "PASS CONTAINER_IMAGE OK");
    EXPECTED.put("untrusted", "FAIL CONTAINER_IMAGE UNTRUSTED_CHAIN");
  }

  @Test
  void demo_pushesEveryCase_eachGetsItsVerdict_thenServesWhatItPrints_andTheDashboardsMetrics(@TempDir final Path tmp)
      throws Exception {
    // Given a fresh data directory and any free HTTP port
    final Path data = tmp.resolve("demo");
    final StringWriter out = new StringWriter();
    final CommandLine cl = Sigstream.newCommandLine();
    cl.setOut(new PrintWriter(out, true));
    final long t0 = System.nanoTime();

    // When the demo runs as a person runs it (serving after the summary until stopped)
    final AtomicInteger code = new AtomicInteger(-1);
    final Thread demo = new Thread(() -> code.set(cl.execute("demo", "--data-dir", data.toString(), "--http-port", "0")),
        "demo-under-test");
    demo.start();
    Awaitility.await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(200))
        .until(() -> out.toString().contains("Ctrl-C stops everything.") || !demo.isAlive());
    final double seconds = (System.nanoTime() - t0) / 1e9;
    final String text = out.toString();
    try {
      // Then every verdict line the watcher printed (straight from verdicts.v1) ends as expected, within the budget
      assertThat(text).as("demo still serving").contains("Ctrl-C stops everything.");
      assertEveryCase(text);
      assertThat(seconds).as("demo start to summary, s").isLessThan(60);
      // The trust material and the registry configuration are on disk
      assertThat(Files.readString(data.resolve("notation/trustpolicy.oci.json"))).contains("\"ca:demo\"");
      assertThat(data.resolve("notation/truststore/x509/ca/demo/root.pem")).exists();
      assertThat(data.resolve("registry/config.yml")).content().contains("/v1/events/demo");

      // The curls it prints work: the unsigned image's verdict, and admission (PASS allowed, FAIL denied)
      final String verdictUrl = find(text, "one verdict +curl -s (\\S+)");
      final HttpClient http = HttpClient.newHttpClient();
      final HttpResponse<String> verdict = http.send(HttpRequest.newBuilder(URI.create(verdictUrl)).build(),
          HttpResponse.BodyHandlers.ofString());
      assertThat(verdict.body()).contains("\"outcome\":\"FAIL\"").contains("NO_SIGNATURE");
      final String admissionUrl = find(text, "curl -s -X POST (\\S+/v1/admission/gatekeeper)");
      final String body = find(text, "-d '(\\{[^']+)'");
      final JsonNode items = new ObjectMapper().readTree(http.send(HttpRequest.newBuilder(URI.create(admissionUrl))
          .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)).build(),
          HttpResponse.BodyHandlers.ofString()).body()).at("/response/items");
      assertThat(items).hasSize(2);
      assertThat(items.get(0).has("error")).as("the signed image is admitted").isFalse();
      assertThat(items.get(1).path("error").asText()).as("the unsigned one is not").contains("NO_SIGNATURE");

      // Every metric the Grafana dashboard queries is on /metrics
      final String metrics = http.send(HttpRequest.newBuilder(URI.create(find(text, "curl -s (\\S+/metrics)"))).build(),
          HttpResponse.BodyHandlers.ofString()).body();
      DashboardCheck.assertEveryQueriedMetricExists(metrics);
    } finally {
      // Stop it as Ctrl-C would
      demo.interrupt();
      demo.join(30_000);
    }
    assertThat(demo.isAlive()).isFalse();
    assertThat(code.get()).as(text).isEqualTo(ExitCodes.OK);
  }

  private static String find(final String text, final String regex) {
    final Matcher m = Pattern.compile(regex).matcher(text);
    assertThat(m.find()).as(regex + " in\n" + text).isTrue();
    return m.group(1);
  }

  /**
   * docker-compose's demo profile: {@code demo --trust-only} writes the PKI that the (separately started) verifier
   * trusts, and {@code demo --registry … --bootstrap-servers …} pushes into a running pipeline and watches its
   * verdicts.
   */
  @Test
  void againstARunningPipeline_trustOnlyThenPush(@TempDir final Path tmp) throws Exception {
    // Given the trust material from --trust-only, and a pipeline (sigstream run) that trusts it
    final Path trust = tmp.resolve("trust");
    assertThat(Sigstream.newCommandLine().execute("demo", "--trust-only", "--data-dir", trust.toString()))
        .isEqualTo(ExitCodes.OK);
    final String registry = "127.0.0.1:" + freePort();
    final String secret = "Bearer it-" + System.nanoTime();
    final SigstreamConfig config = SigstreamConfig.load(null, Map.of(
        "SIGSTREAM_DATA_DIR", tmp.resolve("run").toString(), "SIGSTREAM_KAFKA_PORT", "0",
        "SIGSTREAM_KAFKA_CONTROLLER_PORT", "0", "SIGSTREAM_HTTP_PORT", "0",
        "SIGSTREAM_VERIFIER_NOTATION_CONFIG", trust.resolve("notation").toString(),
        "SIGSTREAM_VERIFIER_REGISTRIES", registry, "SIGSTREAM_VERIFIER_INSECURE_REGISTRIES", registry,
        "SIGSTREAM_VERIFIER_GRACE_WINDOW", "8s"), Map.of());
    final IngestConfig ingest = IngestConfig.fromEnv(Map.of("SIGSTREAM_INGEST_SOURCES", "compose",
        "SIGSTREAM_INGEST_SOURCE_COMPOSE_TYPE", "distribution", "SIGSTREAM_INGEST_SOURCE_COMPOSE_REGISTRIES", registry,
        "SIGSTREAM_INGEST_SOURCE_COMPOSE_AUTH", "header", "SIGSTREAM_INGEST_SOURCE_COMPOSE_SECRET", secret));
    try (SigstreamRuntime runtime = new SigstreamRuntime(config, ingest).start();
        DemoRegistry reg = DemoRegistry.start(DemoRegistry.writeConfig(tmp.resolve("registry"), registry,
            URI.create("http://127.0.0.1:" + runtime.httpPort() + "/v1/events/compose"), secret), registry)) {
      final StringWriter out = new StringWriter();
      final CommandLine cl = Sigstream.newCommandLine();
      cl.setOut(new PrintWriter(out, true));

      // When the demo pushes into it
      final int code = cl.execute("demo", "--registry", registry, "--bootstrap-servers", runtime.bootstrapServers(),
          "--signer-dir", trust.resolve("signer").toString(), "--exit-after-summary");

      // Then
      assertThat(code).as(out.toString()).isEqualTo(ExitCodes.OK);
      assertEveryCase(out.toString());
    }
  }

  private static void assertEveryCase(final String text) {
    final Pattern verdict = Pattern.compile("verdict (\\S+)\\s+(\\S+)\\s+(\\S+)\\s+(\\S+)\\s+(\\S+)");
    final Map<String, List<String>> byCase = new LinkedHashMap<>();
    final Matcher m = verdict.matcher(text);
    while (m.find()) {
      byCase.computeIfAbsent(m.group(4), k -> new java.util.ArrayList<>())
          .add(m.group(1) + " " + m.group(2) + " " + m.group(3));
    }
    for (final Map.Entry<String, String> e : EXPECTED.entrySet()) {
      assertThat(byCase.get(e.getKey())).as(e.getKey() + " in\n" + text).isNotEmpty()
          .last().isEqualTo(e.getValue());
    }
    // The late signature was held, not failed first: no FAIL was ever published for it
    assertThat(byCase.get("signed-late")).as(text).allMatch(v -> v.startsWith("PASS"));
    // The summary says so too, and names every case
    assertThat(text).contains("Every artifact got the verdict it should.");
    for (final String label : EXPECTED.keySet()) {
      assertThat(text).containsPattern("(?m)^  " + Pattern.quote(label) + " .* yes$");
    }
  }

  private static int freePort() throws java.io.IOException {
    try (java.net.ServerSocket s = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    }
  }
}
