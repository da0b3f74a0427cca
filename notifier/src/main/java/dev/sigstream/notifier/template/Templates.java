package dev.sigstream.notifier.template;

import com.fasterxml.jackson.core.io.JsonStringEncoder;
import com.github.mustachejava.DefaultMustacheFactory;
import com.github.mustachejava.Mustache;
import com.github.mustachejava.MustacheException;
import java.io.IOException;
import java.io.Reader;
import java.io.StringReader;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Mustache templates (Mustache.java, logic-less: no code runs from a template) compiled once and rendered with every
 * substituted value escaped for the target's {@link Markup}, and additionally JSON-string-escaped inside JSON
 * templates (Slack {@code blocks}, Teams {@code card}). The template text is the operator's and is not escaped.
 *
 * <p>{@link #check} is the start-up validation: syntax, known variable names only, and no constructs that could
 * bypass escaping or read files: unescaped output ({@code {{{x}}}}, {@code {{&x}}}) is allowed for {@code link}
 * alone (built by Sigstream from the configured verdict API base and a URL-encoded key); partials, inheritance and
 * delimiter changes are rejected.
 */
public final class Templates {

  /** Variables of the view (see docs/notifier.md "Templates"). */
  public static final Set<String> VARIABLES = Set.of("action", "step", "resolved", "artifact", "artifactKey", "registry", "repository",
      "digest", "tag", "artifactClass", "outcome", "reason", "failureClass", "detail", "severity", "policy", "signer", "link", "count",
      "more", "moreCount", "grouped", "facts");
  /** Variables of the items of {@code grouped} ({@code artifact}, {@code artifactKey}) and {@code facts} ({@code name}, {@code value}, {@code last}). */
  public static final Set<String> ITEM_VARIABLES = Set.of("artifact", "artifactKey", "name", "value", "last");
  /** Longest template accepted (a Block Kit message or an Adaptive Card is far below). */
  public static final int MAX_TEMPLATE = 16 * 1024;

  private static final Pattern TAG = Pattern.compile("\\{\\{(\\{?)\\s*([#^/!>&=<$]?)\\s*([^}]*?)\\s*\\}?\\}\\}");
  private static final Pattern LEGACY = Pattern.compile("\\{(" + String.join("|", new TreeSet<>(VARIABLES)) + ")\\}");
  private static final Map<Key, Mustache> COMPILED = new ConcurrentHashMap<>();

  /** Compiled templates are cached per (text, markup, JSON or not); the texts come from the configuration only. */
  private record Key(String text, Markup markup, boolean json) {}

  private Templates() {}

  /**
   * The Mustache text of a template; a template without {@code {{} in the single-brace form of earlier versions
   * ({@code {artifact}}) is read as {@code {{artifact}}}.
   */
  public static String normalize(final String text) {
    return text.indexOf('{') < 0 || text.contains("{{") ? text : LEGACY.matcher(text).replaceAll("{{$1}}");
  }

  /** Every problem with a template, each prefixed with {@code at}; empty when it compiles and uses known names only. */
  public static List<String> check(final String at, final String rawText) {
    final List<String> p = new ArrayList<>();
    final String text = normalize(rawText);
    if (text.length() > MAX_TEMPLATE) {
      p.add(at + ": longer than " + MAX_TEMPLATE + " characters");
      return p;
    }
    final Matcher m = TAG.matcher(text);
    while (m.find()) {
      final boolean triple = !m.group(1).isEmpty();
      final String sigil = m.group(2);
      final String name = m.group(3);
      if (sigil.equals("!")) {
        continue;
      }
      if (">=<$".contains(sigil) && !sigil.isEmpty()) {
        p.add(at + ": '" + m.group() + "': partials, inheritance and delimiter changes are not supported");
        continue;
      }
      if ((triple || sigil.equals("&")) && !name.equals("link")) {
        p.add(at + ": '" + m.group() + "': unescaped output is allowed for {{{link}}} only (values come from registries and signers)");
        continue;
      }
      if (!name.equals(".") && !VARIABLES.contains(name) && !ITEM_VARIABLES.contains(name)) {
        p.add(at + ": unknown variable '" + name + "' (known: " + new TreeSet<>(VARIABLES) + "; in grouped/facts: " + new TreeSet<>(ITEM_VARIABLES) + ")");
      }
    }
    if (p.isEmpty()) {
      try {
        factory(Markup.PLAIN, false).compile(new StringReader(text), "check");
      } catch (MustacheException e) {
        p.add(at + ": " + e.getMessage());
      }
    }
    return p;
  }

  /**
   * Renders a template (checked at start-up) over {@code view}.
   *
   * @param json true inside a JSON document: each value is escaped for {@code markup}, then as a JSON string body
   * @throws IllegalArgumentException when the template does not compile (never for a checked one)
   */
  public static String render(final String rawText, final Markup markup, final boolean json, final Map<String, Object> view) {
    final String text = normalize(rawText);
    final Mustache t = COMPILED.computeIfAbsent(new Key(text, markup, json), k -> {
      try {
        return factory(markup, json).compile(new StringReader(text), "template");
      } catch (MustacheException e) {
        throw new IllegalArgumentException("template does not compile: " + e.getMessage(), e);
      }
    });
    final StringWriter w = new StringWriter(text.length() + 256);
    t.execute(w, view);
    return w.toString();
  }

  private static DefaultMustacheFactory factory(final Markup markup, final boolean json) {
    return new DefaultMustacheFactory() {
      @Override
      public void encode(final String value, final Writer writer) {
        final String escaped = markup.escape(value);
        try {
          writer.write(json ? new String(JsonStringEncoder.getInstance().quoteAsString(escaped)) : escaped);
        } catch (IOException e) {
          throw new UncheckedIOException(e);
        }
      }

      @Override
      public Reader getReader(final String resourceName) {
        // Never read templates from the classpath or the file system (check() already rejects partials).
        throw new MustacheException("partials are not supported: " + resourceName);
      }
    };
  }
}
