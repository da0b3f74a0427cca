/**
 * JMH benchmarks of Notary verification: full verification against the raw signature check.
 */
package dev.sigstream.bench.notary;
