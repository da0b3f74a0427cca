package dev.sigstream.notifier.channel;

import dev.sigstream.notifier.template.Markup;
import java.util.function.UnaryOperator;

/**
 * Escaping of user-controlled strings for each target's markup (the rules live in {@link Markup}, which templates
 * use for every value they substitute).
 */
public final class Escape {

  private Escape() {}

  /** Plain-text targets (PagerDuty, ServiceNow, Jira ADF text nodes, JSON fields): nothing to escape. */
  public static final UnaryOperator<String> PLAIN = s -> s;

  /** Slack mrkdwn. */
  public static String slack(final String s) {
    return Markup.SLACK.escape(s);
  }

  /** CommonMark (GitHub, Teams Adaptive Card TextBlocks). */
  public static String markdown(final String s) {
    return Markup.MARKDOWN.escape(s);
  }

  /** Jira wiki markup (Data Center v2 descriptions). */
  public static String jiraWiki(final String s) {
    return Markup.JIRA_WIKI.escape(s);
  }

  /** Cuts to {@code max} characters with an ellipsis (summary and title limits of the targets). */
  public static String cap(final String s, final int max) {
    return s.length() <= max ? s : s.substring(0, Math.max(0, max - 1)) + "\u2026";
  }
}
