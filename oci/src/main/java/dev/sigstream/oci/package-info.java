/**
 * OCI distribution client, referrer discovery, classification and SBOM checks. No Kafka, no HTTP server.
 *
 * <p>Public entry points: {@link dev.sigstream.oci.RegistryClient} (port) with its JDK adapter
 * {@link dev.sigstream.oci.client.OciRegistryHttpClient}; {@link dev.sigstream.oci.discovery.ReferrerDiscovery};
 * {@link dev.sigstream.oci.classify.ArtifactClassifier}; {@link dev.sigstream.oci.sbom.SbomChecker}.
 */
package dev.sigstream.oci;
