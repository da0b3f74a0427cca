/**
 * Pure artifact classification: {@link dev.sigstream.oci.classify.ArtifactClassifier} decides from a manifest (or a
 * referrer descriptor alone) what was pushed — image, index, Helm chart, SBOM, signature, attestation, AI model,
 * config bundle… — as an {@link dev.sigstream.oci.classify.ArtifactClass}, a finer {@link
 * dev.sigstream.oci.classify.ArtifactKind} and the {@link dev.sigstream.oci.classify.Evidence} that decided it. No
 * I/O; the rules are described in {@code docs/oci.md}.
 */
package dev.sigstream.oci.classify;
