/** Webhook receiver and Kafka publisher. Lands with the ingest issue. */
package dev.sigstream.ingest;
