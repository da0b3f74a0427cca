package dev.sigstream.notifier.route;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.sigstream.schemas.avro.ArtifactClass;
import dev.sigstream.schemas.avro.ReasonCode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import dev.sigstream.notifier.template.Templates;

/**
 * The notifier's routing configuration: destinations, ordered rules, lifecycle timings. Parsed from YAML (format in
 * {@code docs/notifier.md}); {@link #parse} validates everything and throws one {@link RoutingConfigException}
 * listing every problem, including unknown keys (a typo must not silently drop alerts).
 *
 * @param verdictLink base URL of the verdict API; the artifact key is appended (URL-encoded) for links in messages
 */
public record RoutingConfig(List<Rule> rules, Map<String, DestinationSpec> destinations, LifecyclePolicy lifecycle, String verdictLink) {

  private static final Set<String> TOP = Set.of("verdictLink", "lifecycle", "destinations", "rules");
  private static final Set<String> LIFECYCLE = Set.of("repeatInterval", "reopenWindow", "groupWait");
  private static final Set<String> DELIVERY = Set.of("ratePerSecond", "burst", "maxAttempts", "timeout", "initialBackoff", "maxBackoff", "maxRetryAfter", "template");
  private static final Set<String> RULE = Set.of("name", "match", "destinations", "continue");
  private static final Set<String> MATCH = Set.of("outcomes", "reasonCodes", "artifactClasses", "repository", "policies");
  private static final Set<String> TARGET = Set.of("name", "minSeverity", "template");
  private static final Set<String> SLOTS = Set.of("title", "body", "blocks", "card");
  public static final String DEFAULT_LINK = "http://127.0.0.1:8080/api/verdicts/";

  /**
   * Renders a destination's effective templates the way its channel will (sample verdicts, hostile and maximal
   * values) and validates the output (Block Kit, Adaptive Card): a template that renders invalid output is a
   * configuration problem. The notifier supplies it; routing stays free of channels.
   */
  @FunctionalInterface
  public interface TemplateCheck {
    /** Problems, each prefixed with {@code at}; empty when every sample renders valid output. */
    List<String> check(String at, DestinationSpec destination, TemplateSpec effective, String verdictLink);

    TemplateCheck NONE = (at, d, t, link) -> List.of();
  }

  public RoutingConfig {
    rules = List.copyOf(rules);
    destinations = Map.copyOf(destinations);
  }

  /** The configuration {@code sigstream run} uses when none is given: every verdict to the console. */
  public static RoutingConfig consoleDefault() {
    final DestinationSpec console = new DestinationSpec("console", DestinationType.CONSOLE, Map.of(), Map.of(),
        DeliverySettings.defaults(0), TemplateSpec.NONE);
    return new RoutingConfig(List.of(new Rule("everything-to-console", Match.any(),
        List.of(new Rule.Target("console", Severity.INFO, TemplateSpec.NONE)), false)), Map.of("console", console),
        LifecyclePolicy.defaults(), DEFAULT_LINK);
  }

  public static RoutingConfig load(final Path file, final Map<String, String> env) {
    return load(file, env, TemplateCheck.NONE);
  }

  /** As {@link #load(Path, Map)}, with the templates rendered and validated by {@code templates}. */
  public static RoutingConfig load(final Path file, final Map<String, String> env, final TemplateCheck templates) {
    try {
      return parse(Files.readString(file, StandardCharsets.UTF_8), env, templates);
    } catch (IOException e) {
      throw new RoutingConfigException(List.of(file + ": cannot read: " + e.getMessage()));
    }
  }

  /**
   * @param env where {@code env:NAME} secrets are looked up ({@code System.getenv()} in production)
   */
  public static RoutingConfig parse(final String yaml, final Map<String, String> env) {
    return parse(yaml, env, TemplateCheck.NONE);
  }

