package dev.sigstream.app.cli;

import dev.sigstream.verifier.core.ArtifactReport;
import dev.sigstream.verifier.core.Reason;
import dev.sigstream.verifier.core.SignatureReport;

/** What a user can do about a failed verification, one sentence per reason code. */
final class Remedies {

  private Remedies() {}

  static String forReport(final ArtifactReport r) {
    final String st = r.policy() == null ? "the applicable statement" : "statement \"" + r.policy().statement() + "\"";
    final Reason reason = r.reason();
    return switch (reason) {
      case UNTRUSTED_IDENTITY -> "if this signer is expected, add \"x509.subject: " + signer(r)
          + "\" to trustedIdentities of " + st;
      case UNTRUSTED_CHAIN -> "add the signer's root or intermediate CA to a trust store named in trustStores of "
          + st + " (truststore/x509/ca/NAME/)";
      case TRUST_STORE_MISSING -> "create the trust store named in trustStores of " + st
          + " under truststore/x509/{ca,signingAuthority,tsa}/NAME/ with at least one certificate";
      case CERT_EXPIRED -> "re-sign with a valid certificate, or sign with --timestamp-url and add the TSA root to a"
          + " 'tsa' trust store of " + st;
      case CERT_NOT_YET_VALID -> "check the signer's certificate validity and this machine's clock";
      case SIGNATURE_EXPIRED -> "re-sign the artifact (the signature's expiry has passed)";
      case TIMESTAMP_MISSING -> "sign with --timestamp-url, or set verifyTimestamp to afterCertExpiry in " + st;
      case TIMESTAMP_UNTRUSTED -> "add the timestamp authority's root certificate to a 'tsa' trust store of " + st;
      case TIMESTAMP_INVALID, TIMESTAMP_OUTSIDE_CERT_VALIDITY -> "re-sign the artifact with a working timestamp"
          + " authority";
      case CERT_REVOKED -> "the signing certificate is revoked: do not use this artifact; re-sign with a new key";
      case REVOCATION_UNKNOWN -> "make the certificate's OCSP/CRL endpoints reachable, or (knowingly) relax the"
          + " revocation check with an override in " + st;
      case NO_SIGNATURE -> "sign the artifact (sigstream sign or notation sign) and push the signature to this"
          + " repository";
      case TOO_MANY_SIGNATURES -> "raise --max-signatures or remove stale signatures";
      case NO_APPLICABLE_POLICY -> "add a trust policy statement whose registryScopes include "
          + r.artifact().registry() + "/" + r.artifact().repository() + " (or \"*\")";
      case DIGEST_MISMATCH, SIZE_MISMATCH, MEDIA_TYPE_MISMATCH -> "the signature is for other content: the artifact"
          + " may have been replaced; do not use it, or re-sign the intended digest";
      case SIGNATURE_INVALID, ENVELOPE_MALFORMED, PAYLOAD_MALFORMED, CONTENT_DIGEST_MISMATCH ->
          "the signature or content was tampered with or corrupted: do not use this artifact";
      case USER_METADATA_MISMATCH -> "sign with the required --user-metadata, or drop it from the verify command";
      case PLUGIN_UNSUPPORTED -> "this signature needs a Notation verification plugin, which Sigstream does not run";
      case ARTIFACT_NOT_FOUND -> "check the reference: the tag or digest does not exist";
      case REPOSITORY_NOT_FOUND -> "check the repository name";
      case REGISTRY_UNAUTHORIZED, REGISTRY_FORBIDDEN -> "provide credentials with access (docker login, or"
          + " --username with --password-stdin)";
      case REGISTRY_UNAVAILABLE, REGISTRY_RATE_LIMITED, DEADLINE_EXCEEDED -> "retry later; check the registry address"
          + " and network (use --insecure-registry for plain-HTTP registries)";
      case REGISTRY_NOT_ALLOWED -> "allow the host with --allow-registry";
      case CERT_CHAIN_INVALID, CERT_REQUIREMENTS_UNMET, CERT_WEAK_ALGORITHM -> "re-sign with a certificate chain"
          + " that meets the Notary Project certificate requirements";
      default -> "see docs/verdicts.md for " + reason;
    };
  }

  private static String signer(final ArtifactReport r) {
    // The signer whose identity was rejected, not just any signer of the artifact.
    return r.signatures().stream()
        .filter(s -> s.signerSubject() != null)
        .filter(s -> s.decisiveFailure().map(c -> c.reason() == Reason.UNTRUSTED_IDENTITY).orElse(false))
        .map(SignatureReport::signerSubject).findFirst().orElse("<signer subject>");
  }
}
