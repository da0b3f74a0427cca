package dev.sigstream.verifier.core;

/**
 * What {@link ArtifactDiscovery#discover} fetches beyond the manifest and the referrers list. Caps come from
 * {@link VerifyLimits}, the one place they are set.
 *
 * @param artifactType only list referrers of this type (null = all)
 * @param signatures fetch Notary signature manifests and envelopes
 * @param sboms fetch SBOM manifests and documents
 * @param sbomSignatures also list and fetch the SBOMs' own Notary signatures
 * @param classifyUnknown fetch the manifest of referrers whose descriptor alone cannot be classified
 */
public record DiscoveryPlan(String artifactType, boolean signatures, boolean sboms, boolean sbomSignatures,
    boolean classifyUnknown) {

  /** What verification needs. */
  public static final DiscoveryPlan VERIFY = new DiscoveryPlan(null, true, true, true, false);

  /** What {@code sigstream inspect} shows: everything, each referrer classified from its manifest. */
  public static final DiscoveryPlan INSPECT = new DiscoveryPlan(null, true, true, false, true);
}
