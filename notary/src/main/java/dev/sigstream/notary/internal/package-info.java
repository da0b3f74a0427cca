/**
 * Helpers shared inside {@code notary} and not part of its API: a bounded memo for caches keyed by untrusted input,
 * a size-capped HTTP body handler for the OCSP, CRL and TSA clients, and the one shared BouncyCastle provider.
 */
package dev.sigstream.notary.internal;
