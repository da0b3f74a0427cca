package dev.sigstream.notary.timestamp;

import dev.sigstream.notary.ReasonCode;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * Outcome of verifying an RFC 3161 countersignature.
 *
 * @param valid true when the token is authentic, over the given signature bytes, and chains to a TSA root at genTime
 * @param reason OK, or TIMESTAMP_INVALID / TIMESTAMP_UNTRUSTED / CERT_REVOKED / REVOCATION_UNKNOWN ...
 * @param detail one human sentence
 * @param genTime the token's genTime (null when unparseable)
 * @param accuracy explicit accuracy, 1 s for the baseline policy 0.4.0.2023.1.1, else zero
 * @param tsaChain TSA signing chain, leaf first (empty when unknown)
 */
public record TimestampResult(
    boolean valid, ReasonCode reason, String detail, Instant genTime, Duration accuracy, List<X509Certificate> tsaChain) {

  public TimestampResult {
    tsaChain = List.copyOf(tsaChain);
  }
}
