package dev.sigstream.oci.discovery;

import dev.sigstream.oci.Descriptor;
import dev.sigstream.oci.Digest;
import dev.sigstream.oci.FetchResult;
import dev.sigstream.oci.Manifest;
import dev.sigstream.oci.classify.Classification;
import java.util.Map;
import java.util.Optional;

/**
 * One referrer of a discovered artifact.
 *
 * @param descriptor as listed by the referrers API or fallback index
 * @param classification from the fetched manifest when it was fetched, else from the descriptor
 * @param manifest the referrer's manifest, when fetched (signatures, SBOMs, and anything the descriptor could not
 *     classify)
 * @param blobs fetched layer blobs by digest (signature envelopes, SBOM documents), all digest-verified
 * @param failure the first fetch failure for this referrer, if any; the referrer is then incomplete
 */
public record DiscoveredReferrer(Descriptor descriptor, Classification classification, Optional<Manifest> manifest,
    Map<Digest, byte[]> blobs, Optional<FetchResult<?>> failure) {

  public DiscoveredReferrer {
    blobs = Map.copyOf(blobs);
  }
}
