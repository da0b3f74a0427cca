package dev.sigstream.notifier.channel;

import dev.sigstream.notifier.route.Step;
import dev.sigstream.notifier.route.VerdictView;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.UnaryOperator;

/**
 * Templates with safe defaults. A template is text with placeholders {@code {artifact}}, {@code {outcome}},
 * {@code {reason}}, {@code {detail}}, {@code {signer}}, {@code {policy}}, {@code {severity}}, {@code {action}},
 * {@code {link}} and {@code {count}}; every substituted value is escaped for the target's markup (the template text
 * itself is the operator's and is not).
 */
public final class Render {

  /** No escaping, for JSON fields and plain-text targets. */
  public static final java.util.function.UnaryOperator<String> PLAIN_ESCAPE = x -> x;

  public static final String DEFAULT_SUMMARY = "{action}{outcome} {reason}: {artifact}";

  private final String linkBase;
  private final Optional<String> destinationTemplate;

  public Render(final String linkBase, final Optional<String> destinationTemplate) {
    this.linkBase = linkBase;
    this.destinationTemplate = destinationTemplate;
  }

  /** The one-line summary (title, Slack fallback text, PagerDuty summary), escaped with {@code esc}. */
  public String summary(final Step s, final UnaryOperator<String> esc) {
    final String t = s.template().or(() -> destinationTemplate).orElse(DEFAULT_SUMMARY);
    return fill(t, s, esc);
  }

  public String link(final VerdictView v) {
    return linkBase + URLEncoder.encode(v.key(), StandardCharsets.UTF_8);
  }

  /** Labelled facts for bodies (FactSet, Slack fields, ticket descriptions), values unescaped. */
  public Map<String, String> facts(final Step s) {
    final VerdictView v = s.verdict();
    final Map<String, String> f = new LinkedHashMap<>();
    f.put("Artifact", v.artifact());
    v.tag().ifPresent(t -> f.put("Tag", t));
    f.put("Class", v.artifactClass());
    f.put("Outcome", v.outcome().name());
    f.put("Reason", s.action() == Step.Action.RESOLVE ? s.failureClass() + " (resolved by " + v.reasonCode() + ")" : v.reasonCode());
    f.put("Severity", s.severity().name());
    f.put("Policy", v.policy().orElse("(none)"));
    f.put("Signer", v.signer().orElse("(none)"));
    if (!v.detail().isBlank()) {
      f.put("Detail", v.detail());
    }
    if (!s.grouped().isEmpty()) {
      f.put("Also affected", (s.grouped().size()) + " more artifact(s)");
    }
    return f;
  }

  public static String actionPrefix(final Step.Action a) {
    return switch (a) {
      case OPEN, NOTIFY -> "";
      case REMIND -> "Still failing: ";
      case RESOLVE -> "Resolved: ";
      case REOPEN -> "Reopened: ";
    };
  }

  private String fill(final String template, final Step s, final UnaryOperator<String> esc) {
    final VerdictView v = s.verdict();
    final StringBuilder out = new StringBuilder(template.length() + 64);
    int i = 0;
    while (i < template.length()) {
      final char c = template.charAt(i);
      final int close = c == '{' ? template.indexOf('}', i) : -1;
      if (close < 0) {
        out.append(c);
        i++;
        continue;
      }
      final String name = template.substring(i + 1, close);
      final String value = switch (name) {
        case "artifact" -> esc.apply(v.artifact() + (s.grouped().isEmpty() ? "" : " and " + s.grouped().size() + " more"));
        case "outcome" -> s.action() == Step.Action.RESOLVE ? "FAIL" : v.outcome().name();
        case "reason" -> s.action() == Step.Action.RESOLVE ? s.failureClass() : v.reasonCode();
        case "detail" -> esc.apply(v.detail());
        case "signer" -> esc.apply(v.signer().orElse("(none)"));
        case "policy" -> esc.apply(v.policy().orElse("(none)"));
        case "severity" -> s.severity().name();
        case "action" -> actionPrefix(s.action());
        case "link" -> link(v);
        case "count" -> Integer.toString(1 + s.grouped().size());
        default -> null;
      };
      if (value == null) {
        out.append(c);
        i++;
      } else {
        out.append(value);
        i = close + 1;
      }
    }
    return out.toString();
  }
}
