/**
 * Verification orchestration shared by the CLI and the Kafka Streams verifier: {@link
 * dev.sigstream.verifier.core.ArtifactVerifier} turns a reference into an {@link
 * dev.sigstream.verifier.core.ArtifactReport} using the {@code oci} registry client and the {@code notary} verifier.
 * Pure Java: no Kafka and no Avro here (an ArchUnit rule in the app module enforces it); the edge maps reports to the
 * Avro {@code Verdict} with {@link dev.sigstream.verdict.VerdictMapper}.
 */
package dev.sigstream.verifier.core;