  /**
   * @param env where {@code env:NAME} secrets are looked up ({@code System.getenv()} in production)
   * @param templates renders and validates every destination's templates (and every rule's overrides)
   */
  public static RoutingConfig parse(final String yaml, final Map<String, String> env, final TemplateCheck templates) {
    final List<String> problems = new ArrayList<>();
    final JsonNode root;
    try {
      root = new ObjectMapper(new YAMLFactory()).readTree(yaml);
    } catch (JsonProcessingException e) {
      throw new RoutingConfigException(List.of("not valid YAML (line " + (e.getLocation() == null ? "?" : e.getLocation().getLineNr()) + "): "
          + e.getOriginalMessage()));
    }
    if (root == null || !root.isObject()) {
      throw new RoutingConfigException(List.of("top level must be a mapping with 'destinations' and 'rules'"));
    }
    unknown("", root, TOP, problems);
    final String link = Optional.ofNullable(root.get("verdictLink")).map(JsonNode::asText).orElse(DEFAULT_LINK);
    // The link is the one value templates may print unescaped ({{{link}}}), so it must be harmless in every markup.
    if (!link.matches("https?://[^\\s\"'<>|\\\\`{}()\\[\\]]+")) {
      problems.add("verdictLink: must be an http(s) URL without spaces, quotes, brackets, parentheses or <>|\\`, got '" + link + "'");
    }
    final LifecyclePolicy lifecycle = lifecycle(root.get("lifecycle"), problems);

    final Map<String, DestinationSpec> destinations = new LinkedHashMap<>();
    final JsonNode dests = root.get("destinations");
    if (dests == null || !dests.isObject() || dests.isEmpty()) {
      problems.add("destinations: at least one destination is required (a mapping of name -> settings)");
    } else {
      final Iterator<Map.Entry<String, JsonNode>> it = dests.fields();
      while (it.hasNext()) {
        final Map.Entry<String, JsonNode> e = it.next();
        destination(e.getKey(), e.getValue(), env, problems).ifPresent(d -> destinations.put(d.name(), d));
      }
    }

    final List<Rule> rules = new ArrayList<>();
    final JsonNode rs = root.get("rules");
    if (rs == null || !rs.isArray() || rs.isEmpty()) {
      problems.add("rules: at least one rule is required (a list)");
    } else {
      final Set<String> names = new HashSet<>();
      for (int i = 0; i < rs.size(); i++) {
        rule(i, rs.get(i), dests, destinations, names, problems).ifPresent(rules::add);
      }
    }
    // Render every destination's templates, and every rule's overrides, the way the channel will; only templates
    // that compiled are rendered (the others are already reported).
    for (final DestinationSpec d : destinations.values()) {
      if (checkAll("destinations." + d.name() + ".template", d.template()).isEmpty()) {
        problems.addAll(templates.check("destinations." + d.name() + ".template", d, d.template(), link));
      }
    }
    for (int i = 0; i < rules.size(); i++) {
      final Rule r = rules.get(i);
      for (int j = 0; j < r.targets().size(); j++) {
        final Rule.Target t = r.targets().get(j);
        final DestinationSpec d = destinations.get(t.destination());
        if (d != null && !t.template().isEmpty() && checkAll("", t.template()).isEmpty()
            && checkAll("", d.template()).isEmpty()) {
          problems.addAll(templates.check("rules[" + i + "].destinations[" + j + "].template", d, t.template().over(d.template()), link));
        }
      }
    }
    if (!problems.isEmpty()) {
      throw new RoutingConfigException(problems);
    }
    return new RoutingConfig(rules, destinations, lifecycle, link);
  }

  private static LifecyclePolicy lifecycle(final JsonNode n, final List<String> problems) {
    final LifecyclePolicy d = LifecyclePolicy.defaults();
    if (n == null) {
      return d;
    }
    if (!n.isObject()) {
      problems.add("lifecycle: must be a mapping");
      return d;
    }
    unknown("lifecycle.", n, LIFECYCLE, problems);
    return new LifecyclePolicy(
        duration("lifecycle.repeatInterval", n.get("repeatInterval"), d.repeatInterval(), problems),
        duration("lifecycle.reopenWindow", n.get("reopenWindow"), d.reopenWindow(), problems),
        duration("lifecycle.groupWait", n.get("groupWait"), d.groupWait(), problems));
  }

