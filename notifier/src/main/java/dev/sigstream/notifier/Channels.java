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
import java.time.Clock;
import java.util.Arrays;
import java.util.Map;

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
}
