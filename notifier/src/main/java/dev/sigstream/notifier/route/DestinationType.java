package dev.sigstream.notifier.route;

import java.util.Map;
import java.util.Set;

/**
 * The destination types and the settings each takes: required plain keys, optional keys with defaults, and
 * secret keys (always {@code env:NAME} or {@code file:/path}, never a literal). Default rates follow the targets'
 * documented limits (Slack about 1/s, PagerDuty 120/min, GitHub 80 content requests/min).
 */
public enum DestinationType {
  CONSOLE("console", Set.of(), Map.of(), Set.of(), 0),
  SLACK_WEBHOOK("slack-webhook", Set.of(), Map.of(), Set.of("url"), 1),
  SLACK_API("slack-api", Set.of("channel"), Map.of("baseUrl", "https://slack.com/api"), Set.of("token"), 1),
  TEAMS("teams", Set.of(), Map.of(), Set.of("url"), 1),
  JIRA_CLOUD("jira-cloud", Set.of("baseUrl", "email", "project"),
      Map.of("issueType", "Bug", "resolveTransition", "Done", "reopenTransition", "Reopen"), Set.of("apiToken"), 5),
  JIRA_DC("jira-dc", Set.of("baseUrl", "project"),
      Map.of("issueType", "Bug", "resolveTransition", "Done", "reopenTransition", "Reopen"), Set.of("token"), 5),
  GITHUB("github", Set.of("repository"), Map.of("baseUrl", "https://api.github.com", "labels", "sigstream"), Set.of("token"), 80.0 / 60),
  SERVICENOW("servicenow", Set.of("baseUrl", "username"),
      Map.of("resolvedState", "6", "reopenState", "2", "closeCode", "Solution provided", "urgency", "2", "impact", "2", "assignmentGroup", ""),
      Set.of("password"), 5),
  PAGERDUTY("pagerduty", Set.of(), Map.of("url", "https://events.pagerduty.com/v2/enqueue"), Set.of("routingKey"), 2),
  WEBHOOK("webhook", Set.of("url"), Map.of(), Set.of("secret"), 10),
  EVENTGRID("eventgrid", Set.of("endpoint"), Map.of(), Set.of("key"), 100);

  private final String id;
  private final Set<String> required;
  private final Map<String, String> defaults;
  private final Set<String> secrets;
  private final double defaultRate;

  DestinationType(final String id, final Set<String> required, final Map<String, String> defaults, final Set<String> secrets, final double defaultRate) {
    this.id = id;
    this.required = required;
    this.defaults = defaults;
    this.secrets = secrets;
    this.defaultRate = defaultRate;
  }

  public String id() {
    return id;
  }

  public Set<String> required() {
    return required;
  }

  public Map<String, String> defaults() {
    return defaults;
  }

  public Set<String> secrets() {
    return secrets;
  }

  public double defaultRate() {
    return defaultRate;
  }

  public static java.util.Optional<DestinationType> byId(final String id) {
    for (final DestinationType t : values()) {
      if (t.id.equals(id)) {
        return java.util.Optional.of(t);
      }
    }
    return java.util.Optional.empty();
  }
}
