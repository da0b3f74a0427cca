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

  /**
   * Verifies {@code artifact} (by digest) now, for admission of an image no verdict exists for yet: its report, or
   * empty when it is not an artifact to admit (a referrer) or on-demand verification is not offered. Never completes
   * exceptionally; the caller bounds the wait.
   */
  default java.util.concurrent.CompletableFuture<Optional<dev.sigstream.verifier.core.ArtifactReport>> verifyNow(
      final dev.sigstream.oci.Reference artifact) {
    return java.util.concurrent.CompletableFuture.completedFuture(Optional.empty());
  }

  /** Whether {@code v} was decided under the trust material in force. */
  default boolean current(final Verdict v) {
    final String now = trustVersion();
    return now == null || now.equals(v.getTrustVersion());
  }
}