  private static Optional<DestinationSpec> destination(final String name, final JsonNode n, final Map<String, String> env, final List<String> problems) {
    final String at = "destinations." + name;
    if (!name.matches("[A-Za-z0-9][A-Za-z0-9_-]{0,62}")) {
      problems.add(at + ": name must be letters, digits, '-' or '_' (at most 63), it names Kafka application ids");
    }
    if (n == null || !n.isObject()) {
      problems.add(at + ": must be a mapping with a 'type'");
      return Optional.empty();
    }
    final String typeId = n.path("type").asText("");
    final Optional<DestinationType> type = DestinationType.byId(typeId);
    if (type.isEmpty()) {
      problems.add(at + ".type: unknown type '" + typeId + "' (one of " + java.util.Arrays.stream(DestinationType.values()).map(DestinationType::id).toList() + ")");
      return Optional.empty();
    }
    final DestinationType t = type.get();
    final Set<String> allowed = new HashSet<>(DELIVERY);
    allowed.add("type");
    allowed.addAll(t.required());
    allowed.addAll(t.defaults().keySet());
    allowed.addAll(t.secrets());
    unknown(at + ".", n, allowed, problems);
    final Map<String, String> settings = new LinkedHashMap<>();
    for (final String k : t.required()) {
      final JsonNode v = n.get(k);
      if (v == null || !v.isValueNode() || v.asText().isBlank()) {
        problems.add(at + "." + k + ": required for type " + t.id());
      } else {
        settings.put(k, v.asText().trim());
      }
    }
    for (final String k : t.defaults().keySet()) {
      final JsonNode v = n.get(k);
      if (v != null) {
        settings.put(k, v.asText().trim());
      }
    }
    for (final String k : List.of("url", "baseUrl", "endpoint")) {
      final String u = settings.get(k);
      if (u != null && !(u.startsWith("https://") || u.startsWith("http://"))) {
        problems.add(at + "." + k + ": must be an http(s) URL, got '" + u + "'");
      }
    }
    if (t == DestinationType.GITHUB && settings.containsKey("repository") && !settings.get("repository").matches("[A-Za-z0-9_.-]+/[A-Za-z0-9_.-]+")) {
      problems.add(at + ".repository: expected owner/name");
    }
    final Map<String, Secret> secrets = new LinkedHashMap<>();
    for (final String k : t.secrets()) {
      secret(at + "." + k, n.get(k), env, problems).ifPresent(s -> secrets.put(k, s));
    }
    final DeliverySettings d = DeliverySettings.defaults(t.defaultRate());
    final double rate = number(at + ".ratePerSecond", n.get("ratePerSecond"), d.ratePerSecond(), 0, 10_000, problems);
    final DeliverySettings delivery = new DeliverySettings(
        rate,
        (int) number(at + ".burst", n.get("burst"), Math.max(1, Math.ceil(rate * 3)), 1, 100_000, problems),
        (int) number(at + ".maxAttempts", n.get("maxAttempts"), d.maxAttempts(), 1, 100, problems),
        duration(at + ".initialBackoff", n.get("initialBackoff"), d.initialBackoff(), problems),
        duration(at + ".maxBackoff", n.get("maxBackoff"), d.maxBackoff(), problems),
        duration(at + ".maxRetryAfter", n.get("maxRetryAfter"), d.maxRetryAfter(), problems),
        duration(at + ".timeout", n.get("timeout"), d.timeout(), problems));
    if (delivery.timeout().isZero()) {
      problems.add(at + ".timeout: must be positive");
    }
    final TemplateSpec template = template(at + ".template", n.get("template"), t, problems);
    return Optional.of(new DestinationSpec(name, t, settings, secrets, delivery, template));
  }

  /** Secrets come from {@code env:NAME} or {@code file:/path}; a literal in the file would end up in backups and diffs. */
  private static Optional<Secret> secret(final String at, final JsonNode n, final Map<String, String> env, final List<String> problems) {
    if (n == null || !n.isTextual() || n.asText().isBlank()) {
      problems.add(at + ": required secret, as env:VARIABLE or file:/path");
      return Optional.empty();
    }
    final String ref = n.asText().trim();
    if (ref.startsWith("env:")) {
      final String var = ref.substring(4);
      final String v = env.get(var);
      if (v == null || v.isBlank()) {
        problems.add(at + ": environment variable " + var + " is not set");
        return Optional.empty();
      }
      return Optional.of(new Secret(ref, v.trim()));
    }
    if (ref.startsWith("file:")) {
      final Path p = Path.of(ref.substring(5));
      try {
        final String v = Files.readString(p, StandardCharsets.UTF_8).trim();
        if (v.isEmpty()) {
          problems.add(at + ": file " + p + " is empty");
          return Optional.empty();
        }
        return Optional.of(new Secret(ref, v));
      } catch (IOException e) {
        problems.add(at + ": cannot read file " + p + " (" + e.getClass().getSimpleName() + ")");
        return Optional.empty();
      }
    }
    // Never echo the value: it may be the secret itself.
    problems.add(at + ": secrets must be given as env:VARIABLE or file:/path, not as a literal value");
    return Optional.empty();
  }

