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
}
