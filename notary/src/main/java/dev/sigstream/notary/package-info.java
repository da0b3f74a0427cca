/** Notary Project signature verification and signing. Pure library: no Kafka, no HTTP server. */
package dev.sigstream.notary;
