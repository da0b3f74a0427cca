package dev.sigstream.notary.revocation;

/** Chain-level (and per-certificate) revocation outcome. */
public enum RevocationStatus {
  /** Every checked certificate is good or carries no OCSP/CRL location (non-revocable). */
  OK,
  /** At least one certificate is revoked. */
  REVOKED,
  /** Status could not be learned for at least one certificate (timeout, bad response, stale CRL...). */
  UNKNOWN
}
