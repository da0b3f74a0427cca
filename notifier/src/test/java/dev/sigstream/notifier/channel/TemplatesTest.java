package dev.sigstream.notifier.channel;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import dev.sigstream.notifier.Channels;
import dev.sigstream.notifier.NotifierConfig;
import dev.sigstream.notifier.Verdicts;
import dev.sigstream.notifier.channel.servicenow.ServiceNowChannel;
import dev.sigstream.notifier.channel.slack.SlackWebhookChannel;
import dev.sigstream.notifier.channel.teams.AdaptiveCards;
import dev.sigstream.notifier.delivery.DeliveryResult;
import dev.sigstream.notifier.route.DestinationSpec;
import dev.sigstream.notifier.route.Lifecycle;
import dev.sigstream.notifier.route.LifecyclePolicy;
import dev.sigstream.notifier.route.Notification;
import dev.sigstream.notifier.route.Router;
import dev.sigstream.notifier.route.RoutingConfig;
import dev.sigstream.notifier.route.RoutingConfigException;
import dev.sigstream.notifier.route.Step;
import dev.sigstream.notifier.route.TemplateSpec;
import dev.sigstream.notifier.route.VerdictView;
import dev.sigstream.notifier.template.Markup;
import dev.sigstream.schemas.avro.Outcome;
import dev.sigstream.schemas.avro.ReasonCode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** Mustache templates: defaults, per-route overrides, per-markup escaping, and start-up validation of what they render. */
class TemplatesTest {

  @RegisterExtension
  static WireMockExtension wm = WireMockExtension.newInstance().options(wireMockConfig().dynamicPort()).build();

  @TempDir
  Path dir;

  private static final Map<String, String> ENV = Map.of("SLACK_URL", "http://127.0.0.1:1/hook", "TEAMS_URL", "http://127.0.0.1:1/wf");

  private static Step routed(final RoutingConfig c, final String destination, final VerdictView v) {
    final Optional<Notification> n = new Router(c.rules()).route(v).stream().filter(x -> x.destination().equals(destination)).findFirst();
    return Lifecycle.decide(Optional.empty(), v, n, destination, LifecyclePolicy.defaults(), Fixtures.T0).get(0);
  }

  @Test
  void aRuleOverridesTheDestinationsTemplates_slotBySlot() {
    // Given: a destination with its own title and body, and a rule that overrides only the body
    final RoutingConfig c = RoutingConfig.parse("""
        destinations:
          chat: {type: slack-webhook, url: "env:SLACK_URL", template: {title: "DEST {{reason}}", body: "dest body {{artifact}}"}}
        rules:
          - name: revoked
            match: {reasonCodes: [CERT_REVOKED]}
            destinations: [{name: chat, template: {body: "ROUTE body for {{repository}} signed by {{signer}}"}}]
          - name: rest
            destinations: [chat]
        """, ENV, Channels::checkTemplates);
    final DestinationSpec chat = c.destinations().get("chat");
    final Render render = new Render(c.verdictLink(), chat.template());

    // When
    final Step revoked = routed(c, "chat", Verdicts.view("team/<!channel>", Outcome.FAIL, ReasonCode.CERT_REVOKED, Fixtures.T0));
    final Step other = routed(c, "chat", Verdicts.view("prod/app", Outcome.FAIL, ReasonCode.UNTRUSTED_IDENTITY, Fixtures.T0));

    // Then: the rule's body, the destination's title; values escaped for mrkdwn
    assertThat(render.title(revoked, Markup.SLACK)).isEqualTo("DEST CERT_REVOKED");
    assertThat(render.body(revoked, Markup.SLACK)).isEqualTo("ROUTE body for team/&lt;!channel&gt; signed by CN=release,O=Example");
    assertThat(render.body(other, Markup.SLACK)).startsWith("dest body registry.example.com/prod/app@sha256:");
  }

