package dev.sigstream.notary.revocation;

import java.net.URI;

/**
 * Network port for revocation data. Implementations bound every call by a timeout and a response size cap and
 * report failures as exceptions of type {@link java.io.IOException}; the checker turns them into UNKNOWN.
 * Only {@code http} URLs are fetched (spec).
 */
public interface RevocationFetcher {

  /** GET a DER CRL. */
  byte[] fetchCrl(URI uri) throws java.io.IOException;

  /** Send a DER OCSP request (GET if small, else POST application/ocsp-request) and return the DER response. */
  byte[] ocsp(URI responder, byte[] request) throws java.io.IOException;
}
