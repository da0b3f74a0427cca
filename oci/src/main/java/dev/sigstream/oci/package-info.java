/** OCI distribution client, referrer discovery, classification and SBOM checks. No Kafka, no HTTP server. */
package dev.sigstream.oci;
