package dev.sigstream.verifier.core;

import dev.sigstream.oci.Descriptor;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * One SBOM referrer as discovered.
 *
 * @param descriptor as listed
 * @param manifestDescriptor the SBOM manifest's own descriptor (for its signatures' target), when fetched
 * @param document the document layer's descriptor, when the manifest was read
 * @param documentBytes the document, digest-checked and within the cap; empty with {@code problem} set otherwise
 * @param problem why the document is missing
 * @param signatures the SBOM's own Notary signatures, when the plan asked for them
 * @param signaturesProblem why they could not be listed
 */
public record SbomMaterial(Descriptor descriptor, Optional<Descriptor> manifestDescriptor,
    Optional<Descriptor> document, Optional<byte[]> documentBytes, Optional<FetchProblem> problem,
    List<SignatureMaterial> signatures, Optional<FetchProblem> signaturesProblem) {

  public SbomMaterial {
    Objects.requireNonNull(descriptor, "descriptor");
    signatures = List.copyOf(signatures);
    if (documentBytes.isPresent() == problem.isPresent()) {
      throw new IllegalArgumentException("exactly one of document and problem");
    }
  }

  static SbomMaterial failed(final Descriptor d, final FetchProblem p) {
    return new SbomMaterial(d, Optional.empty(), Optional.empty(), Optional.empty(), Optional.of(p), List.of(),
        Optional.empty());
  }
}
