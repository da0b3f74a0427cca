/**
 * OCI distribution client, classification and SBOM checks. No Kafka, no HTTP server, no notary.
 *
 * <p>Public entry points: {@link dev.sigstream.oci.RegistryReader} and {@link dev.sigstream.oci.RegistryClient}
 * (ports) with the JDK adapter {@link dev.sigstream.oci.client.OciRegistryHttpClient} and the in-memory
 * {@link dev.sigstream.oci.memory.InMemoryRegistry}; {@link dev.sigstream.oci.Deadline}, the per-artifact time
 * budget; {@link dev.sigstream.oci.classify.ArtifactClassifier}; {@link dev.sigstream.oci.sbom.SbomChecker}. The
 * referrer walk that uses them lives in {@code verifier-core}.
 */
package dev.sigstream.oci;
