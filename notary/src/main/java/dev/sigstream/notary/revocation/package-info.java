/**
 * Certificate revocation checking (SPEC-NOTES section 12): OCSP preferred, CRL fallback, with bounded caches of
 * verified evidence. {@link dev.sigstream.notary.revocation.RevocationChecker} is the port the verifier calls;
 * {@link dev.sigstream.notary.revocation.OcspCrlRevocationChecker} coordinates a chain and caches whole-chain results,
 * {@code OcspChecker} and {@code CrlChecker} hold the OCSP and CRL rules, and {@code RevocationUrls} reads where a
 * certificate publishes its status. Network only through {@link dev.sigstream.notary.revocation.RevocationFetcher}
 * (adapter: {@link dev.sigstream.notary.revocation.HttpRevocationFetcher}); time only from the injected clock. Never
 * throws for bad input: every problem is an UNKNOWN status.
 */
package dev.sigstream.notary.revocation;
