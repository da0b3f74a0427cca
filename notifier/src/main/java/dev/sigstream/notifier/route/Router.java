package dev.sigstream.notifier.route;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Pure routing: {@code Verdict -> List<Notification>}. Rules are tried in order; each matching rule adds its
 * destinations whose minimum severity the verdict reaches; a rule without {@code continue} ends the walk. A
 * destination appears at most once per verdict (the first rule that names it wins).
 */
public final class Router {

  private final List<Rule> rules;

  public Router(final List<Rule> rules) {
    this.rules = List.copyOf(rules);
  }

  public List<Notification> route(final VerdictView v) {
    final Severity severity = Severity.of(v);
    final List<Notification> out = new ArrayList<>(2);
    final Set<String> seen = new HashSet<>(4);
    for (final Rule rule : rules) {
      if (!rule.match().test(v)) {
        continue;
      }
      for (final Rule.Target t : rule.targets()) {
        if (severity.atLeast(t.minSeverity()) && seen.add(t.destination())) {
          out.add(new Notification(v, t.destination(), severity, rule.name(), t.template()));
        }
      }
      if (!rule.continueMatching()) {
        break;
      }
    }
    return out;
  }
}
