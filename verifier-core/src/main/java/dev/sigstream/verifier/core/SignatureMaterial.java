package dev.sigstream.verifier.core;

import dev.sigstream.notary.SignatureCandidate;
import dev.sigstream.oci.Descriptor;
import java.util.Objects;
import java.util.Optional;

/**
 * One Notary signature referrer as discovered: either a {@link SignatureCandidate} (its manifest has a valid
 * signature shape naming the subject, its size matches its descriptor, and its envelope was fetched within the cap
 * and digest-checked) or the problem that stopped it. Nothing here is verified yet.
 *
 * @param descriptor as listed
 * @param envelopeMediaType the envelope layer's media type, when the manifest was read
 */
public record SignatureMaterial(Descriptor descriptor, String envelopeMediaType,
    Optional<SignatureCandidate> candidate, Optional<FetchProblem> problem) {

  public SignatureMaterial {
    Objects.requireNonNull(descriptor, "descriptor");
    if (candidate.isPresent() == problem.isPresent()) {
      throw new IllegalArgumentException("exactly one of candidate and problem");
    }
  }

  static SignatureMaterial usable(final Descriptor d, final SignatureCandidate c) {
    return new SignatureMaterial(d, c.envelopeMediaType(), Optional.of(c), Optional.empty());
  }

  static SignatureMaterial unusable(final Descriptor d, final String envelopeMediaType, final FetchProblem p) {
    return new SignatureMaterial(d, envelopeMediaType, Optional.empty(), Optional.of(p));
  }
}
