/** Signing through a remote key: the overhead of the signing path beyond the provider's own latency. */
package dev.sigstream.bench.signing;
