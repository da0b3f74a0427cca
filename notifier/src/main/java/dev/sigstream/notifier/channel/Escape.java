package dev.sigstream.notifier.channel;

import java.util.function.UnaryOperator;

/**
 * Escaping of user-controlled strings (repository names, tags, certificate subjects, details) for each target's
 * markup, so a repository called {@code <!channel>} or {@code [click](https://evil)} is shown, not interpreted.
 */
public final class Escape {

  private Escape() {}

  /** Plain-text targets (PagerDuty, ServiceNow, Jira ADF text nodes, JSON fields): nothing to escape. */
  public static final UnaryOperator<String> PLAIN = s -> s;

  /** Slack mrkdwn: Slack's documented escapes for &amp;, &lt;, &gt; (which also neutralises {@code <!channel>} and links). */
  public static String slack(final String s) {
    return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
  }

  /**
   * CommonMark (GitHub, Teams Adaptive Card TextBlocks): backslash before every ASCII punctuation character
   * that has meaning, and a zero-width joiner after {@code @} so {@code @team} mentions nobody.
   */
  public static String markdown(final String s) {
    final StringBuilder b = new StringBuilder(s.length() + 8);
    for (int i = 0; i < s.length(); i++) {
      final char c = s.charAt(i);
      if ("\\`*_{}[]()#+-.!<>|~&".indexOf(c) >= 0) {
        b.append('\\').append(c);
      } else if (c == '@') {
        b.append("@\u200D");
      } else {
        b.append(c);
      }
    }
    return b.toString();
  }

  /** Jira wiki markup (Data Center v2 descriptions): backslash before markup characters. */
  public static String jiraWiki(final String s) {
    final StringBuilder b = new StringBuilder(s.length() + 8);
    for (int i = 0; i < s.length(); i++) {
      final char c = s.charAt(i);
      if ("\\{}[]|*_+^~?!#-".indexOf(c) >= 0) {
        b.append('\\');
      }
      b.append(c);
    }
    return b.toString();
  }

  /** Cuts to {@code max} characters with an ellipsis (summary and title limits of the targets). */
  public static String cap(final String s, final int max) {
    return s.length() <= max ? s : s.substring(0, Math.max(0, max - 1)) + "\u2026";
  }
}