  @Test
  void theOverriddenTemplateIsWhatTheChannelSends() {
    // Given
    wm.stubFor(post("/hook").willReturn(aResponse().withStatus(200).withBody("ok")));
    final RoutingConfig c = RoutingConfig.parse("""
        destinations:
          chat: {type: slack-webhook, url: "env:SLACK_URL"}
        rules:
          - name: all
            destinations: [{name: chat, template: {title: "Blocked {{artifact}}", body: "Ask #sec about {{detail}}"}}]
        """, ENV, Channels::checkTemplates);
    final Step s = routed(c, "chat", Verdicts.view("prod/app", Outcome.FAIL, ReasonCode.CERT_REVOKED, Fixtures.T0));

    // When
    final DeliveryResult r = new SlackWebhookChannel(wm.baseUrl() + "/hook", Fixtures.http(), new Render(c.verdictLink(), TemplateSpec.NONE))
        .send(s, 1, false);

    // Then
    assertThat(r).isInstanceOf(DeliveryResult.Delivered.class);
    final JsonNode body = Fixtures.json(wm.findAll(postRequestedFor(urlEqualTo("/hook"))).get(0).getBodyAsString());
    assertThat(body.path("text").asText()).startsWith("Blocked registry.example.com/prod/app@");
    assertThat(body.path("blocks").get(1).path("text").path("text").asText()).isEqualTo("Ask #sec about the signer's certificate was revoked");
  }

  @Test
  void defaults_carryArtifactOutcomeReasonSignerPolicyAndTheLink() {
    final Step s = Fixtures.open();
    final Render r = Fixtures.render();
    for (final Markup m : Markup.values()) {
      assertThat(r.body(s, m)).as(m.name()).contains(List.of("prod/app", "FAIL", "CERT_REVOKED", "CN=release,O=Example", "Policy", "prod")
          .stream().map(m::escape).toList());
    }
    assertThat(AdaptiveCards.envelope(s, r).toString()).contains(r.link(s.verdict()));
  }

  @Test
  void values_areEscapedForEachMarkup() {
    assertThat(Markup.SLACK.escape("<!channel> & <https://x|y>")).isEqualTo("&lt;!channel&gt; &amp; &lt;https://x|y&gt;");
    assertThat(Markup.MARKDOWN.escape("[x](https://evil) @admins")).isEqualTo("\\[x\\]\\(https://evil\\) @\u200Dadmins");
    assertThat(Markup.JIRA_WIKI.escape("[x|https://evil] {code}")).isEqualTo("\\[x\\|https://evil\\] \\{code\\}");
    assertThat(Markup.SERVICENOW.escape("a [code]<img src=x onerror=alert(1)>[/CODE] b")).doesNotContainIgnoringCase("[code]")
        .doesNotContainIgnoringCase("[/code]").contains("<img");
    assertThat(Markup.CONSOLE.escape("a\nINFO forged\u001b[31m")).isEqualTo("a?INFO forged?[31m");
    assertThat(Markup.PLAIN.escape("<b>")).isEqualTo("<b>");
  }

  @Test
  void jsonTemplates_escapeValuesAsJsonStrings_soAnyValueKeepsTheMessageValid() {
    // Given: a blocks template and a repository full of quotes, backslashes and mustache
    final Render r = new Render(Fixtures.render().link(Fixtures.open().verdict()).substring(0, 0) + "https://s.example/v/",
        new TemplateSpec(Optional.empty(), Optional.empty(),
            Optional.of("[{\"type\":\"section\",\"text\":{\"type\":\"mrkdwn\",\"text\":\"*{{repository}}* <{{{link}}}|verdict>\"}}]"), Optional.empty()));
    final Step s = Fixtures.step(Step.Action.OPEN, "a\"b\\c{{x}}<!here>", Optional.empty());

    // When
    final JsonNode blocks = r.json(s, "blocks", Markup.SLACK).orElseThrow();

    // Then
    assertThat(blocks.get(0).path("text").path("text").asText()).startsWith("*a\"b\\c{{x}}&lt;!here&gt;* <https://s.example/v/");
  }

  @Test
  void serviceNow_descriptionCannotOpenHtml() {
    wm.stubFor(post("/api/now/table/incident").willReturn(aResponse().withStatus(201).withBody("{\"result\":{\"sys_id\":\"s1\"}}")));
    final ServiceNowChannel ch = new ServiceNowChannel(wm.baseUrl(), "u", "p", Map.of("urgency", "1", "impact", "1"), Fixtures.http(),
        Fixtures.render());
    ch.send(Fixtures.step(Step.Action.OPEN, "team/[code]<script>x</script>[/code]", Optional.empty()), 1, false);
    final JsonNode body = Fixtures.json(wm.findAll(postRequestedFor(urlEqualTo("/api/now/table/incident"))).get(0).getBodyAsString());
    assertThat(body.path("description").asText()).contains("<script>").doesNotContain("[code]").doesNotContain("[/code]");
    assertThat(body.path("short_description").asText()).doesNotContain("[code]");
  }

