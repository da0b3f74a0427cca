package dev.sigstream.oci.discovery;

import java.time.Duration;

/**
 * @param artifactType only list referrers of this type (null = all)
 * @param maxSignatures most signature referrers whose manifests and envelopes are fetched (notation's
 *     {@code --max-signatures} defaults to 100); further signatures are listed but not fetched. The same cap
 *     applies separately to referrers whose descriptor alone cannot be classified (their manifests are fetched)
 * @param fetchSbomBlobs also fetch SBOM documents (for {@link dev.sigstream.oci.sbom.SbomChecker})
 * @param deadline total time for one artifact; when it passes, the result is
 *     {@link dev.sigstream.oci.FetchResult.Unavailable}
 */
public record DiscoveryOptions(String artifactType, int maxSignatures, boolean fetchSbomBlobs, Duration deadline) {

  public static final DiscoveryOptions DEFAULTS = new DiscoveryOptions(null, 100, true, Duration.ofSeconds(30));

  public DiscoveryOptions withDeadline(final Duration d) {
    return new DiscoveryOptions(artifactType, maxSignatures, fetchSbomBlobs, d);
  }

  public DiscoveryOptions withArtifactType(final String t) {
    return new DiscoveryOptions(t, maxSignatures, fetchSbomBlobs, deadline);
  }
}
