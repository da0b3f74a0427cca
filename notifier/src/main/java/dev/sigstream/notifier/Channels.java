package dev.sigstream.notifier;

import com.azure.core.http.jdk.httpclient.JdkHttpClientBuilder;
import dev.sigstream.notifier.channel.Channel;
import dev.sigstream.notifier.channel.ConsoleChannel;
import dev.sigstream.notifier.channel.Http;
import dev.sigstream.notifier.channel.Render;
import dev.sigstream.notifier.channel.eventgrid.EventGridChannel;
import dev.sigstream.notifier.channel.github.GitHubIssuesChannel;
import dev.sigstream.notifier.channel.jira.JiraChannel;
import dev.sigstream.notifier.channel.pagerduty.PagerDutyChannel;
import dev.sigstream.notifier.channel.servicenow.ServiceNowChannel;
import dev.sigstream.notifier.channel.slack.SlackApiChannel;
import dev.sigstream.notifier.channel.slack.SlackWebhookChannel;
import dev.sigstream.notifier.channel.teams.TeamsChannel;
import dev.sigstream.notifier.channel.webhook.StandardWebhookSigner;
import dev.sigstream.notifier.channel.webhook.WebhookChannel;
import dev.sigstream.notifier.route.DestinationSpec;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sigstream.notifier.channel.Escape;
import dev.sigstream.notifier.channel.slack.SlackBlocks;
import dev.sigstream.notifier.channel.teams.AdaptiveCards;
import dev.sigstream.notifier.route.DedupeKey;
import dev.sigstream.notifier.route.DestinationType;
import dev.sigstream.notifier.route.RoutingConfig;
import dev.sigstream.notifier.route.Severity;
import dev.sigstream.notifier.route.Step;
import dev.sigstream.notifier.route.TemplateSpec;
import dev.sigstream.notifier.route.VerdictView;
import dev.sigstream.notifier.template.Markup;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** Builds the adapter for a configured destination. */
public final class Channels {

  private Channels() {}

  /**
   * @param azureHttp the azure-core HTTP client for Event Grid; null builds one on the JDK HttpClient
   */
  public static Channel create(final DestinationSpec d, final String linkBase, final Clock clock, final com.azure.core.http.HttpClient azureHttp) {
    final Render render = new Render(linkBase, d.template());
    final Http http = new Http(d.delivery().timeout(), clock);
    return switch (d.type()) {
      case CONSOLE -> new ConsoleChannel(d.name(), render);
      case SLACK_WEBHOOK -> new SlackWebhookChannel(d.secret("url"), http, render);
      case SLACK_API -> new SlackApiChannel(d.setting("baseUrl"), d.setting("channel"), d.secret("token"), http, render);
      case TEAMS -> new TeamsChannel(d.secret("url"), http, render);
      case JIRA_CLOUD -> new JiraChannel(JiraChannel.Flavour.CLOUD, d.setting("baseUrl"), d.setting("email"), d.secret("apiToken"),
          d.setting("project"), d.setting("issueType"), d.setting("resolveTransition"), d.setting("reopenTransition"), http, render);
      case JIRA_DC -> new JiraChannel(JiraChannel.Flavour.DATA_CENTER, d.setting("baseUrl"), "", d.secret("token"),
          d.setting("project"), d.setting("issueType"), d.setting("resolveTransition"), d.setting("reopenTransition"), http, render);
      case GITHUB -> new GitHubIssuesChannel(d.setting("baseUrl"), d.setting("repository"), d.secret("token"),
          Arrays.stream(d.setting("labels").split(",")).map(String::trim).filter(s -> !s.isEmpty()).toList(), http, render);
      case SERVICENOW -> new ServiceNowChannel(d.setting("baseUrl"), d.setting("username"), d.secret("password"), Map.of(
          "resolvedState", d.setting("resolvedState"), "reopenState", d.setting("reopenState"), "closeCode", d.setting("closeCode"),
          "urgency", d.setting("urgency"), "impact", d.setting("impact"), "assignmentGroup", d.setting("assignmentGroup")), http, render);
      case PAGERDUTY -> new PagerDutyChannel(d.setting("url"), d.secret("routingKey"), http, render);
      case WEBHOOK -> new WebhookChannel(d.setting("url"), new StandardWebhookSigner(d.secret("secret")), http, render);
      case EVENTGRID -> new EventGridChannel(d.setting("endpoint"), d.secret("key"), azureHttp != null ? azureHttp
          : new JdkHttpClientBuilder().connectionTimeout(d.delivery().timeout()).responseTimeout(d.delivery().timeout()).build(), render);
    };
  }

  /** The markup a destination type's title and body are escaped for. */
  public static Markup markup(final DestinationType t) {
    return switch (t) {
      case CONSOLE -> Markup.CONSOLE;
      case SLACK_WEBHOOK, SLACK_API -> Markup.SLACK;
      case TEAMS, GITHUB -> Markup.MARKDOWN;
      case JIRA_DC -> Markup.JIRA_WIKI;
      case SERVICENOW -> Markup.SERVICENOW;
      case JIRA_CLOUD, PAGERDUTY, WEBHOOK, EVENTGRID -> Markup.PLAIN;
    };
  }

