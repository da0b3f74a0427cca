package dev.sigstream.notary.revocation;

import static dev.sigstream.notary.revocation.Evidence.BC;
import static dev.sigstream.notary.revocation.Evidence.MAX_CLOCK_SKEW;
import static dev.sigstream.notary.revocation.Evidence.criticalOids;
import static dev.sigstream.notary.revocation.Evidence.earliest;
import static dev.sigstream.notary.revocation.Evidence.invalidityDate;
import static dev.sigstream.notary.revocation.Evidence.requireOnlyKnownCritical;
import static dev.sigstream.notary.revocation.Evidence.sha1;
import static dev.sigstream.notary.revocation.Evidence.subject;

import java.io.IOException;
import java.math.BigInteger;
import java.net.URI;
import java.security.GeneralSecurityException;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509CertificateHolder;
import org.bouncycastle.cert.ocsp.BasicOCSPResp;
import org.bouncycastle.cert.ocsp.CertificateID;
import org.bouncycastle.cert.ocsp.CertificateStatus;
import org.bouncycastle.cert.ocsp.OCSPException;
import org.bouncycastle.cert.ocsp.OCSPReqBuilder;
import org.bouncycastle.cert.ocsp.OCSPResp;
import org.bouncycastle.cert.ocsp.RespID;
import org.bouncycastle.cert.ocsp.RevokedStatus;
import org.bouncycastle.cert.ocsp.SingleResp;
import org.bouncycastle.cert.ocsp.UnknownStatus;
import org.bouncycastle.operator.ContentVerifierProvider;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentVerifierProviderBuilder;

/**
 * The OCSP half of {@link OcspCrlRevocationChecker} (its step 2): asks the certificate's responders in order, accepts
 * only responses signed by the issuer or a delegated responder the issuer certified (whose own revocation goes
 * through {@link CrlChecker}), caches verified answers until their nextUpdate, and decides one certificate's status.
 * Never throws: every problem is an UNKNOWN {@link Outcome}. Thread-safe.
 */
final class OcspChecker {

  private final RevocationFetcher fetcher;
  private final Clock clock;
  private final RevocationUrls certUrls;
  private final CrlChecker crl;
  private final BoundedCache<OcspKey, OcspAnswer> ocspCache;

  /** @param maxOcspEntries bound of the OCSP answer cache (0 disables it) */
  OcspChecker(final RevocationFetcher fetcher, final Clock clock, final RevocationUrls certUrls, final CrlChecker crl,
      final int maxOcspEntries) {
    this.fetcher = fetcher;
    this.clock = clock;
    this.certUrls = certUrls;
    this.crl = crl;
    this.ocspCache = new BoundedCache<>(maxOcspEntries);
  }

  private record OcspKey(String issuerFingerprint, BigInteger serial) {}

  /**
   * @param validUntil until when the answer may be used: the response's nextUpdate, bounded by its delegated
   *     responder's notAfter and the responder's CRL (null: no nextUpdate, so never reused)
   */
  private record OcspAnswer(RevocationStatus status, Instant revocationTime, Instant invalidityDate, URI source,
      Instant validUntil) {}

  /**
   * @param urls the certificate's OCSP locations, in order
   * @param signingTime authentic signing time (signingAuthority scheme), or null
   */
  Outcome check(final X509Certificate cert, final X509Certificate issuer, final List<URI> urls,
      final Instant signingTime) {
    final Instant now = clock.instant();
    final OcspKey key = new OcspKey(certUrls.fingerprint(issuer), cert.getSerialNumber());
    final OcspAnswer cached = ocspCache.get(key, now);
    if (cached != null) {
      return evaluate(cached, signingTime, " (cached)");
    }
    final CertificateID cid;
    final byte[] request;
    try {
      cid = new CertificateID(sha1(), new JcaX509CertificateHolder(issuer), cert.getSerialNumber());
      request = new OCSPReqBuilder().addRequest(cid).build().getEncoded();
    } catch (OCSPException | CertificateException | IOException e) {
      return Outcome.unknown("cannot build the OCSP request: " + e.getMessage());
    }
    final List<String> failures = new ArrayList<>();
    for (final URI url : urls) {
      if (!RevocationUrls.isHttp(url)) {
        failures.add(url + ": only http OCSP URLs are used");
        continue;
      }
      try {
        final byte[] der = fetcher.ocsp(url, request);
        final OcspAnswer a = parseOcsp(der, cid, issuer, now, url);
        if (a.status() == RevocationStatus.UNKNOWN) {
          failures.add(url + ": responder answered unknown");
          continue;
        }
        if (a.validUntil() != null) {
          ocspCache.put(key, a, a.validUntil(), clock.instant());
        }
        return evaluate(a, signingTime, "");
      } catch (IOException e) {
        failures.add(url + ": " + e.getMessage());
      } catch (Unusable e) {
        failures.add(url + ": " + e.getMessage());
      }
    }
    return Outcome.unknown(String.join("; ", failures));
  }

