/**
 * The ingest load generator: accepted webhooks per second and latency beside the raw producer and bare HTTP.
 */
package dev.sigstream.bench.ingest;
