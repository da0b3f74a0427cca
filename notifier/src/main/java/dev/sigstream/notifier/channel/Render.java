package dev.sigstream.notifier.channel;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import dev.sigstream.notifier.route.Step;
import dev.sigstream.notifier.route.TemplateSpec;
import dev.sigstream.notifier.route.VerdictView;
import dev.sigstream.notifier.template.Markup;
import dev.sigstream.notifier.template.Templates;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A destination's templates and the view they render (Mustache, see {@link Templates}): per slot, the step's rule
 * override, else the destination's template, else the default for the target's markup. Every value substituted is
 * escaped for the markup the channel names; structure the channel adds (Block Kit, cards, ADF) is built as JSON.
 */
public final class Render {

  /** No escaping, for JSON fields and plain-text targets. */
  public static final java.util.function.UnaryOperator<String> PLAIN_ESCAPE = x -> x;

  /** The default title for every target. */
  public static final String DEFAULT_TITLE = "{{action}}{{outcome}} {{reason}}: {{artifact}}{{#more}} and {{moreCount}} more{{/more}}";

  /** Most digest members listed by name in a template's {@code grouped}; {@code moreCount} still counts all. */
  static final int MAX_GROUPED_LISTED = 50;

  private static final String PLAIN_BODY = """
      Artifact: {{artifact}}{{#tag}} (tag {{tag}}){{/tag}}
      Class: {{artifactClass}}
      Outcome: {{outcome}}
      Reason: {{reason}}
      Severity: {{severity}}
      Policy: {{policy}}{{^policy}}(none){{/policy}}
      Signer: {{signer}}{{^signer}}(none){{/signer}}{{#detail}}
      Detail: {{detail}}{{/detail}}{{#grouped}}
      Also affected: {{artifact}}{{/grouped}}""";

  private final String linkBase;
  private final TemplateSpec destination;
  /** The view of the last step rendered: a channel renders title and body (and blocks) of one step in a row. */
  private volatile Cached last;

  private record Cached(Step step, Map<String, Object> view, Map<String, String> rendered) {}

  /** @param destination the destination's templates; empty slots use the defaults */
  public Render(final String linkBase, final TemplateSpec destination) {
    this.linkBase = linkBase;
    this.destination = destination;
  }

  /** A destination with at most a title template (the form of earlier versions). */
  public Render(final String linkBase, final Optional<String> title) {
    this(linkBase, title.map(TemplateSpec::title).orElse(TemplateSpec.NONE));
  }

  /** The default body for a markup. */
  public static String defaultBody(final Markup m) {
    return switch (m) {
      case SLACK -> """
          *Artifact:* {{artifact}}{{#tag}} (tag {{tag}}){{/tag}}
          *Outcome:* {{outcome}} \u00b7 *Reason:* {{reason}} \u00b7 *Severity:* {{severity}} \u00b7 *Class:* {{artifactClass}}
          *Policy:* {{policy}}{{^policy}}(none){{/policy}} \u00b7 *Signer:* {{signer}}{{^signer}}(none){{/signer}}{{#detail}}
          *Detail:* {{detail}}{{/detail}}{{#more}}
          *Also affected:*{{#grouped}}
          \u2022 {{artifact}}{{/grouped}}{{/more}}""";
      case MARKDOWN -> """
          - **Artifact:** {{artifact}}{{#tag}} (tag {{tag}}){{/tag}}
          - **Class:** {{artifactClass}}
          - **Outcome:** {{outcome}}
          - **Reason:** {{reason}}
          - **Severity:** {{severity}}
          - **Policy:** {{policy}}{{^policy}}(none){{/policy}}
          - **Signer:** {{signer}}{{^signer}}(none){{/signer}}{{#detail}}
          - **Detail:** {{detail}}{{/detail}}{{#more}}
          - **Also affected:** {{#grouped}}{{artifact}}{{^last}}, {{/last}}{{/grouped}}{{/more}}""";
      case JIRA_WIKI -> """
          * Artifact: {{artifact}}{{#tag}} (tag {{tag}}){{/tag}}
          * Class: {{artifactClass}}
          * Outcome: {{outcome}}
          * Reason: {{reason}}
          * Severity: {{severity}}
          * Policy: {{policy}}{{^policy}}(none){{/policy}}
          * Signer: {{signer}}{{^signer}}(none){{/signer}}{{#detail}}
          * Detail: {{detail}}{{/detail}}{{#grouped}}
          * Also affected: {{artifact}}{{/grouped}}""";
      default -> PLAIN_BODY;
    };
  }

