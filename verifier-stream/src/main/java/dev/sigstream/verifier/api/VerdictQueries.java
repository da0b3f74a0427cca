package dev.sigstream.verifier.api;

import dev.sigstream.schemas.avro.Verdict;
import dev.sigstream.verifier.topology.PendingWork;
import java.util.List;
import java.util.Optional;
import java.util.function.Predicate;

/** What the query API and admission read: the verdict index and the pending work. The service implements it. */
public interface VerdictQueries {

  Optional<Verdict> verdict(String artifactKey);

  List<Verdict> verdicts(Predicate<Verdict> filter, int limit);

  Optional<PendingWork> pending(String artifactKey);

  /** The version of the trust material in force; a verdict with another one is stale. Null: not tracked. */
  default String trustVersion() {
    return null;
  }

  /** Asks for {@code artifactKey} to be verified again (a stale verdict was asked for). */
  default void reverify(final String artifactKey) {}

  /** Whether {@code v} was decided under the trust material in force. */
  default boolean current(final Verdict v) {
    final String now = trustVersion();
    return now == null || now.equals(v.getTrustVersion());
  }
}
