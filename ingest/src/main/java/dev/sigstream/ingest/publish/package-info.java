/**
 * The {@code ArtifactEventPublisher} port and its Kafka adapter: idempotent, {@code acks=all}; a webhook is answered 2xx only after every record of it was acknowledged.
 */
package dev.sigstream.ingest.publish;
