package dev.sigstream.notary;

import java.time.Instant;
import java.util.List;

/**
 * What was learned about one tried signature. Fields are null when verification stopped before they were known
 * (for example a malformed envelope has no signer).
 *
 * @param manifestDigest signature manifest digest, when the caller supplied it
 * @param envelopeType {@code application/jose+json} or {@code application/cose}
 * @param signingScheme {@code notary.x509} or {@code notary.x509.signingAuthority}
 * @param signerSubject RFC 4514 subject of the leaf certificate
 * @param signerIssuer RFC 4514 issuer of the leaf certificate
 * @param certificateFingerprint SHA-256 of the leaf certificate DER, lower-case hex
 * @param signingTime claimed signing time (notary.x509) or authentic signing time (signingAuthority)
 * @param timestamp RFC 3161 genTime, when a countersignature was verified
 * @param expiry the signature's expiry, if any
 * @param verified true when this signature satisfied the policy
 * @param checks every check, in the order it ran
 */
public record SignatureResult(
    String manifestDigest,
    String envelopeType,
    String signingScheme,
    String signerSubject,
    String signerIssuer,
    String certificateFingerprint,
    Instant signingTime,
    Instant timestamp,
    Instant expiry,
    boolean verified,
    List<CheckResult> checks) {

  public SignatureResult {
    checks = List.copyOf(checks);
  }

  /** The first enforced failure, if any: the reason this signature did not verify. */
  public java.util.Optional<CheckResult> decisiveFailure() {
    return checks.stream().filter(CheckResult::isEnforcedFailure).findFirst();
  }

  /** The result for one check, if it was recorded. */
  public java.util.Optional<CheckResult> check(final Check check) {
    return checks.stream().filter(c -> c.check() == check).findFirst();
  }
}
