package dev.sigstream.verifier.topology;

import dev.sigstream.oci.Reference;
import dev.sigstream.verifier.core.ArtifactReport;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;

/**
 * What the stream asks of the verification path for one pushed artifact. Implementations never complete
 * exceptionally (a bug is an ERROR report), and bound their work by the per-artifact deadline.
 */
public interface ArtifactCheck {

  CompletableFuture<Outcome> check(Reference artifact);

  /**
   * Checks {@code child}, a platform manifest of the image index {@code index}, which may cover it with its own
   * signature (see {@code ArtifactVerifier#verifyChild}). By default, as any artifact.
   */
  default CompletableFuture<Outcome> checkChild(final Reference child, final Reference index) {
    return check(child);
  }

  /** The version of the trust material checks decide with now; null when there is none to track. */
  default String trustVersion() {
    return null;
  }

  /** What the check found. */
  sealed interface Outcome permits Decided, ReferrerOf {}

  /**
   * The artifact was verified (or could not be): its report, the version of the trust material that decided, and
   * for an image index the platform manifests it lists (by digest, capped), which the stream may verify as children.
   */
  record Decided(ArtifactReport report, String trustVersion, List<Reference> children) implements Outcome {
    public Decided {
      Objects.requireNonNull(report, "report");
      children = List.copyOf(children);
    }

    public Decided(final ArtifactReport report, final String trustVersion) {
      this(report, trustVersion, List.of());
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
