package dev.sigstream.notifier.route;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sigstream.notifier.Verdicts;
import dev.sigstream.schemas.avro.Outcome;
import dev.sigstream.schemas.avro.ReasonCode;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RoutingConfigTest {

  static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");

  static final String YAML = """
      verdictLink: https://sigstream.example.com/api/verdicts/
      lifecycle: {repeatInterval: 4h, reopenWindow: 1d}
      destinations:
        console: {type: console}
        sec-slack: {type: slack-webhook, url: "env:SLACK_URL"}
        pd: {type: pagerduty, routingKey: "env:PD_KEY", ratePerSecond: 2}
        gh: {type: github, repository: acme/security, token: "env:GH_TOKEN"}
      rules:
        - name: revoked-signer-pages
          match: {outcomes: [FAIL], reasonCodes: [CERT_REVOKED], repository: "registry.example.com/prod/**"}
          destinations: [{name: pd, minSeverity: CRITICAL}, sec-slack]
          continue: true
        - name: prod-failures
          match: {outcomes: [FAIL, ERROR], policies: [prod], artifactClasses: [CONTAINER_IMAGE]}
          destinations: [{name: gh, minSeverity: ERROR}, sec-slack]
        - name: everything
          destinations: [console]
      """;

  static final Map<String, String> ENV = Map.of("SLACK_URL", "https://hooks.slack.com/services/T/B/x", "PD_KEY", "k".repeat(32), "GH_TOKEN", "ghp_x");

  @Test
  void routesInOrder_withContinueAndMinSeverity() {
    // Given
    final RoutingConfig c = RoutingConfig.parse(YAML, ENV);
    final Router router = new Router(c.rules());

    // When
    final var revokedProd = router.route(Verdicts.view("prod/app", Outcome.FAIL, ReasonCode.CERT_REVOKED, T0));
    final var unsignedProd = router.route(Verdicts.view("prod/app", Outcome.FAIL, ReasonCode.NO_SIGNATURE, T0));
    final var inconclusive = router.route(Verdicts.view("dev/app", Outcome.ERROR, ReasonCode.REGISTRY_UNAVAILABLE, T0));
    final var pass = router.route(Verdicts.view("prod/app", Outcome.PASS, ReasonCode.OK, T0));

    // Then: rule 1 continues into rule 2, which stops; sec-slack appears once
    assertThat(revokedProd).extracting(Notification::destination).containsExactly("pd", "sec-slack", "gh");
    assertThat(revokedProd).extracting(Notification::rule).containsExactly("revoked-signer-pages", "revoked-signer-pages", "prod-failures");
    // NO_SIGNATURE is not CERT_REVOKED; the second rule matches and stops
    assertThat(unsignedProd).extracting(Notification::destination).containsExactly("gh", "sec-slack");
    // ERROR is WARNING severity: below gh's minimum
    assertThat(inconclusive).extracting(Notification::destination).containsExactly("sec-slack");
    assertThat(pass).extracting(Notification::destination).containsExactly("console");
    assertThat(c.lifecycle().reopenWindow()).isEqualTo(Duration.ofDays(1));
    assertThat(c.destinations().get("pd").delivery().ratePerSecond()).isEqualTo(2.0);
  }

  @Test
  void reportsEveryProblemAtOnce_andNeverEchoesALiteralSecret() {
    final String bad = """
        destinations:
          slack: {type: slack-webhook, url: "https://hooks.slack.com/services/T/B/literal-secret"}
          jira: {type: jira-cloud, baseUrl: "ftp://jira", project: SEC, apiToken: "env:MISSING"}
          pd: {type: pagerdoody}
          gh: {type: github, repository: "not a repo", token: "env:GH_TOKEN", colour: red}
        rules:
          - name: r1
            match: {outcomes: [FAILED], reasonCodes: [NOT_A_CODE], repository: ""}
            destinations: [nowhere, {name: gh, minSeverity: LOUD}]
            continue: maybe
        """;
    assertThatThrownBy(() -> RoutingConfig.parse(bad, Map.of("GH_TOKEN", "x")))
        .isInstanceOf(RoutingConfigException.class)
        .satisfies(e -> {
          final var problems = ((RoutingConfigException) e).problems();
          assertThat(problems).anyMatch(p -> p.startsWith("destinations.slack.url: secrets must be given as env:"));
          assertThat(problems).anyMatch(p -> p.contains("destinations.jira.email: required"));
          assertThat(problems).anyMatch(p -> p.contains("destinations.jira.baseUrl: must be an http(s) URL"));
          assertThat(problems).anyMatch(p -> p.contains("environment variable MISSING is not set"));
          assertThat(problems).anyMatch(p -> p.contains("destinations.pd.type: unknown type 'pagerdoody'"));
          assertThat(problems).anyMatch(p -> p.contains("destinations.gh.repository: expected owner/name"));
          assertThat(problems).anyMatch(p -> p.contains("destinations.gh.colour: unknown key"));
          assertThat(problems).anyMatch(p -> p.contains("rules[0].match.outcomes: unknown value 'FAILED'"));
          assertThat(problems).anyMatch(p -> p.contains("rules[0].match.reasonCodes: unknown value 'NOT_A_CODE'"));
          assertThat(problems).anyMatch(p -> p.contains("rules[0].match.repository: glob must not be blank"));
          assertThat(problems).anyMatch(p -> p.contains("rules[0].destinations[0]: unknown destination 'nowhere'"));
          assertThat(problems).anyMatch(p -> p.contains("rules[0].destinations[1].minSeverity"));
          assertThat(problems).anyMatch(p -> p.contains("rules[0].continue: must be true or false"));
          assertThat(e.getMessage()).doesNotContain("literal-secret");
        });
  }

  @Test
  void readsSecretsFromFiles_andMasksThemInToString(@org.junit.jupiter.api.io.TempDir final java.nio.file.Path dir) throws Exception {
    final var f = dir.resolve("pd-key");
    java.nio.file.Files.writeString(f, "s3cr3t-routing-key\n");
    final RoutingConfig c = RoutingConfig.parse("""
        destinations: {pd: {type: pagerduty, routingKey: "file:%s"}}
        rules: [{name: all, destinations: [pd]}]
        """.formatted(f), Map.of());
    assertThat(c.destinations().get("pd").secret("routingKey")).isEqualTo("s3cr3t-routing-key");
    assertThat(c.toString()).doesNotContain("s3cr3t").contains("Secret[file:");
  }

  @Test
  void globMatchesWithinAndAcrossSegments() {
    assertThat(RepositoryGlob.compile("registry.example.com/team/*").matches("registry.example.com/team/app")).isTrue();
    assertThat(RepositoryGlob.compile("registry.example.com/team/*").matches("registry.example.com/team/a/b")).isFalse();
    assertThat(RepositoryGlob.compile("*/team/**").matches("registry.example.com/team/a/b")).isTrue();
    assertThat(RepositoryGlob.compile("registry.example.com/app?").matches("registry.example.com/app1")).isTrue();
    // Regex metacharacters in the glob are literals
    assertThat(RepositoryGlob.compile("reg.example.com/a+b").matches("regxexample.com/aab")).isFalse();
  }
}
