/**
 * CLI start-up measurements: whole {@code bin/sigstream} processes against a local registry, beside the JVM floor
 * and beside separate calls, as ratios.
 */
package dev.sigstream.bench.cli;
