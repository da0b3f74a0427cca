package dev.sigstream.notifier.route;

import java.util.Optional;
import java.util.Set;

/**
 * What a rule matches; an empty set or absent glob matches anything. All present conditions must hold.
 *
 * @param repository glob over {@code registry/repository}
 * @param policies trust-policy statement names
 */
public record Match(
    Set<VerdictView.Outcome> outcomes,
    Set<String> reasonCodes,
    Set<String> artifactClasses,
    Optional<RepositoryGlob> repository,
    Set<String> policies) {

  public Match {
    outcomes = Set.copyOf(outcomes);
    reasonCodes = Set.copyOf(reasonCodes);
    artifactClasses = Set.copyOf(artifactClasses);
    policies = Set.copyOf(policies);
  }

  public static Match any() {
    return new Match(Set.of(), Set.of(), Set.of(), Optional.empty(), Set.of());
  }

  public boolean test(final VerdictView v) {
    return (outcomes.isEmpty() || outcomes.contains(v.outcome()))
        && (reasonCodes.isEmpty() || reasonCodes.contains(v.reasonCode()))
        && (artifactClasses.isEmpty() || artifactClasses.contains(v.artifactClass()))
        && (policies.isEmpty() || v.policy().map(policies::contains).orElse(false))
        && repository.map(g -> g.matches(v.location())).orElse(true);
  }
}
