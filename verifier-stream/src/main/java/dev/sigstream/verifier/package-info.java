/** Kafka Streams topology ArtifactPushed -> Verdict. Lands with the verifier-stream issue. */
package dev.sigstream.verifier;
