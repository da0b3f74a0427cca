package dev.sigstream.notifier.template;

import java.util.Locale;
import java.util.regex.Pattern;

/**
 * The markup a target interprets, and how a user-controlled value (repository name, tag, certificate subject,
 * detail) is escaped for it, so that {@code <!channel>}, {@code [click](https://evil)} or {@code @team} in a
 * repository name is shown, never interpreted.
 */
public enum Markup {
  /** Plain-text fields: PagerDuty, JSON payloads (webhook, Event Grid), Jira ADF text nodes. Nothing to escape. */
  PLAIN,
  /** Slack mrkdwn: Slack's documented escapes for &amp;, &lt;, &gt; (which also neutralise {@code <!channel>} and links). */
  SLACK,
  /** CommonMark (GitHub issues, Teams Adaptive Card text): backslash escapes, and {@code @} mentions broken. */
  MARKDOWN,
  /** Jira Data Center wiki markup (REST v2 descriptions and comments). */
  JIRA_WIKI,
  /**
   * ServiceNow text and journal fields (description, work notes): plain text, except that the instance renders
   * HTML between {@code [code]} and {@code [/code]}; those markers are broken in values so a value cannot open HTML.
   */
  SERVICENOW,
  /** A log line: control characters (CR, LF, ANSI escapes) replaced so a value cannot forge log lines. */
  CONSOLE;

  private static final Pattern SNOW_CODE = Pattern.compile("\\[(/?)(code)\\]", Pattern.CASE_INSENSITIVE);
  private static final Pattern CONTROL = Pattern.compile("\\p{Cntrl}");

  public String escape(final String s) {
    return switch (this) {
      case PLAIN -> s;
      case SLACK -> s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
      case MARKDOWN -> markdown(s);
      case JIRA_WIKI -> backslash(s, "\\{}[]|*_+^~?!#-");
      // A zero-width space after the bracket: "[\u200Bcode]" is shown as written and is no tag.
      case SERVICENOW -> SNOW_CODE.matcher(s).replaceAll("[\u200B$1$2]");
      case CONSOLE -> CONTROL.matcher(s).replaceAll("?");
    };
  }

  private static String markdown(final String s) {
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

  private static String backslash(final String s, final String special) {
    final StringBuilder b = new StringBuilder(s.length() + 8);
    for (int i = 0; i < s.length(); i++) {
      final char c = s.charAt(i);
      if (special.indexOf(c) >= 0) {
        b.append('\\');
      }
      b.append(c);
    }
    return b.toString();
  }

  /** The id used in documentation and error messages. */
  public String id() {
    return name().toLowerCase(Locale.ROOT).replace('_', '-');
  }
}
