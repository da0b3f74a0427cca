package dev.sigstream.oci.classify;

/**
 * What an artifact is. Names are identical to the Avro {@code ArtifactClass} enum in
 * {@code schemas/src/main/avro/Verdict.avsc}, so the verifier maps with {@code valueOf(name())}; oci itself does not
 * depend on the schemas module.
 */
public enum ArtifactClass {
  CONTAINER_IMAGE, IMAGE_INDEX, HELM_CHART, SBOM, AI_MODEL, CONFIG_BUNDLE, SIGNATURE, ATTESTATION,
  VULNERABILITY_REPORT, SIF_IMAGE, UNKNOWN
}
