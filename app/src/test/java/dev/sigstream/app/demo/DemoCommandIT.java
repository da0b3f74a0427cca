package dev.sigstream.app.demo;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sigstream.app.Sigstream;
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
@Timeout(120)
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
  void demo_pushesEveryCase_andEachGetsItsVerdictWithinTheBudget(@TempDir final Path tmp) throws Exception {
    // Given a fresh data directory and any free HTTP port
    final Path data = tmp.resolve("demo");
    final StringWriter out = new StringWriter();
    final CommandLine cl = Sigstream.newCommandLine();
    cl.setOut(new PrintWriter(out, true));
    final long t0 = System.nanoTime();

    // When the demo runs headless
    final int code = cl.execute("demo", "--data-dir", data.toString(), "--http-port", "0", "--exit-after-summary");
    final double seconds = (System.nanoTime() - t0) / 1e9;
    final String text = out.toString();

    // Then every verdict line the watcher printed (straight from verdicts.v1) ends as expected
    assertThat(code).as(text).isEqualTo(ExitCodes.OK);
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
    // The console channel delivered notifications (logged by the notifier), the trust material is on disk
    assertThat(Files.readString(data.resolve("notation/trustpolicy.oci.json"))).contains("\"ca:demo\"");
    assertThat(data.resolve("notation/truststore/x509/ca/demo/root.pem")).exists();
    assertThat(data.resolve("registry/config.yml")).content().contains("/v1/events/demo");
    assertThat(seconds).as("demo run time").isLessThan(90);
  }
}