  private static Outcome evaluate(final OcspAnswer a, final Instant signingTime, final String suffix) {
    return switch (a.status()) {
      case OK -> new Outcome(RevocationStatus.OK, "OCSP good from " + a.source() + suffix, a.validUntil());
      case UNKNOWN -> Outcome.unknown("OCSP unknown from " + a.source() + suffix);
      case REVOKED -> {
        if (signingTime != null && a.invalidityDate() != null && signingTime.isBefore(a.invalidityDate())) {
          yield new Outcome(RevocationStatus.OK, "OCSP revoked at " + a.revocationTime() + " but invalid only from "
              + a.invalidityDate() + ", after the authentic signing time " + signingTime + suffix, a.validUntil());
        }
        yield new Outcome(RevocationStatus.REVOKED, "OCSP revoked at " + a.revocationTime() + " by " + a.source()
            + suffix, a.validUntil());
      }
    };
  }

  private OcspAnswer parseOcsp(final byte[] der, final CertificateID cid, final X509Certificate issuer,
      final Instant now, final URI url) throws Unusable {
    final OCSPResp resp;
    final BasicOCSPResp basic;
    try {
      resp = new OCSPResp(der);
      if (resp.getStatus() != OCSPResp.SUCCESSFUL) {
        throw new Unusable("OCSP response status " + resp.getStatus() + " (not successful)");
      }
      final Object o = resp.getResponseObject();
      if (!(o instanceof BasicOCSPResp b)) {
        throw new Unusable("not a basic OCSP response");
      }
      basic = b;
    } catch (IOException | OCSPException | RuntimeException e) {
      throw new Unusable("malformed OCSP response: " + e.getMessage());
    }
    final Instant responderValidUntil = verifyResponder(basic, issuer, now);
    requireOnlyKnownCritical(criticalOids(basic.getCriticalExtensionOIDs()), Set.of(), "OCSP response");
    SingleResp single = null;
    for (final SingleResp s : basic.getResponses()) {
      if (sameCertId(s.getCertID(), cid)) {
        single = s;
        break;
      }
    }
    if (single == null) {
      throw new Unusable("OCSP response does not cover the certificate");
    }
    requireOnlyKnownCritical(criticalOids(single.getCriticalExtensionOIDs()), Set.of(), "OCSP single response");
    final Instant thisUpdate = single.getThisUpdate().toInstant();
    if (thisUpdate.isAfter(now.plus(MAX_CLOCK_SKEW))) {
      throw new Unusable("OCSP thisUpdate " + thisUpdate + " is in the future");
    }
    final Instant nextUpdate = single.getNextUpdate() == null ? null : single.getNextUpdate().toInstant();
    if (nextUpdate != null && !nextUpdate.isAfter(now)) {
      throw new Unusable("OCSP response expired (nextUpdate " + nextUpdate + ")");
    }
    // The answer would be refused once the delegated responder is expired or its CRL stale, so it must not be
    // reused past either.
    final Instant validUntil = nextUpdate == null ? null : earliest(nextUpdate, responderValidUntil);
    final CertificateStatus status = single.getCertStatus();
    if (status == CertificateStatus.GOOD) {
      return new OcspAnswer(RevocationStatus.OK, null, null, url, validUntil);
    } else if (status instanceof RevokedStatus r) {
      return new OcspAnswer(RevocationStatus.REVOKED, r.getRevocationTime().toInstant(),
          invalidityDate(single.getExtension(Extension.invalidityDate)), url, validUntil);
    } else if (status instanceof UnknownStatus) {
      return new OcspAnswer(RevocationStatus.UNKNOWN, null, null, url, validUntil);
    }
    throw new Unusable("unrecognised OCSP certificate status");
  }

