package dev.sigstream.notary.revocation;

import java.time.Instant;

/**
 * What one source of evidence (OCSP or CRL) says about one certificate.
 *
 * @param validUntil earliest expiry of the evidence behind a status (null when unknown, e.g. an OCSP response
 *     without nextUpdate, or for UNKNOWN)
 */
record Outcome(RevocationStatus status, String detail, Instant validUntil) {

  static Outcome unknown(final String detail) {
    return new Outcome(RevocationStatus.UNKNOWN, detail, null);
  }
}
