/**
 * Webhook sources, pure: one parser and authenticator per registry type, from a request to a list of {@code ArtifactPushed} or a typed rejection. No Kafka, no HTTP server.
 */
package dev.sigstream.ingest.source;