  /**
   * A template: a string (the title, as before) or a mapping of slots {@code title}, {@code body}, {@code blocks}
   * (Slack), {@code card} (Teams), each checked (syntax, known variables, no unescaped output).
   */
  private static TemplateSpec template(final String at, final JsonNode n, final DestinationType type, final List<String> problems) {
    if (n == null) {
      return TemplateSpec.NONE;
    }
    if (n.isTextual()) {
      problems.addAll(Templates.check(at, n.asText()));
      return TemplateSpec.title(n.asText());
    }
    if (!n.isObject()) {
      problems.add(at + ": a title string or a mapping with title, body, blocks (Slack) or card (Teams)");
      return TemplateSpec.NONE;
    }
    unknown(at + ".", n, SLOTS, problems);
    final Map<String, Optional<String>> slots = new LinkedHashMap<>();
    for (final String slot : List.of("title", "body", "blocks", "card")) {
      final JsonNode v = n.get(slot);
      if (v == null) {
        slots.put(slot, Optional.empty());
        continue;
      }
      if (!v.isTextual()) {
        problems.add(at + "." + slot + ": must be a string (a Mustache template)");
        slots.put(slot, Optional.empty());
        continue;
      }
      if (type != null && !slotsOf(type).contains(slot)) {
        problems.add(at + "." + slot + ": not used by type " + type.id() + " (it uses " + slotsOf(type) + ")");
      }
      problems.addAll(Templates.check(at + "." + slot, v.asText()));
      slots.put(slot, Optional.of(v.asText()));
    }
    return new TemplateSpec(slots.get("title"), slots.get("body"), slots.get("blocks"), slots.get("card"));
  }

  private static List<String> checkAll(final String at, final TemplateSpec t) {
    final List<String> p = new ArrayList<>();
    t.title().ifPresent(x -> p.addAll(Templates.check(at + ".title", x)));
    t.body().ifPresent(x -> p.addAll(Templates.check(at + ".body", x)));
    t.blocks().ifPresent(x -> p.addAll(Templates.check(at + ".blocks", x)));
    t.card().ifPresent(x -> p.addAll(Templates.check(at + ".card", x)));
    return p;
  }

  /** The template slots a destination type renders. */
  public static List<String> slotsOf(final DestinationType t) {
    return switch (t) {
      case CONSOLE -> List.of("title");
      case SLACK_WEBHOOK, SLACK_API -> List.of("title", "body", "blocks");
      case TEAMS -> List.of("title", "body", "card");
      default -> List.of("title", "body");
    };
  }