  @Test
  void legacySingleBraceTitles_stillWork() {
    final Render r = new Render("https://s.example/v/", Optional.of("[{severity}] {reason} in {artifact}"));
    assertThat(r.title(Fixtures.open(), Markup.PLAIN)).startsWith("[CRITICAL] CERT_REVOKED in registry.example.com/prod/app@sha256:");
  }

  @Test
  void templatesThatRenderInvalidOutput_failStartUp_withEveryOtherProblem() throws IOException {
    // Given: a Slack blocks template with an unknown block type, an overlong section for long values, a Teams card
    // that is not an AdaptiveCard, syntax errors, an unknown variable, unescaped output, a partial, a slot the type
    // does not use, and an unrelated unknown key
    final Path routes = dir.resolve("routes.yaml");
    Files.writeString(routes, """
        destinations:
          chat: {type: slack-webhook, url: "env:SLACK_URL",
                 template: {blocks: '[{"type":"banner","text":{"type":"mrkdwn","text":"{{artifact}}"}}]'}}
          chat2: {type: slack-webhook, url: "env:SLACK_URL",
                 template: {blocks: '[{"type":"section","text":{"type":"mrkdwn","text":"{{artifact}} {{detail}} {{signer}} {{policy}}"}}]'}}
          teams: {type: teams, url: "env:TEAMS_URL", template: {card: '{"type":"MessageCard","version":"1.4","body":[{"type":"TextBlock","text":"{{artifact}}"}]}'}}
          broken: {type: teams, url: "env:TEAMS_URL", template: {card: '{"type": "AdaptiveCard", "text": "{{artifact}}"'}}
          console: {type: console, template: {title: "{{#outcome}}unclosed", body: "x"}}
        rules:
          - name: all
            destinations:
              - {name: chat, template: {title: "{{artifcat}} {{{repository}}} {{> evil}}"}}
              - chat2
              - teams
              - broken
              - console
            bogus: true
        """);

    // When / Then: one exception lists them all
    assertThatThrownBy(() -> NotifierConfig.load(Optional.of(routes), ENV, dir))
        .isInstanceOfSatisfying(RoutingConfigException.class, e -> assertThat(e.problems())
            .anyMatch(p -> p.startsWith("destinations.chat.template: renders invalid output: blocks[0]: unknown type 'banner'"))
            .anyMatch(p -> p.startsWith("destinations.chat2.template: renders invalid output: blocks[0]: section text longer than 3000")
                && p.contains("1,024-character values"))
            .anyMatch(p -> p.startsWith("destinations.teams.template: renders invalid output: Property 'type' must be 'AdaptiveCard'"))
            .anyMatch(p -> p.startsWith("destinations.broken.template: the card template renders invalid JSON"))
            .anyMatch(p -> p.startsWith("destinations.console.template.title:") && p.contains("unclosed") || p.contains("Failed to close"))
            .anyMatch(p -> p.equals("destinations.console.template.body: not used by type console (it uses [title])"))
            .anyMatch(p -> p.startsWith("rules[0].destinations[0].template.title: unknown variable 'artifcat'"))
            .anyMatch(p -> p.contains("'{{{repository}}}': unescaped output is allowed for {{{link}}} only"))
            .anyMatch(p -> p.contains("'{{> evil}}': partials"))
            .anyMatch(p -> p.equals("rules[0].bogus: unknown key")));
  }

  @Test
  void validTemplates_passTheStartUpCheck() {
    final List<String> problems = Channels.checkTemplates("t", RoutingConfig.parse("""
        destinations:
          chat: {type: slack-api, channel: C1, token: "env:SLACK_URL"}
        rules: [{name: all, destinations: [chat]}]
        """, ENV).destinations().get("chat"), new TemplateSpec(Optional.of("{{action}}{{outcome}} {{artifact}}"),
        Optional.of("{{#grouped}}{{artifact}}{{^last}}, {{/last}}{{/grouped}}"),
        Optional.of("[{\"type\":\"section\",\"text\":{\"type\":\"mrkdwn\",\"text\":\"{{reason}}: {{repository}} <{{{link}}}|open>\"}}]"),
        Optional.empty()), "https://s.example/v/");
    assertThat(problems).isEmpty();
  }
}