  /**
   * The start-up check of a destination's effective templates ({@link RoutingConfig.TemplateCheck}): renders sample
   * steps (markup in every value, 1,024-character values, a 200-artifact digest, a resolution with no signer or
   * policy) through the channel's own message builders and validates the result as the channel will before
   * sending (Block Kit limits, Adaptive Card rules, JSON), so an invalid template stops start-up instead of
   * dead-lettering every notification.
   */
  public static List<String> checkTemplates(final String at, final DestinationSpec d, final TemplateSpec t, final String linkBase) {
    final Render render = new Render(linkBase, t);
    final Set<String> problems = new LinkedHashSet<>();
    for (final Map.Entry<String, Step> sample : samples().entrySet()) {
      final Step s = sample.getValue();
      final String when = " (rendering " + sample.getKey() + ")";
      try {
        final List<String> found = new ArrayList<>();
        if (render.title(s, markup(d.type())).isBlank()) {
          found.add("the title renders empty");
        }
        switch (d.type()) {
          case SLACK_WEBHOOK, SLACK_API -> {
            final ObjectNode msg = Http.JSON.createObjectNode();
            msg.put("text", Escape.cap(render.title(s, Markup.SLACK), 1024));
            msg.set("blocks", SlackBlocks.blocks(s, render));
            found.addAll(SlackBlocks.validate(msg));
          }
          case TEAMS -> found.addAll(AdaptiveCards.validate(AdaptiveCards.envelope(s, render)));
          case CONSOLE -> { }
          default -> render.body(s, markup(d.type()));
        }
        found.forEach(p -> problems.add(at + ": renders invalid output: " + p + when));
      } catch (RuntimeException e) {
        problems.add(at + ": " + e.getMessage() + when);
      }
    }
    return List.copyOf(problems);
  }

  private static Map<String, Step> samples() {
    final Instant t0 = Instant.parse("2026-01-01T00:00:00Z");
    final VerdictView hostile = new VerdictView("reg.example/team/<!channel>@sha256:0", "e1", "reg.example",
        "team/<!channel>*_[x](https://evil)\"\\{{x}}|@here", Optional.of("sha256:" + "0".repeat(64)), Optional.of("v1<b>&\"'"),
        "CONTAINER_IMAGE", VerdictView.Outcome.FAIL, "CERT_REVOKED", "line one\nline \"two\" [code]<b>x</b>[/code] `tick`",
        Optional.of("prod\"<>"), Optional.of("CN=\"Evil\" <@here>, O=\\{{x}}"), t0);
    final String k = "x".repeat(1024);
    final VerdictView longest = new VerdictView(k, k, k, k, Optional.of(k), Optional.of(k), "CONTAINER_IMAGE", VerdictView.Outcome.ERROR,
        "REGISTRY_UNAVAILABLE", k, Optional.of(k), Optional.of(k), t0);
    final VerdictView pass = new VerdictView("reg.example/app@sha256:1", "e2", "reg.example", "app", Optional.of("sha256:1"), Optional.empty(),
        "HELM_CHART", VerdictView.Outcome.PASS, "OK", "", Optional.empty(), Optional.empty(), t0);
    final List<VerdictView> members = new ArrayList<>();
    for (int i = 0; i < NotifyProcessor.MAX_DIGEST - 1; i++) {
      members.add(new VerdictView("reg.example/" + "r".repeat(80) + i + "@sha256:" + i, "g" + i, "reg.example", "r".repeat(80) + i,
          Optional.of("sha256:" + i), Optional.empty(), "CONTAINER_IMAGE", VerdictView.Outcome.FAIL, "CERT_REVOKED", "", Optional.empty(),
          Optional.empty(), t0));
    }
    final Map<String, Step> out = new LinkedHashMap<>();
    out.put("a failure with markup in every value", step(Step.Action.OPEN, hostile, Severity.CRITICAL, List.of()));
    out.put("a reminder with 1,024-character values", step(Step.Action.REMIND, longest, Severity.WARNING, List.of()));
    out.put("a digest of " + NotifyProcessor.MAX_DIGEST + " artifacts", step(Step.Action.OPEN, hostile, Severity.CRITICAL, members));
    out.put("a resolution without tag, signer or policy", step(Step.Action.RESOLVE, pass, Severity.INFO, List.of()));
    out.put("a PASS", step(Step.Action.NOTIFY, pass, Severity.INFO, List.of()));
    return out;
  }

  private static Step step(final Step.Action a, final VerdictView v, final Severity sev, final List<VerdictView> grouped) {
    final String cls = a == Step.Action.RESOLVE ? "CERT_REVOKED" : v.reasonCode();
    return new Step(a, DedupeKey.of(v, cls, "check"), Optional.empty(), false, v, sev, cls, TemplateSpec.NONE, grouped);
  }
}