  private TemplateSpec effective(final Step s) {
    return s.template().over(destination);
  }

  /** The one-line title, values escaped for {@code m}; line breaks folded to spaces. */
  public String title(final Step s, final Markup m) {
    final Cached c = cached(s);
    return c.rendered().computeIfAbsent("title/" + m.name(),
        k -> Templates.render(effective(s).title().orElse(DEFAULT_TITLE), m, false, c.view()).replaceAll("[\\r\\n]+", " ").trim());
  }

  /** The body text, values escaped for {@code m}. */
  public String body(final Step s, final Markup m) {
    final Cached c = cached(s);
    return c.rendered().computeIfAbsent("body/" + m.name(),
        k -> Templates.render(effective(s).body().orElseGet(() -> defaultBody(m)), m, false, c.view()).strip());
  }

  /**
   * A JSON template slot ({@code blocks} for Slack, {@code card} for Teams) rendered with values escaped for {@code
   * m} and as JSON strings; empty when the destination has none (the channel builds its default).
   *
   * @throws IllegalArgumentException when the output is not JSON
   */
  public Optional<JsonNode> json(final Step s, final String slot, final Markup m) {
    final TemplateSpec t = effective(s);
    final Optional<String> text = slot.equals("blocks") ? t.blocks() : t.card();
    if (text.isEmpty()) {
      return Optional.empty();
    }
    final String out = Templates.render(text.get(), m, true, view(s));
    try {
      return Optional.of(Http.JSON.readTree(out));
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException("the " + slot + " template renders invalid JSON: " + e.getOriginalMessage());
    }
  }

  public String link(final VerdictView v) {
    return linkBase + URLEncoder.encode(v.key(), StandardCharsets.UTF_8);
  }

  /** The template view of a step: plain values; escaping happens as they are substituted. */
  public Map<String, Object> view(final Step s) {
    return cached(s).view();
  }

  /** The step's view and rendered slots, computed once per step (the last step only; no unbounded cache). */
  private Cached cached(final Step s) {
    Cached c = last;
    if (c == null || c.step() != s) {
      c = new Cached(s, buildView(s), new java.util.concurrent.ConcurrentHashMap<>());
      last = c;
    }
    return c;
  }

  private Map<String, Object> buildView(final Step s) {
    final VerdictView v = s.verdict();
    final boolean resolved = s.action() == Step.Action.RESOLVE;
    final Map<String, Object> m = new HashMap<>(32);
    m.put("action", actionPrefix(s.action()));
    m.put("step", s.action().name());
    m.put("resolved", resolved);
    m.put("artifact", v.artifact());
    m.put("artifactKey", v.key());
    m.put("registry", v.registry());
    m.put("repository", v.repository());
    m.put("digest", v.digest().orElse(""));
    m.put("tag", v.tag().orElse(""));
    m.put("artifactClass", v.artifactClass());
    m.put("outcome", resolved ? "FAIL" : v.outcome().name());
    m.put("reason", resolved ? s.failureClass() : v.reasonCode());
    m.put("failureClass", s.failureClass());
    m.put("detail", v.detail());
    m.put("severity", s.severity().name());
    m.put("policy", v.policy().orElse(""));
    m.put("signer", v.signer().orElse(""));
    m.put("link", link(v));
    m.put("count", Integer.toString(1 + s.grouped().size()));
    m.put("more", !s.grouped().isEmpty());
    m.put("moreCount", Integer.toString(s.grouped().size()));
    final List<Map<String, Object>> grouped = new ArrayList<>();
    final int listed = Math.min(MAX_GROUPED_LISTED, s.grouped().size());
    for (int i = 0; i < listed; i++) {
      final VerdictView g = s.grouped().get(i);
      grouped.add(Map.of("artifact", g.artifact(), "artifactKey", g.key(), "last", i == listed - 1));
    }
    m.put("grouped", grouped);
    final List<Map<String, Object>> facts = new ArrayList<>();
    final List<Map.Entry<String, String>> fs = new ArrayList<>(facts(s).entrySet());
    for (int i = 0; i < fs.size(); i++) {
      facts.add(Map.of("name", fs.get(i).getKey(), "value", fs.get(i).getValue(), "last", i == fs.size() - 1));
    }
    m.put("facts", facts);
    return java.util.Collections.unmodifiableMap(m);
  }

  /** Labelled facts for structured fields (PagerDuty custom details, the {@code facts} list of templates), unescaped. */
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
}
