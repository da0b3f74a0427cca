package dev.sigstream.notary.revocation;

/** Thrown for an OCSP response or CRL that must not be used; becomes UNKNOWN. */
final class Unusable extends Exception {
  private static final long serialVersionUID = 1L;

  Unusable(final String message) {
    super(message, null, false, false);
  }
}
