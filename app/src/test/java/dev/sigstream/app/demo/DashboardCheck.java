package dev.sigstream.app.demo;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sigstream.verifier.topology.VerifierMetrics;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The Grafana dashboard ({@code deploy/grafana/sigstream.json}) against a real {@code /metrics} scrape: every metric
 * a panel or variable queries is served, with every label the query groups by.
 */
final class DashboardCheck {

  /**
   * Counters the code registers on first use, which a demo run does not reach (no registry error to retry): named
   * from the code's own constant, so a rename still breaks the check.
   */
  static final Map<String, String> LAZY = Map.of(
      VerifierMetrics.RETRIES.replace('.', '_') + "_total", "a retried registry error");

  private static final Pattern METRIC = Pattern.compile("\\b((?:sigstream|jvm)_[a-z0-9_]+)");
  private static final Pattern BY = Pattern.compile("\\bby \\(([^)]*)\\)");

  private DashboardCheck() {
  }

  static Path dashboard() {
    Path p = Path.of("").toAbsolutePath();
    while (p != null && !Files.isRegularFile(p.resolve("deploy/grafana/sigstream.json"))) {
      p = p.getParent();
    }
    assertThat(p).as("deploy/grafana/sigstream.json above the working directory").isNotNull();
    return p.resolve("deploy/grafana/sigstream.json");
  }

  /** The PromQL of every panel target and every query variable. */
  static List<String> queries() throws IOException {
    final JsonNode d = new ObjectMapper().readTree(dashboard().toFile());
    final List<String> out = new ArrayList<>();
    d.path("panels").forEach(p -> p.path("targets").forEach(t -> out.add(t.path("expr").asText())));
    d.at("/templating/list").forEach(v -> {
      if ("query".equals(v.path("type").asText())) {
        out.add(v.path("query").asText());
      }
    });
    assertThat(out).isNotEmpty().doesNotContain("");
    return out;
  }

  static void assertEveryQueriedMetricExists(final String scrape) throws IOException {
    final List<String> problems = new ArrayList<>();
    for (final String q : queries()) {
      final Set<String> labels = new LinkedHashSet<>();
      final Matcher by = BY.matcher(q);
      while (by.find()) {
        for (final String l : by.group(1).split(",")) {
          labels.add(l.trim());
        }
      }
      final Matcher m = METRIC.matcher(q);
      while (m.find()) {
        final String metric = m.group(1);
        final List<String> samples = scrape.lines().filter(line -> line.startsWith(metric + "{")
            || line.startsWith(metric + " ")).toList();
        if (samples.isEmpty()) {
          if (!LAZY.containsKey(metric)) {
            problems.add(metric + " (queried by: " + q + ") is not on /metrics");
          }
          continue;
        }
        for (final String l : labels) {
          if (l.equals("instance") || l.equals("job")) {
            continue; // added by Prometheus when it scrapes, not served
          }
          if (samples.stream().noneMatch(s -> s.contains(l + "=\""))) {
            problems.add(metric + " has no label '" + l + "' (grouped by in: " + q + ")");
          }
        }
      }
    }
    assertThat(problems).isEmpty();
  }
}
