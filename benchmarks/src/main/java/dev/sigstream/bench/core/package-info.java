/**
 * Load generators for the verification path and the verifier service, each beside a same-run baseline (bare registry GETs, a plain loop without Kafka).
 */
package dev.sigstream.bench.core;
