package dev.sigstream.oci.discovery;

import dev.sigstream.oci.Manifest;
import dev.sigstream.oci.Reference;
import dev.sigstream.oci.Referrers;
import dev.sigstream.oci.classify.Classification;
import java.util.List;

/**
 * Everything discovered about one artifact.
 *
 * @param artifact the reference, resolved to a digest (the tag, if any, is kept)
 * @param manifest the artifact's manifest or index (digest-verified)
 * @param classification its classification
 * @param referrers its referrers with their classification and, for signatures and SBOMs, fetched content
 * @param source how the referrers were listed
 * @param truncated the referrer cap was hit; absent signatures must not be read as proof of absence
 */
public record Discovery(Reference artifact, Manifest manifest, Classification classification,
    List<DiscoveredReferrer> referrers, Referrers.Source source, boolean truncated) {

  public Discovery {
    referrers = List.copyOf(referrers);
  }

  public List<DiscoveredReferrer> ofClass(final dev.sigstream.oci.classify.ArtifactClass c) {
    return referrers.stream().filter(r -> r.classification().artifactClass() == c).toList();
  }
}
