/**
 * The verifier's Kafka Streams topology: {@link dev.sigstream.verifier.topology.VerifierTopology#build} and its
 * asynchronous {@code VerifyProcessor}, which holds pending work (grace windows for late signatures, retries with
 * backoff) in a changelogged store and never waits on a registry in the stream thread.
 */
package dev.sigstream.verifier.topology;
