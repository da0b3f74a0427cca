/**
 * The notifier load generator: router throughput and verdict-to-delivery delay, alone and beside a slow destination.
 */
package dev.sigstream.bench.notifier;
