/**
 * Named X.509 trust stores of the types {@code ca}, {@code signingAuthority} and {@code tsa}, loaded once from
 * Notation's layout ({@code {config}/truststore/x509/{type}/{name}/}, SPEC-NOTES section 7). A missing or invalid store
 * is kept as such, so the verifier reports it per statement instead of failing every artifact.
 */
package dev.sigstream.notary.truststore;
