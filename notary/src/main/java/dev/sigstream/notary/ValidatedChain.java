package dev.sigstream.notary;

import dev.sigstream.notary.ReasonCode;
import dev.sigstream.notary.cert.CertificateRuleException;
import dev.sigstream.notary.cert.CertificateRules;
import dev.sigstream.notary.cert.Certificates;
import dev.sigstream.notary.envelope.SignatureAlgorithm;
import dev.sigstream.notary.policy.DistinguishedName;
import java.security.PublicKey;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Everything about an envelope's certificate chain that does not depend on time or policy, computed once per
 * distinct chain and cached: parsed certificates, the structural/rule verdict, the leaf key and its only allowed
 * algorithm, fingerprints and the leaf subject for identity matching.
 */
final class ValidatedChain {

  final List<X509Certificate> certificates;
  final List<ByteKey> ders;
  /** null when the chain satisfies the certificate rules. */
  final ReasonCode failure;
  final String failureDetail;
  final PublicKey leafKey;
  final SignatureAlgorithm leafAlgorithm;
  final String leafFingerprint;
  final String leafSubject;
  final String leafIssuer;
  final DistinguishedName leafDn;
  final String leafDnError;
  /**
   * The last identity decision, with the statement it was made for: a pure function of the statement and the leaf
   * subject, so a repeat signer under the same statement skips the DN matching. One slot, replaced atomically.
   */
  private volatile IdentityDecision lastIdentity;

  private record IdentityDecision(dev.sigstream.notary.policy.TrustPolicyStatement statement,
      java.util.Optional<String> mismatch) {}

  /** min(notAfter) and max(notBefore) over the chain, for quick validity checks. */
  final Instant earliestNotAfter;
  final Instant latestNotBefore;

  private ValidatedChain(
      final List<X509Certificate> certificates, final List<ByteKey> ders, final ReasonCode failure,
      final String failureDetail) {
    this.certificates = certificates;
    this.ders = ders;
    this.failure = failure;
    this.failureDetail = failureDetail;
    final X509Certificate leaf = certificates.isEmpty() ? null : certificates.get(0);
    this.leafKey = leaf == null ? null : SignatureAlgorithm.verificationKey(leaf.getPublicKey());
    this.leafAlgorithm = leaf == null ? null : SignatureAlgorithm.forKey(leaf.getPublicKey()).orElse(null);
    this.leafFingerprint = ders.isEmpty() ? null : Certificates.sha256Hex(ders.get(0).bytes());
    this.leafSubject = leaf == null ? null : leaf.getSubjectX500Principal().getName();
    this.leafIssuer = leaf == null ? null : leaf.getIssuerX500Principal().getName();
    DistinguishedName dn = null;
    String dnError = null;
    if (leaf != null) {
      try {
        dn = DistinguishedName.fromCertificateSubject(leaf.getSubjectX500Principal());
      } catch (final RuntimeException e) {
        dnError = e.getMessage();
      }
    }
    this.leafDn = dn;
    this.leafDnError = dnError;
    Instant na = Instant.MAX;
    Instant nb = Instant.MIN;
    for (final X509Certificate c : certificates) {
      final Instant a = c.getNotAfter().toInstant();
      final Instant b = c.getNotBefore().toInstant();
      na = a.isBefore(na) ? a : na;
      nb = b.isAfter(nb) ? b : nb;
    }
    this.earliestNotAfter = na;
    this.latestNotBefore = nb;
  }

  /** {@code statement.identityMismatch(leafDn)}, remembered for the last statement asked. */
  java.util.Optional<String> identityMismatch(final dev.sigstream.notary.policy.TrustPolicyStatement statement) {
    final IdentityDecision last = lastIdentity;
    if (last != null && last.statement() == statement) {
      return last.mismatch();
    }
    final java.util.Optional<String> mismatch = statement.identityMismatch(leafDn);
    lastIdentity = new IdentityDecision(statement, mismatch);
    return mismatch;
  }

  static ValidatedChain validate(final List<byte[]> chainDer) {
    final List<X509Certificate> certs = new ArrayList<>(chainDer.size());
    final List<ByteKey> ders = new ArrayList<>(chainDer.size());
    for (final byte[] der : chainDer) {
      ders.add(new ByteKey(der));
      try {
        certs.add(Certificates.parseDer(der));
      } catch (final CertificateException | RuntimeException e) {
        return new ValidatedChain(List.of(), List.copyOf(ders), ReasonCode.CERT_CHAIN_INVALID,
            "certificate " + (ders.size()) + " of the chain is not a valid X.509 certificate");
      }
    }
    try {
      CertificateRules.validateCodeSigningChain(certs);
      return new ValidatedChain(List.copyOf(certs), List.copyOf(ders), null, null);
    } catch (final CertificateRuleException e) {
      return new ValidatedChain(List.copyOf(certs), List.copyOf(ders), e.reason(), e.getMessage());
    } catch (final RuntimeException e) {
      return new ValidatedChain(List.copyOf(certs), List.copyOf(ders), ReasonCode.CERT_CHAIN_INVALID,
          "certificate chain cannot be validated: " + e.getClass().getSimpleName());
    }
  }
}
