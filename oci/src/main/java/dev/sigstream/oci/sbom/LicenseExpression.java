package dev.sigstream.oci.sbom;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * An SPDX licence expression (SPDX spec Annex D): {@code AND}, {@code OR}, {@code WITH}, parentheses, {@code +}.
 *
 * <p>Hand-written recursive-descent parser, on purpose: the only maintained Java parser is
 * {@code org.spdx:java-spdx-library} ({@code LicenseInfoFactory.parseSPDXLicenseString}), which needs a model store,
 * ~6 MiB of dependencies and by default downloads the licence list from spdx.org at run time — network access inside
 * a pure checker is exactly what we must not have. The grammar is small and fully covered by tests.
 */
public sealed interface LicenseExpression {

  /** A licence id or {@code LicenseRef-…}, with {@code orLater} for a trailing {@code +}. */
  record License(String id, boolean orLater, String exception) implements LicenseExpression {}

  record And(List<LicenseExpression> terms) implements LicenseExpression {}

  record Or(List<LicenseExpression> terms) implements LicenseExpression {}

  /**
   * Parses an expression.
   *
   * @throws IllegalArgumentException with the position of the problem
   */
  static LicenseExpression parse(final String s) {
    return new Parser(s).parseAll();
  }

  /**
   * Whether the licence terms can be met without using a denied licence: a leaf is acceptable unless denied,
   * {@code AND} needs every term, {@code OR} needs one. So {@code MIT OR GPL-3.0-only} with GPL denied is fine (choose
   * MIT), while {@code MIT AND GPL-3.0-only} is not. {@code denied} holds lower-case ids.
   */
  default boolean acceptableWithout(final Set<String> denied) {
    if (this instanceof License l) {
      final String id = l.id().toLowerCase(Locale.ROOT);
      if (denied.contains(id) || denied.contains(id + (l.orLater() ? "+" : ""))) {
        return false;
      }
      return l.exception() == null || !denied.contains(id + " with " + l.exception().toLowerCase(Locale.ROOT));
    }
    if (this instanceof And a) {
      return a.terms().stream().allMatch(t -> t.acceptableWithout(denied));
    }
    return ((Or) this).terms().stream().anyMatch(t -> t.acceptableWithout(denied));
  }

  /** Renders the expression in canonical form. */
  default String render() {
    if (this instanceof License l) {
      return l.id() + (l.orLater() ? "+" : "") + (l.exception() != null ? " WITH " + l.exception() : "");
    }
    final List<LicenseExpression> terms = this instanceof And a ? a.terms() : ((Or) this).terms();
    final String op = this instanceof And ? " AND " : " OR ";
    final List<String> parts = new ArrayList<>();
    for (LicenseExpression t : terms) {
      parts.add(t instanceof License ? t.render() : "(" + t.render() + ")");
    }
    return String.join(op, parts);
  }

  /** Recursive descent over tokens; precedence WITH > AND > OR. */
  final class Parser {
    private final List<String> tokens = new ArrayList<>();
    private final String source;
    private int pos;

    Parser(final String s) {
      if (s == null || s.isBlank()) {
        throw new IllegalArgumentException("empty licence expression");
      }
      source = s;
      int i = 0;
      while (i < s.length()) {
        final char c = s.charAt(i);
        if (Character.isWhitespace(c)) {
          i++;
        } else if (c == '(' || c == ')') {
          tokens.add(String.valueOf(c));
          i++;
        } else {
          int j = i;
          while (j < s.length() && !Character.isWhitespace(s.charAt(j)) && s.charAt(j) != '(' && s.charAt(j) != ')') {
            j++;
          }
          tokens.add(s.substring(i, j));
          i = j;
        }
      }
    }

    private static final int MAX_DEPTH = 32;
    private int depth;

    LicenseExpression parseAll() {
      final LicenseExpression e = or();
      if (pos != tokens.size()) {
        throw error("unexpected '" + tokens.get(pos) + "'");
      }
      return e;
    }

    private LicenseExpression or() {
      final List<LicenseExpression> terms = new ArrayList<>(List.of(and()));
      while (isOp("OR")) {
        pos++;
        terms.add(and());
      }
      return terms.size() == 1 ? terms.get(0) : new Or(List.copyOf(terms));
    }

    private LicenseExpression and() {
      final List<LicenseExpression> terms = new ArrayList<>(List.of(primary()));
      while (isOp("AND")) {
        pos++;
        terms.add(primary());
      }
      return terms.size() == 1 ? terms.get(0) : new And(List.copyOf(terms));
    }

    private LicenseExpression primary() {
      if (pos >= tokens.size()) {
        throw error("expression ends where a licence was expected");
      }
      final String t = tokens.get(pos);
      if ("(".equals(t)) {
        // The expression comes from an SBOM a registry serves: bound the recursion, so "((((…" is a parse error
        // and not a StackOverflowError.
        if (++depth > MAX_DEPTH) {
          throw error("parentheses nested deeper than " + MAX_DEPTH);
        }
        pos++;
        final LicenseExpression e = or();
        depth--;
        if (pos >= tokens.size() || !")".equals(tokens.get(pos))) {
          throw error("missing ')'");
        }
        pos++;
        return e;
      }
      if (")".equals(t) || isOp("AND") || isOp("OR") || isOp("WITH")) {
        throw error("unexpected '" + t + "' where a licence was expected");
      }
      if (!t.matches("[A-Za-z0-9.:+-]+")) {
        throw error("invalid licence id '" + t + "'");
      }
      pos++;
      final boolean orLater = t.endsWith("+") && t.length() > 1;
      final String id = orLater ? t.substring(0, t.length() - 1) : t;
      String exception = null;
      if (isOp("WITH")) {
        pos++;
        if (pos >= tokens.size() || "(".equals(tokens.get(pos)) || ")".equals(tokens.get(pos))) {
          throw error("WITH needs an exception id");
        }
        exception = tokens.get(pos++);
      }
      return new License(id, orLater, exception);
    }

    private boolean isOp(final String op) {
      return pos < tokens.size() && tokens.get(pos).equalsIgnoreCase(op);
    }

    private IllegalArgumentException error(final String msg) {
      return new IllegalArgumentException("licence expression '" + (source.length() > 200 ? source.substring(0, 200)
          + "..." : source) + "': " + msg + " (token " + (pos + 1) + ")");
    }
  }
}