  private static Optional<Rule> rule(final int i, final JsonNode n, final JsonNode dests, final Map<String, DestinationSpec> parsed,
      final Set<String> names, final List<String> problems) {
    final String at = "rules[" + i + "]";
    if (n == null || !n.isObject()) {
      problems.add(at + ": must be a mapping");
      return Optional.empty();
    }
    unknown(at + ".", n, RULE, problems);
    final String name = n.path("name").asText(at);
    if (!names.add(name)) {
      problems.add(at + ".name: duplicate rule name '" + name + "'");
    }
    Match match = Match.any();
    final JsonNode m = n.get("match");
    if (m != null) {
      if (!m.isObject()) {
        problems.add(at + ".match: must be a mapping");
      } else {
        unknown(at + ".match.", m, MATCH, problems);
        final Set<VerdictView.Outcome> outcomes = enumSet(at + ".match.outcomes", m.get("outcomes"), VerdictView.Outcome::valueOf, problems);
        final Set<String> reasons = enumSet(at + ".match.reasonCodes", m.get("reasonCodes"), s -> ReasonCode.valueOf(s).name(), problems);
        final Set<String> classes = enumSet(at + ".match.artifactClasses", m.get("artifactClasses"), s -> ArtifactClass.valueOf(s).name(), problems);
        final Set<String> policies = enumSet(at + ".match.policies", m.get("policies"), Function.identity(), problems);
        Optional<RepositoryGlob> glob = Optional.empty();
        if (m.has("repository")) {
          try {
            glob = Optional.of(RepositoryGlob.compile(m.get("repository").asText()));
          } catch (IllegalArgumentException e) {
            problems.add(at + ".match.repository: " + e.getMessage());
          }
        }
        match = new Match(outcomes, reasons, classes, glob, policies);
      }
    }
    final List<Rule.Target> targets = new ArrayList<>();
    final JsonNode ds = n.get("destinations");
    if (ds == null || !ds.isArray() || ds.isEmpty()) {
      problems.add(at + ".destinations: at least one destination is required");
    } else {
      for (int j = 0; j < ds.size(); j++) {
        final JsonNode d = ds.get(j);
        final String dat = at + ".destinations[" + j + "]";
        final String dname;
        Severity min = Severity.INFO;
        TemplateSpec template = TemplateSpec.NONE;
        if (d.isTextual()) {
          dname = d.asText();
        } else if (d.isObject()) {
          unknown(dat + ".", d, TARGET, problems);
          dname = d.path("name").asText("");
          if (d.has("minSeverity")) {
            try {
              min = Severity.valueOf(d.get("minSeverity").asText().toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
              problems.add(dat + ".minSeverity: one of INFO, WARNING, ERROR, CRITICAL, got '" + d.get("minSeverity").asText() + "'");
            }
          }
          final DestinationSpec known = parsed.get(d.path("name").asText(""));
          template = template(dat + ".template", d.get("template"), known == null ? null : known.type(), problems);
        } else {
          problems.add(dat + ": a destination name or {name, minSeverity, template}");
          continue;
        }
        if (dests != null && dests.isObject() && !dests.has(dname)) {
          problems.add(dat + ": unknown destination '" + dname + "'");
        }
        targets.add(new Rule.Target(dname, min, template));
      }
    }
    final JsonNode c = n.get("continue");
    if (c != null && !c.isBoolean()) {
      problems.add(at + ".continue: must be true or false");
    }
    return Optional.of(new Rule(name, match, targets, c != null && c.asBoolean()));
  }

  private static <T> Set<T> enumSet(final String at, final JsonNode n, final Function<String, T> parse, final List<String> problems) {
    final Set<T> out = new LinkedHashSet<>();
    if (n == null) {
      return out;
    }
    if (!n.isArray()) {
      problems.add(at + ": must be a list");
      return out;
    }
    for (final JsonNode v : n) {
      try {
        out.add(parse.apply(v.asText().trim()));
      } catch (IllegalArgumentException e) {
        problems.add(at + ": unknown value '" + v.asText() + "'");
      }
    }
    return out;
  }

  private static void unknown(final String at, final JsonNode n, final Set<String> allowed, final List<String> problems) {
    n.fieldNames().forEachRemaining(k -> {
      if (!allowed.contains(k)) {
        problems.add(at + k + ": unknown key");
      }
    });
  }

  private static double number(final String at, final JsonNode n, final double dflt, final double min, final double max, final List<String> problems) {
    if (n == null) {
      return dflt;
    }
    if (!n.isNumber() || n.asDouble() < min || n.asDouble() > max) {
      problems.add(at + ": must be a number between " + min + " and " + max + ", got '" + n.asText() + "'");
      return dflt;
    }
    return n.asDouble();
  }

  /** {@code 500ms}, {@code 30s}, {@code 5m}, {@code 4h}, {@code 1d} or ISO-8601 ({@code PT4H}). */
  public static Duration duration(final String at, final JsonNode n, final Duration dflt, final List<String> problems) {
    if (n == null) {
      return dflt;
    }
    final String s = n.asText().trim();
    try {
      final java.util.regex.Matcher m = java.util.regex.Pattern.compile("(\\d{1,9})(ms|s|m|h|d)").matcher(s);
      final Duration d;
      if (m.matches()) {
        final long v = Long.parseLong(m.group(1));
        d = switch (m.group(2)) {
          case "ms" -> Duration.ofMillis(v);
          case "s" -> Duration.ofSeconds(v);
          case "m" -> Duration.ofMinutes(v);
          case "h" -> Duration.ofHours(v);
          default -> Duration.ofDays(v);
        };
      } else {
        d = Duration.parse(s);
      }
      if (d.isNegative()) {
        problems.add(at + ": must not be negative");
        return dflt;
      }
      return d;
    } catch (DateTimeParseException e) {
      problems.add(at + ": expected a duration such as 500ms, 30s, 5m, 4h or PT4H, got '" + s + "'");
      return dflt;
    }
  }
}
