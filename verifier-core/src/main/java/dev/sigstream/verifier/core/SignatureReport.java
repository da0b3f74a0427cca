package dev.sigstream.verifier.core;

import dev.sigstream.notary.SignatureResult;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * One tried signature. Fields are null when unknown: verification stopped before they were learned, or the
 * signature's manifest or envelope could not be fetched (then {@code checks} holds one {@link CheckType#REGISTRY}
 * failure).
 *
 * @param manifestDigest digest of the signature manifest (the referrer)
 * @param envelopeType {@code application/jose+json} or {@code application/cose}
 * @param signingScheme {@code notary.x509} or {@code notary.x509.signingAuthority}
 * @param signerSubject RFC 4514 subject of the leaf certificate
 * @param signerIssuer RFC 4514 issuer of the leaf certificate
 * @param certificateFingerprint SHA-256 of the leaf DER, lower-case hex
 * @param signingTime claimed (notary.x509) or authentic (signingAuthority) signing time
 * @param timestamp RFC 3161 genTime when a countersignature was verified
 * @param expiry signature expiry
 * @param verified this signature satisfied the policy
 * @param checks every check, in the order it ran
 */
public record SignatureReport(
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
    List<CheckReport> checks) {

  public SignatureReport {
    checks = List.copyOf(checks);
  }

  static SignatureReport of(final SignatureResult r) {
    return new SignatureReport(r.manifestDigest(), r.envelopeType(), r.signingScheme(), r.signerSubject(),
        r.signerIssuer(), r.certificateFingerprint(), r.signingTime(), r.timestamp(), r.expiry(), r.verified(),
        r.checks().stream().map(CheckReport::of).toList());
  }

  /** A signature that could not be fetched or is not a usable Notary signature manifest. */
  static SignatureReport unusable(final String manifestDigest, final String envelopeType, final Reason reason,
      final String detail) {
    return new SignatureReport(manifestDigest, envelopeType, null, null, null, null, null, null, null, false,
        List.of(CheckReport.enforcedFailure(CheckType.REGISTRY, reason, detail)));
  }

  /** The first enforced failure: why this signature did not verify. */
  public Optional<CheckReport> decisiveFailure() {
    return checks.stream().filter(CheckReport::isEnforcedFailure).findFirst();
  }
}