  /**
   * The response must be signed by the issuer itself, or by a delegated responder that the issuer certified
   * directly for OCSP signing (RFC 6960 §4.2.2.2); anything else could let a third party vouch for the certificate.
   *
   * @return until when the responder is acceptable: {@link Instant#MAX} for the issuer, else the earlier of the
   *     delegated responder's notAfter and the expiry of its revocation status
   */
  private Instant verifyResponder(final BasicOCSPResp basic, final X509Certificate issuer, final Instant now)
      throws Unusable {
    final RespID rid = basic.getResponderId();
    X509Certificate signer = null;
    Instant validUntil = Instant.MAX;
    try {
      if (respIdMatches(rid, issuer)) {
        signer = issuer;
      } else {
        for (final X509CertificateHolder h : basic.getCerts()) {
          final X509Certificate c = new JcaX509CertificateConverter().getCertificate(h);
          if (respIdMatches(rid, c)) {
            signer = c;
            break;
          }
        }
        if (signer == null) {
          throw new Unusable("OCSP responder is neither the issuer nor a delegated responder in the response");
        }
        if (!signer.getIssuerX500Principal().equals(issuer.getSubjectX500Principal())) {
          throw new Unusable("delegated OCSP responder \"" + subject(signer) + "\" is not issued by the issuer");
        }
        try {
          signer.verify(issuer.getPublicKey());
        } catch (GeneralSecurityException e) {
          throw new Unusable("delegated OCSP responder certificate is not signed by the issuer");
        }
        final List<String> eku = signer.getExtendedKeyUsage();
        if (eku == null || !eku.contains(KeyPurposeId.id_kp_OCSPSigning.getId())) {
          throw new Unusable("delegated OCSP responder certificate lacks id-kp-OCSPSigning");
        }
        try {
          signer.checkValidity(java.util.Date.from(now));
        } catch (CertificateException e) {
          throw new Unusable("delegated OCSP responder certificate is not valid now");
        }
        validUntil = earliest(signer.getNotAfter().toInstant(), requireResponderNotRevoked(signer, issuer));
      }
      final ContentVerifierProvider cvp = new JcaContentVerifierProviderBuilder().setProvider(BC).build(signer);
      if (!basic.isSignatureValid(cvp)) {
        throw new Unusable("OCSP response signature does not verify");
      }
      return validUntil;
    } catch (OCSPException | OperatorCreationException | CertificateException | RuntimeException e) {
      throw new Unusable("OCSP response signature cannot be verified: " + e.getMessage());
    }
  }

  /**
   * A delegated responder without id-pkix-ocsp-nocheck must itself be checked (spec; SPEC-NOTES §13 row 18, which
   * notation-go does not implement): through its CRL distribution points, never OCSP (which would ask the responder
   * about itself). No CDP → nothing to check; a revoked or unknown responder makes the response unusable.
   *
   * @return until when the responder's status is known ({@link Instant#MAX} when nothing is to be checked)
   */
  private Instant requireResponderNotRevoked(final X509Certificate responder, final X509Certificate issuer)
      throws Unusable {
    if (responder.getExtensionValue(org.bouncycastle.asn1.ocsp.OCSPObjectIdentifiers.id_pkix_ocsp_nocheck.getId())
        != null) {
      return Instant.MAX;
    }
    final List<URI> cdp;
    try {
      cdp = RevocationUrls.crlUrls(responder);
    } catch (IOException | IllegalArgumentException e) {
      throw new Unusable("cannot read the OCSP responder's CRL locations");
    }
    if (cdp.isEmpty()) {
      return Instant.MAX;
    }
    final Outcome o = crl.check(responder, issuer, cdp, null);
    if (o.status() != RevocationStatus.OK) {
      throw new Unusable("delegated OCSP responder \"" + subject(responder) + "\" is "
          + (o.status() == RevocationStatus.REVOKED ? "revoked" : "of unknown revocation status") + ": "
          + o.detail());
    }
    return o.validUntil();
  }

  private static boolean respIdMatches(final RespID rid, final X509Certificate c) {
    try {
      final X500Name name = X500Name.getInstance(c.getSubjectX500Principal().getEncoded());
      if (rid.equals(new RespID(name))) {
        return true;
      }
      return rid.equals(new RespID(SubjectPublicKeyInfo.getInstance(c.getPublicKey().getEncoded()), sha1()));
    } catch (OCSPException | RuntimeException e) {
      return false;
    }
  }

  /** CertID equality by value; AlgorithmIdentifier NULL parameters may or may not be encoded. */
  private static boolean sameCertId(final CertificateID a, final CertificateID b) {
    return a.getHashAlgOID().equals(b.getHashAlgOID())
        && Arrays.equals(a.getIssuerNameHash(), b.getIssuerNameHash())
        && Arrays.equals(a.getIssuerKeyHash(), b.getIssuerKeyHash())
        && a.getSerialNumber().equals(b.getSerialNumber());
  }
}
