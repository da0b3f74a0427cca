package dev.sigstream.verifier.topology;

import dev.sigstream.oci.Reference;
import dev.sigstream.verifier.core.ArtifactReport;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;

/**
 * What the stream asks of the verification path for one pushed artifact. Implementations never complete
 * exceptionally (a bug is an ERROR report), and bound their work by the per-artifact deadline.
 */
public interface ArtifactCheck {

  CompletableFuture<Outcome> check(Reference artifact);

  /** The version of the trust material checks decide with now; null when there is none to track. */
  default String trustVersion() {
    return null;
  }

  /** What the check found. */
  sealed interface Outcome permits Decided, ReferrerOf {}

  /**
   * The artifact was verified (or could not be): its report, and the version of the trust material that decided.
   */
  record Decided(ArtifactReport report, String trustVersion) implements Outcome {
    public Decided {
      Objects.requireNonNull(report, "report");
    }

    public Decided(final ArtifactReport report) {
      this(report, null);
    }
  }

  /**
   * The pushed manifest is a referrer (a signature, an SBOM, an attestation) of {@code subject}: the subject is what
   * must be verified again, and the referrer gets no verdict of its own.
   */
  record ReferrerOf(Reference subject) implements Outcome {
    public ReferrerOf {
      Objects.requireNonNull(subject, "subject");
      if (!subject.isDigest()) {
        throw new IllegalArgumentException("a subject is always a digest");
      }
    }
  }
}
