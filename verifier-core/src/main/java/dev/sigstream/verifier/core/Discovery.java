package dev.sigstream.verifier.core;

import dev.sigstream.oci.Descriptor;
import dev.sigstream.oci.Manifest;
import dev.sigstream.oci.Reference;
import dev.sigstream.oci.Referrers;
import dev.sigstream.oci.classify.Classification;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Everything {@link ArtifactDiscovery} read from the registry about one artifact, as plain values: the input of the
 * pure decision ({@link ReportDecision}) and of {@code sigstream inspect}. Nothing here is verified.
 */
public sealed interface Discovery permits Discovery.Complete, Discovery.Failed {

  /** The artifact, by digest. */
  Reference artifact();

  /**
   * The walk stopped: the manifest or the referrers list could not be had.
   *
   * @param manifest present when the failure came after it (listing referrers)
   * @param classification likewise
   */
  record Failed(Reference artifact, Optional<Manifest> manifest, Optional<Classification> classification,
      FetchProblem problem) implements Discovery {
    public Failed {
      Objects.requireNonNull(artifact, "artifact");
      Objects.requireNonNull(problem, "problem");
    }
  }

  /**
   * @param source how the referrers were listed
   * @param truncated the registry client's referrer cap was hit; absence in the list proves nothing
   * @param referrers every listed referrer with its classification
   * @param signatures Notary signatures fetched, in list order, at most {@link VerifyLimits#maxSignatures()}
   * @param signaturesBeyondCap Notary signatures listed beyond that cap (not fetched)
   * @param sboms SBOM referrers fetched, at most {@link VerifyLimits#maxSboms()}
   * @param sbomsBeyondCap SBOM referrers beyond that cap (only counted)
   */
  record Complete(Reference artifact, Manifest manifest, Classification classification, Referrers.Source source,
      boolean truncated, List<Listed> referrers, List<SignatureMaterial> signatures, int signaturesBeyondCap,
      List<SbomMaterial> sboms, int sbomsBeyondCap) implements Discovery {
    public Complete {
      Objects.requireNonNull(artifact, "artifact");
      Objects.requireNonNull(manifest, "manifest");
      Objects.requireNonNull(classification, "classification");
      referrers = List.copyOf(referrers);
      signatures = List.copyOf(signatures);
      sboms = List.copyOf(sboms);
    }
  }

  /**
   * A listed referrer.
   *
   * @param classification from its manifest when that was fetched, else from the descriptor
   * @param notarySignature whether it is a Notary Project signature (either signature-manifest shape)
   */
  record Listed(Descriptor descriptor, Classification classification, boolean notarySignature) {}
}
