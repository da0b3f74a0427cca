package dev.sigstream.notifier.route;

import java.util.List;

/**
 * One ordered routing rule (Alertmanager's route with {@code continue}).
 *
 * @param continueMatching when false, the first matching rule ends routing for the verdict
 */
public record Rule(String name, Match match, List<Target> targets, boolean continueMatching) {

  public Rule {
    targets = List.copyOf(targets);
  }

  /**
   * A destination named by a rule.
   *
   * @param minSeverity verdicts below it are not sent there (resolutions of open tickets always are)
   * @param template overrides the destination's templates, slot by slot, for this rule
   */
  public record Target(String destination, Severity minSeverity, TemplateSpec template) {}
}
