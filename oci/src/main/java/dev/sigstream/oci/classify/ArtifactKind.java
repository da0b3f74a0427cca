package dev.sigstream.oci.classify;

/**
 * The stable kinds the classifier assigns ({@link Classification#kind()} carries {@link #id()}). An artifact index
 * whose own artifactType is recognised gets its entry's id with {@code -index} appended (e.g.
 * {@code helm-chart-index}), which is why {@link Classification#kind()} stays a string on the wire.
 */
public enum ArtifactKind {
  DOCKER_SCHEMA1("docker-schema1"),
  NESTED_INDEX("nested-index"),
  /** A descriptor alone does not decide: fetch the manifest. */
  NEEDS_MANIFEST("needs-manifest"),
  /** Non-standard SBOM-like type: sniff the blob. */
  SBOM_CANDIDATE("sbom-candidate"),
  ARTIFACT_INDEX("artifact-index"),
  REFERRERS_INDEX("referrers-index"),
  /** BuildKit attestation manifest inside an image index. */
  BUILDKIT_ATTESTATION("buildkit-attestation"),
  MIXED_INDEX("mixed-index"),
  MULTI_PLATFORM("multi-platform"),
  EMPTY_INDEX("empty-index"),
  UNRESOLVED("unresolved"),
  UNSUPPORTED_MANIFEST("unsupported-manifest"),
  UNRECOGNISED_ARTIFACT("unrecognised-artifact"),
  GENERIC_ARTIFACT("generic-artifact"),
  /** Notary Project signature (JWS or COSE envelope). */
  NOTATION_SIGNATURE("notation-signature"),
  COSIGN_SIGNATURE("cosign-signature"),
  COSIGN_SBOM("cosign-sbom"),
  IN_TOTO_ATTESTATION("in-toto-attestation"),
  COSIGN_ATTESTATION("cosign-attestation"),
  HELM_CHART("helm-chart"),
  HELM_PLUGIN("helm-plugin"),
  SARIF("sarif"),
  TRIVY_SARIF("trivy-sarif"),
  COSIGN_VULN("cosign-vuln"),
  MODELPACK("modelpack"),
  KITOPS("kitops"),
  DOCKER_MODEL_RUNNER("docker-model-runner"),
  FLUX("flux"),
  OPA("opa"),
  WASM("wasm"),
  SIF("sif"),
  LIFECYCLE_MARKER("lifecycle-marker"),
  OLLAMA("ollama"),
  SIGSTORE_BUNDLE_SIGNATURE("sigstore-bundle-signature"),
  SIGSTORE_BUNDLE_ATTESTATION("sigstore-bundle-attestation"),
  SIGSTORE_BUNDLE("sigstore-bundle"),
  COSIGN_VULN_ATTESTATION("cosign-vuln-attestation"),
  SPDX_JSON("spdx-json"),
  SPDX_TAG_VALUE("spdx-tag-value"),
  SPDX_XML("spdx-xml"),
  SPDX_YAML("spdx-yaml"),
  CYCLONEDX_JSON("cyclonedx-json"),
  CYCLONEDX_XML("cyclonedx-xml"),
  CYCLONEDX("cyclonedx"),
  SYFT_JSON("syft-json"),
  DOCKER_IMAGE("docker-image"),
  OCI_IMAGE("oci-image");

  private final String id;

  ArtifactKind(final String id) {
    this.id = id;
  }

  /** The stable lower-case identifier, e.g. {@code notation-signature}. */
  public String id() {
    return id;
  }
}
