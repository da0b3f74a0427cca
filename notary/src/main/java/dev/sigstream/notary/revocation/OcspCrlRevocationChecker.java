package dev.sigstream.notary.revocation;

import java.io.IOException;
import java.math.BigInteger;
import java.net.URI;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.Provider;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.HexFormat;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import org.bouncycastle.asn1.ASN1GeneralizedTime;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.AccessDescription;
import org.bouncycastle.asn1.x509.AuthorityInformationAccess;
import org.bouncycastle.asn1.x509.CRLDistPoint;
import org.bouncycastle.asn1.x509.CRLReason;
import org.bouncycastle.asn1.x509.DistributionPoint;
import org.bouncycastle.asn1.x509.DistributionPointName;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.Extensions;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.IssuingDistributionPoint;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.cert.X509CRLEntryHolder;
import org.bouncycastle.cert.X509CRLHolder;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
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
import org.bouncycastle.jce.provider.BouncyCastleProvider;
import org.bouncycastle.operator.ContentVerifierProvider;
import org.bouncycastle.operator.DigestCalculator;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentVerifierProviderBuilder;
import org.bouncycastle.operator.jcajce.JcaDigestCalculatorProviderBuilder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Notary Project revocation checking (SPEC-NOTES §12): OCSP preferred, CRL fallback, for every certificate of the
 * chain except the root, whose issuer is the next certificate in the chain.
 *
 * <p>Per certificate:
 *
 * <ol>
 *   <li>No OCSP URL (authorityInfoAccess) and no CRL URL (cRLDistributionPoints) → non-revocable, OK.
 *   <li>OCSP URLs are tried in order (http only; SHA-1 CertID; no nonce so responses stay cacheable) until one
 *       answers good or revoked. The response must be signed by the issuer or by a delegated responder certificate
 *       that the issuer signed directly and that carries id-kp-OCSPSigning and is valid now (and, lacking
 *       id-pkix-ocsp-nocheck, is not revoked per its CRL distribution points); it must name the
 *       certificate's CertID; {@code thisUpdate} must not be in the future (5 min skew, as OpenSSL's default) and
 *       {@code nextUpdate}, when present, must be after now.
 *   <li>OCSP unknown or failed and a CRL URL present → CRL (method {@code ocsp-fallback-crl}); OCSP only → UNKNOWN.
 *   <li>CRL URLs are tried in order until one yields a usable CRL (the spec's "try until a 200 response"; notation
 *       stops at the first error). The CRL must be a base CRL from the issuer (indirect CRLs and certificateIssuer
 *       entries unsupported), signed by the issuer, with {@code nextUpdate} present and after now, and no critical
 *       CRL or entry extension other than issuingDistributionPoint; a distribution point restricted to some reasons
 *       is refused. A certificate carrying freshestCRL also needs a delta CRL (tried in order like the base): from
 *       the same issuer, with a critical deltaCRLIndicator not above the base CRL number and a CRL number above it;
 *       its entries are added to the base CRL's. No usable delta → UNKNOWN (it might hold the revocation).
 *   <li>CRL entries: any entry with a reason other than certificateHold/removeFromCRL revokes; otherwise the latest
 *       hold/remove entry decides (hold → revoked, removeFromCRL → OK), as notation-core-go.
 *   <li>Invalidity date (signingAuthority scheme only, i.e. when a {@code signingTime} is passed): a revocation whose
 *       invalidityDate is after the authentic signing time does not affect this signature.
 * </ol>
 *
 * <p>Verified OCSP responses and CRLs are cached until their nextUpdate in bounded, lock-free caches; failures are
 * never cached. On top of them, whole-chain results are cached (bounded, keyed by the chain, purpose and signing time)
 * until the earliest expiry of the evidence they rest on: each OCSP response's nextUpdate (and its delegated
 * responder's notAfter and CRL), each base and delta CRL's nextUpdate. A result is cached only when every certificate
 * was decided by such evidence or is non-revocable; UNKNOWN, OCSP answers without nextUpdate and CRL fallbacks after
 * an OCSP failure are never cached, so they are re-evaluated on every call as before. Never throws: every error
 * becomes UNKNOWN for the certificate concerned. Thread-safe. The certificates of a chain are checked concurrently
 * when an executor is given, else one after the other on the calling thread.
 */
public final class OcspCrlRevocationChecker implements RevocationChecker {

  public static final int DEFAULT_MAX_OCSP_ENTRIES = 4096;
  public static final int DEFAULT_MAX_CRL_ENTRIES = 64;
  /**
   * Most revoked-certificate entries held over all cached CRLs (about 150-200 MiB of parsed entries). A larger
   * CRL is used but not kept; the chain-level result built from it is still cached until its nextUpdate.
   */
  public static final long DEFAULT_MAX_CACHED_CRL_ENTRIES = 1_000_000;
  public static final int DEFAULT_MAX_CHAIN_ENTRIES = 1024;

  /** Tolerated clock difference for thisUpdate in the future (OpenSSL's OCSP_check_validity default). */
  static final Duration MAX_CLOCK_SKEW = Duration.ofMinutes(5);

  private static final Logger log = LoggerFactory.getLogger(OcspCrlRevocationChecker.class);
  private static final Provider BC = new BouncyCastleProvider();
  private static final Set<ASN1ObjectIdentifier> KNOWN_CRL_ENTRY_EXTENSIONS = Set.of(
      Extension.reasonCode, Extension.invalidityDate, Extension.instructionCode);

  private final RevocationFetcher fetcher;
  private final Clock clock;
  private final BoundedCache<OcspKey, OcspAnswer> ocspCache;
  private final BoundedCache<CrlKey, ParsedCrl> crlCache;
  private final Executor parallel;
  private final BoundedCache<X509Certificate, CertInfo> certInfo = new BoundedCache<>(DEFAULT_MAX_OCSP_ENTRIES);
  private final BoundedCache<ChainKey, RevocationResult> chainCache;

  /** With default cache bounds (4096 OCSP answers, 64 CRLs). */
  public OcspCrlRevocationChecker(final RevocationFetcher fetcher, final Clock clock) {
    this(fetcher, clock, DEFAULT_MAX_OCSP_ENTRIES, DEFAULT_MAX_CRL_ENTRIES);
  }

  /**
   * @param maxOcspEntries bound of the OCSP answer cache (0 disables it, and the chain result cache with it)
   * @param maxCrlEntries bound of the CRL cache (0 disables it, and the chain result cache with it)
   */
  public OcspCrlRevocationChecker(final RevocationFetcher fetcher, final Clock clock, final int maxOcspEntries,
      final int maxCrlEntries) {
    this(fetcher, clock, maxOcspEntries, maxCrlEntries, null);
  }

  /**
   * @param parallel executor on which the certificates of one chain are checked concurrently (as the spec and the
   *     notation CLI do, so that a chain costs one timeout rather than one per certificate); null checks them in turn
   *     on the calling thread
   */
  public OcspCrlRevocationChecker(final RevocationFetcher fetcher, final Clock clock, final int maxOcspEntries,
      final int maxCrlEntries, final Executor parallel) {
    this.fetcher = Objects.requireNonNull(fetcher, "fetcher");
    this.clock = Objects.requireNonNull(clock, "clock");
    this.ocspCache = new BoundedCache<>(maxOcspEntries);
    this.crlCache = new BoundedCache<>(maxCrlEntries, DEFAULT_MAX_CACHED_CRL_ENTRIES);
    this.parallel = parallel;
    // A caller who turns off an evidence cache wants fresh evidence on every check; a chain result cache would
    // silently reuse it, so it is only on when both evidence caches are.
    this.chainCache = new BoundedCache<>(maxOcspEntries > 0 && maxCrlEntries > 0 ? DEFAULT_MAX_CHAIN_ENTRIES : 0);
  }

  @Override
  public RevocationResult check(final List<X509Certificate> chain, final Purpose purpose, final Instant signingTime) {
    if (chain == null || chain.isEmpty() || hasNull(chain)) {
      return new RevocationResult(RevocationStatus.UNKNOWN, "no certificate chain to check", List.of());
    }
    final ChainKey key = new ChainKey(List.copyOf(chain), purpose, signingTime);
    final RevocationResult cached = chainCache.get(key, clock.instant());
    if (cached != null) {
      return cached;
    }
    final int n = chain.size() - 1;
    final List<Checked> checked = new ArrayList<>();
    if (parallel != null && n > 1) {
      final List<CompletableFuture<Checked>> futures = new ArrayList<>();
      for (int i = 0; i < n; i++) {
        final int idx = i;
        try {
          futures.add(CompletableFuture.supplyAsync(() -> safeCheck(chain, idx, signingTime), parallel));
        } catch (java.util.concurrent.RejectedExecutionException e) {
          futures.add(CompletableFuture.completedFuture(safeCheck(chain, idx, signingTime)));
        }
      }
      for (int i = 0; i < n; i++) {
        try {
          checked.add(futures.get(i).join());
        } catch (java.util.concurrent.CompletionException | java.util.concurrent.CancellationException e) {
          checked.add(uncacheable(subject(chain.get(i)), RevocationStatus.UNKNOWN, "none",
              "revocation check failed: " + e.getCause()));
        }
      }
    } else {
      for (int i = 0; i < n; i++) {
        checked.add(safeCheck(chain, i, signingTime));
      }
    }
    final List<RevocationResult.CertificateStatus> statuses = new ArrayList<>(n);
    Instant validUntil = Instant.MAX;
    for (final Checked c : checked) {
      statuses.add(c.status());
      validUntil = earliest(validUntil, c.validUntil());
    }
    final RevocationResult result = aggregate(statuses, purpose);
    // Fail closed: UNKNOWN must be re-evaluated on every call (the responder may come back), and a result is only
    // reused while every piece of evidence it rests on is still fresh; null means some evidence has no known expiry.
    if (result.status() != RevocationStatus.UNKNOWN && validUntil != null) {
      chainCache.put(key, result, validUntil, clock.instant());
    }
    return result;
  }

  /** A loop, not a stream or {@code contains(null)} (immutable lists throw on it): this runs on every verification. */
  private static boolean hasNull(final List<X509Certificate> chain) {
    for (final X509Certificate c : chain) {
      if (c == null) {
        return true;
      }
    }
    return false;
  }

  /**
   * The certificates are compared by encoding (X509Certificate.equals), so a chain parsed afresh from another
   * envelope hits; the root is part of the key because it is the intermediate's issuer (OCSP CertID, CRL signer).
   */
  private record ChainKey(List<X509Certificate> chain, Purpose purpose, Instant signingTime) {}

  /** A certificate's status and until when it may be reused (null: never; {@link Instant#MAX}: non-revocable). */
  private record Checked(RevocationResult.CertificateStatus status, Instant validUntil) {}

  private static Checked uncacheable(final String subject, final RevocationStatus status, final String method,
      final String detail) {
    return new Checked(new RevocationResult.CertificateStatus(subject, status, method, detail), null);
  }

  /** The earlier of two expiries, where null (unknown expiry) wins: what it bounds can never be cached. */
  private static Instant earliest(final Instant a, final Instant b) {
    if (a == null || b == null) {
      return null;
    }
    return a.isBefore(b) ? a : b;
  }

  private Checked safeCheck(final List<X509Certificate> chain, final int i, final Instant signingTime) {
    try {
      return checkCertificate(chain.get(i), chain.get(i + 1), signingTime);
    } catch (RuntimeException e) {
      // Defensive: a parser bug must not turn into "not revoked".
      return uncacheable(subject(chain.get(i)), RevocationStatus.UNKNOWN, "none", "revocation check failed: " + e);
    }
  }

  private static RevocationResult aggregate(final List<RevocationResult.CertificateStatus> statuses,
      final Purpose purpose) {
    final String what = purpose == Purpose.TIMESTAMPING ? "timestamping" : "signing";
    for (final RevocationStatus wanted : List.of(RevocationStatus.REVOKED, RevocationStatus.UNKNOWN)) {
      for (int i = 0; i < statuses.size(); i++) {
        final RevocationResult.CertificateStatus s = statuses.get(i);
        if (s.status() == wanted) {
          final String verb = wanted == RevocationStatus.REVOKED ? "is revoked" : "has unknown revocation status";
          return new RevocationResult(wanted, what + " certificate #" + (i + 1) + " \"" + s.subject() + "\" " + verb
              + " (" + s.method() + "): " + s.detail(), statuses);
        }
      }
    }
    return new RevocationResult(RevocationStatus.OK, statuses.isEmpty()
        ? "no certificate below the root to check"
        : "no " + what + " certificate is revoked", statuses);
  }

  // ------------------------------------------------------------------------------------------ per certificate

  private Checked checkCertificate(final X509Certificate cert, final X509Certificate issuer,
      final Instant signingTime) {
    final String subject;
    final List<URI> ocspUrls;
    final List<URI> crlUrls;
    try {
      final CertInfo info = info(cert);
      subject = info.subject();
      ocspUrls = info.ocspUrls();
      crlUrls = info.crlUrls();
    } catch (IOException | IllegalArgumentException e) {
      return uncacheable(subject(cert), RevocationStatus.UNKNOWN, "none",
          "cannot read the certificate's OCSP/CRL locations: " + e.getMessage());
    }
    if (ocspUrls.isEmpty() && crlUrls.isEmpty()) {
      // Nothing could ever revoke it, so this status imposes no expiry.
      return new Checked(new RevocationResult.CertificateStatus(subject, RevocationStatus.OK, "none",
          "no OCSP or CRL location: non-revocable"), Instant.MAX);
    }
    String ocspFailure = null;
    if (!ocspUrls.isEmpty()) {
      final Outcome o = checkOcsp(cert, issuer, ocspUrls, signingTime);
      if (o.status() != RevocationStatus.UNKNOWN) {
        return new Checked(new RevocationResult.CertificateStatus(subject, o.status(), "ocsp", o.detail()),
            o.validUntil());
      }
      if (crlUrls.isEmpty()) {
        return uncacheable(subject, RevocationStatus.UNKNOWN, "ocsp", o.detail());
      }
      ocspFailure = o.detail();
      log.debug("OCSP check failed for \"{}\" ({}); falling back to CRL", subject, ocspFailure);
    }
    final Outcome c = checkCrl(cert, issuer, crlUrls, signingTime);
    if (ocspFailure == null) {
      return new Checked(new RevocationResult.CertificateStatus(subject, c.status(), "crl", c.detail()),
          c.validUntil());
    }
    // Not cached: OCSP failures are not cached either, so OCSP (which may know of a revocation the CRL does not
    // list yet) is asked again on the next call, as without the chain cache.
    return uncacheable(subject, c.status(), "ocsp-fallback-crl", c.detail() + " (OCSP: " + ocspFailure + ")");
  }

  /**
   * @param validUntil earliest expiry of the evidence behind a status (null when unknown, e.g. an OCSP response
   *     without nextUpdate, or for UNKNOWN)
   */
  private record Outcome(RevocationStatus status, String detail, Instant validUntil) {

    static Outcome unknown(final String detail) {
      return new Outcome(RevocationStatus.UNKNOWN, detail, null);
    }
  }

  /** Thrown for a response or CRL that must not be used; becomes UNKNOWN. */
  private static final class Unusable extends Exception {
    private static final long serialVersionUID = 1L;

    Unusable(final String message) {
      super(message, null, false, false);
    }
  }

  // ------------------------------------------------------------------------------------------ OCSP

  private record OcspKey(String issuerFingerprint, BigInteger serial) {}

  /**
   * @param validUntil until when the answer may be used: the response's nextUpdate, bounded by its delegated
   *     responder's notAfter and the responder's CRL (null: no nextUpdate, so never reused)
   */
  private record OcspAnswer(RevocationStatus status, Instant revocationTime, Instant invalidityDate, URI source,
      Instant validUntil) {}

  private Outcome checkOcsp(final X509Certificate cert, final X509Certificate issuer, final List<URI> urls,
      final Instant signingTime) {
    final Instant now = clock.instant();
    final OcspKey key = new OcspKey(fingerprint(issuer), cert.getSerialNumber());
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
      if (!isHttp(url)) {
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

  private static Set<ASN1ObjectIdentifier> criticalOids(final Set<?> oids) {
    final Set<ASN1ObjectIdentifier> out = new java.util.HashSet<>();
    for (final Object o : oids) {
      out.add((ASN1ObjectIdentifier) o);
    }
    return out;
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
      cdp = crlUrls(responder);
    } catch (IOException | IllegalArgumentException e) {
      throw new Unusable("cannot read the OCSP responder's CRL locations");
    }
    if (cdp.isEmpty()) {
      return Instant.MAX;
    }
    final Outcome o = checkCrl(responder, issuer, cdp, null);
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

  // ------------------------------------------------------------------------------------------ CRL

  private record CrlKey(URI url, String issuerFingerprint, boolean delta) {}

  private record ParsedCrl(URI url, Instant nextUpdate, Map<BigInteger, List<CrlEntry>> entries,
      boolean onlyUserCerts, boolean onlyCaCerts, BigInteger crlNumber, BigInteger deltaOf) {}

  private record CrlEntry(Instant revocationDate, int reason, Instant invalidityDate) {}

  private Outcome checkCrl(final X509Certificate cert, final X509Certificate issuer, final List<URI> urls,
      final Instant signingTime) {
    final List<URI> deltaUrls;
    try {
      deltaUrls = info(cert).deltaUrls();
    } catch (IOException | IllegalArgumentException e) {
      return Outcome.unknown("cannot read the certificate's freshestCRL: " + e.getMessage());
    }
    final Instant now = clock.instant();
    final List<String> failures = new ArrayList<>();
    final Fetched base = firstUsable(urls, issuer, now, false, failures);
    if (base == null) {
      return Outcome.unknown(String.join("; ", failures));
    }
    ParsedCrl crl = base.crl();
    Instant validUntil = crl.nextUpdate();
    String suffix = base.cached() ? " (cached)" : "";
    if (!deltaUrls.isEmpty()) {
      // The certificate says revocations may be published in delta CRLs: without a matching delta the base CRL
      // may miss them, so the status is unknown (spec: base and delta CRLs are required).
      final Fetched delta = firstUsable(deltaUrls, issuer, now, true, failures);
      if (delta == null) {
        return Outcome.unknown("delta CRL unavailable: " + String.join("; ", failures));
      }
      final ParsedCrl d = delta.crl();
      if (crl.crlNumber() == null || d.crlNumber() == null) {
        return Outcome.unknown("base or delta CRL lacks a CRL number");
      }
      if (d.crlNumber().compareTo(crl.crlNumber()) <= 0) {
        return Outcome.unknown("delta CRL number " + d.crlNumber()
            + " is not greater than the base CRL number " + crl.crlNumber());
      }
      if (d.deltaOf().compareTo(crl.crlNumber()) > 0) {
        return Outcome.unknown("delta CRL " + d.url() + " needs base CRL number "
            + d.deltaOf() + " or later, got " + crl.crlNumber());
      }
      final Map<BigInteger, List<CrlEntry>> merged = new HashMap<>(crl.entries());
      d.entries().forEach((serial, list) -> merged.merge(serial, list, (a, b) -> {
        final List<CrlEntry> both = new ArrayList<>(a);
        both.addAll(b);
        return both;
      }));
      crl = new ParsedCrl(crl.url(), crl.nextUpdate(), merged, crl.onlyUserCerts(), crl.onlyCaCerts(),
          crl.crlNumber(), null);
      suffix = suffix + " + delta CRL " + d.url() + (delta.cached() ? " (cached)" : "");
      validUntil = earliest(validUntil, d.nextUpdate());
    }
    return evaluate(crl, cert, signingTime, suffix, validUntil);
  }

  private record Fetched(ParsedCrl crl, boolean cached) {}

  /** The first CRL (base or delta) among {@code urls} that can be fetched and passes every check, else null. */
  private Fetched firstUsable(final List<URI> urls, final X509Certificate issuer, final Instant now,
      final boolean delta, final List<String> failures) {
    for (final URI url : urls) {
      if (!isHttp(url)) {
        failures.add(url + ": only http CRL URLs are used");
        continue;
      }
      final CrlKey key = new CrlKey(url, fingerprint(issuer), delta);
      final ParsedCrl cached = crlCache.get(key, now);
      if (cached != null) {
        return new Fetched(cached, true);
      }
      try {
        final ParsedCrl crl = parseCrl(fetcher.fetchCrl(url), issuer, now, url, delta);
        crlCache.put(key, crl, crl.nextUpdate(), clock.instant(), 1L + crl.entries().size());
        return new Fetched(crl, false);
      } catch (IOException | Unusable e) {
        failures.add(url + ": " + e.getMessage());
      }
    }
    return null;
  }

  private static ParsedCrl parseCrl(final byte[] der, final X509Certificate issuer, final Instant now, final URI url,
      final boolean expectDelta) throws Unusable {
    final X509CRLHolder crl;
    try {
      crl = new X509CRLHolder(der);
    } catch (IOException | RuntimeException e) {
      throw new Unusable("malformed CRL: " + e.getMessage());
    }
    final X500Name issuerName = X500Name.getInstance(issuer.getSubjectX500Principal().getEncoded());
    if (!crl.getIssuer().equals(issuerName)) {
      throw new Unusable("CRL issuer \"" + crl.getIssuer() + "\" is not the certificate's issuer (indirect CRLs are"
          + " not supported)");
    }
    try {
      if (!crl.isSignatureValid(new JcaContentVerifierProviderBuilder().setProvider(BC).build(issuer))) {
        throw new Unusable("CRL signature does not verify against the issuer");
      }
    } catch (org.bouncycastle.cert.CertException | OperatorCreationException | RuntimeException e) {
      throw new Unusable("CRL signature cannot be verified: " + e.getMessage());
    }
    if (crl.getNextUpdate() == null) {
      throw new Unusable("CRL has no nextUpdate");
    }
    final Instant nextUpdate = crl.getNextUpdate().toInstant();
    if (!nextUpdate.isAfter(now)) {
      throw new Unusable("CRL expired (nextUpdate " + nextUpdate + ")");
    }
    if (crl.getThisUpdate().toInstant().isAfter(now.plus(MAX_CLOCK_SKEW))) {
      throw new Unusable("CRL thisUpdate " + crl.getThisUpdate().toInstant() + " is in the future");
    }
    final Extension deltaIndicator = crl.getExtension(Extension.deltaCRLIndicator);
    if (deltaIndicator != null && !expectDelta) {
      throw new Unusable("a delta CRL was served where a base CRL is expected");
    }
    if (deltaIndicator == null && expectDelta) {
      throw new Unusable("a base CRL was served where a delta CRL is expected");
    }
    requireOnlyKnownCritical(crl.getExtensions() == null ? Set.of()
        : criticalOids(Set.of(crl.getExtensions().getCriticalExtensionOIDs())),
        Set.of(Extension.issuingDistributionPoint, Extension.deltaCRLIndicator), "CRL");
    final BigInteger crlNumber;
    final BigInteger deltaOf;
    try {
      final Extension num = crl.getExtension(Extension.cRLNumber);
      crlNumber = num == null ? null : org.bouncycastle.asn1.x509.CRLNumber.getInstance(num.getParsedValue())
          .getCRLNumber();
      deltaOf = deltaIndicator == null ? null : org.bouncycastle.asn1.x509.CRLNumber.getInstance(
          deltaIndicator.getParsedValue()).getCRLNumber();
    } catch (RuntimeException e) {
      throw new Unusable("malformed CRL number or delta CRL indicator");
    }
    boolean onlyUser = false;
    boolean onlyCa = false;
    final Extension idpExt = crl.getExtension(Extension.issuingDistributionPoint);
    if (idpExt != null) {
      final IssuingDistributionPoint idp;
      try {
        idp = IssuingDistributionPoint.getInstance(idpExt.getParsedValue());
      } catch (RuntimeException e) {
        throw new Unusable("malformed issuingDistributionPoint");
      }
      if (idp.isIndirectCRL()) {
        throw new Unusable("indirect CRLs are not supported");
      }
      if (idp.getOnlySomeReasons() != null) {
        throw new Unusable("CRL covers only some revocation reasons");
      }
      if (idp.onlyContainsAttributeCerts()) {
        throw new Unusable("CRL covers only attribute certificates");
      }
      onlyUser = idp.onlyContainsUserCerts();
      onlyCa = idp.onlyContainsCACerts();
    }
    final Map<BigInteger, List<CrlEntry>> entries = new HashMap<>();
    final Collection<?> revoked = crl.getRevokedCertificates();
    for (final Object o : revoked) {
      final X509CRLEntryHolder e = (X509CRLEntryHolder) o;
      final Extensions ext = e.getExtensions();
      if (ext != null && ext.getExtension(Extension.certificateIssuer) != null) {
        throw new Unusable("CRL entries name another certificate issuer (indirect CRL)");
      }
      // RFC 5280 §5.3: a critical entry extension that cannot be processed makes the whole CRL unusable.
      requireOnlyKnownCritical(ext == null ? Set.of() : criticalOids(Set.of(ext.getCriticalExtensionOIDs())),
          KNOWN_CRL_ENTRY_EXTENSIONS, "CRL entry");
      int reason = CRLReason.unspecified;
      Instant invalidity = null;
      if (ext != null) {
        final Extension rc = ext.getExtension(Extension.reasonCode);
        if (rc != null) {
          reason = CRLReason.getInstance(rc.getParsedValue()).getValue().intValue();
        }
        invalidity = invalidityDate(ext.getExtension(Extension.invalidityDate));
      }
      entries.computeIfAbsent(e.getSerialNumber(), k -> new ArrayList<>())
          .add(new CrlEntry(e.getRevocationDate().toInstant(), reason, invalidity));
    }
    return new ParsedCrl(url, nextUpdate, Map.copyOf(entries), onlyUser, onlyCa, crlNumber, deltaOf);
  }

  /** @param validUntil earliest nextUpdate of the base and delta CRLs behind {@code crl} */
  private static Outcome evaluate(final ParsedCrl crl, final X509Certificate cert, final Instant signingTime,
      final String suffix, final Instant validUntil) {
    final boolean isCa = cert.getBasicConstraints() >= 0;
    if ((crl.onlyUserCerts() && isCa) || (crl.onlyCaCerts() && !isCa)) {
      return Outcome.unknown("CRL " + crl.url() + " does not cover this kind of certificate");
    }
    final List<CrlEntry> list = crl.entries().get(cert.getSerialNumber());
    if (list == null) {
      return new Outcome(RevocationStatus.OK, "not listed in CRL " + crl.url() + suffix, validUntil);
    }
    CrlEntry latestHold = null;
    CrlEntry exempt = null;
    for (final CrlEntry e : list) {
      final boolean holdOrRemove = e.reason() == CRLReason.certificateHold || e.reason() == CRLReason.removeFromCRL;
      if (holdOrRemove) {
        if (latestHold == null || e.revocationDate().isAfter(latestHold.revocationDate())) {
          latestHold = e;
        }
        continue;
      }
      if (invalidAfterSigning(e, signingTime)) {
        exempt = e;
        continue;
      }
      return revokedOutcome(crl, e, suffix, validUntil);
    }
    if (latestHold != null && latestHold.reason() == CRLReason.certificateHold) {
      if (invalidAfterSigning(latestHold, signingTime)) {
        exempt = latestHold;
      } else {
        return revokedOutcome(crl, latestHold, suffix, validUntil);
      }
    }
    if (exempt != null) {
      return new Outcome(RevocationStatus.OK, "listed in CRL " + crl.url() + " but invalid only from "
          + exempt.invalidityDate() + ", after the authentic signing time " + signingTime + suffix, validUntil);
    }
    return new Outcome(RevocationStatus.OK, "removed from hold in CRL " + crl.url() + suffix, validUntil);
  }

  private static boolean invalidAfterSigning(final CrlEntry e, final Instant signingTime) {
    return signingTime != null && e.invalidityDate() != null && signingTime.isBefore(e.invalidityDate());
  }

  private static Outcome revokedOutcome(final ParsedCrl crl, final CrlEntry e, final String suffix,
      final Instant validUntil) {
    return new Outcome(RevocationStatus.REVOKED, "listed in CRL " + crl.url() + " (revoked at " + e.revocationDate()
        + ", reason " + reasonName(e.reason()) + ")" + suffix, validUntil);
  }

  private static String reasonName(final int reason) {
    return switch (reason) {
      case CRLReason.unspecified -> "unspecified";
      case CRLReason.keyCompromise -> "keyCompromise";
      case CRLReason.cACompromise -> "cACompromise";
      case CRLReason.affiliationChanged -> "affiliationChanged";
      case CRLReason.superseded -> "superseded";
      case CRLReason.cessationOfOperation -> "cessationOfOperation";
      case CRLReason.certificateHold -> "certificateHold";
      case CRLReason.removeFromCRL -> "removeFromCRL";
      case CRLReason.privilegeWithdrawn -> "privilegeWithdrawn";
      case CRLReason.aACompromise -> "aACompromise";
      default -> "code " + reason;
    };
  }

  // ------------------------------------------------------------------------------------------ helpers

  private static void requireOnlyKnownCritical(final Set<ASN1ObjectIdentifier> critical,
      final Set<ASN1ObjectIdentifier> known, final String where) throws Unusable {
    for (final ASN1ObjectIdentifier oid : critical) {
      if (!known.contains(oid)) {
        throw new Unusable("unknown critical " + where + " extension " + oid.getId());
      }
    }
  }

  private static Instant invalidityDate(final Extension ext) {
    if (ext == null) {
      return null;
    }
    try {
      return ASN1GeneralizedTime.getInstance(ext.getParsedValue()).getDate().toInstant();
    } catch (java.text.ParseException | RuntimeException e) {
      return null;
    }
  }

  /** http OCSP locations from authorityInfoAccess, in order. */
  static List<URI> ocspUrls(final X509Certificate cert) throws IOException {
    final byte[] raw = cert.getExtensionValue(Extension.authorityInfoAccess.getId());
    if (raw == null) {
      return List.of();
    }
    final AuthorityInformationAccess aia = AuthorityInformationAccess.getInstance(
        JcaX509ExtensionUtils.parseExtensionValue(raw));
    final List<URI> urls = new ArrayList<>();
    for (final AccessDescription ad : aia.getAccessDescriptions()) {
      if (AccessDescription.id_ad_ocsp.equals(ad.getAccessMethod())) {
        uri(ad.getAccessLocation(), urls);
      }
    }
    return urls;
  }

  /** CRL locations (fullName URIs) from cRLDistributionPoints, in order. */
  static List<URI> crlUrls(final X509Certificate cert) throws IOException {
    return distributionPoints(cert, Extension.cRLDistributionPoints);
  }

  /** fullName URIs of a cRLDistributionPoints-shaped extension (CDP or freshestCRL), in order. */
  private static List<URI> distributionPoints(final X509Certificate cert, final ASN1ObjectIdentifier extension)
      throws IOException {
    final byte[] raw = cert.getExtensionValue(extension.getId());
    if (raw == null) {
      return List.of();
    }
    final CRLDistPoint cdp = CRLDistPoint.getInstance(JcaX509ExtensionUtils.parseExtensionValue(raw));
    final List<URI> urls = new ArrayList<>();
    for (final DistributionPoint dp : cdp.getDistributionPoints()) {
      final DistributionPointName name = dp.getDistributionPoint();
      if (name == null || name.getType() != DistributionPointName.FULL_NAME) {
        continue;
      }
      for (final GeneralName gn : GeneralNames.getInstance(name.getName()).getNames()) {
        uri(gn, urls);
      }
    }
    return urls;
  }

  private static void uri(final GeneralName gn, final List<URI> out) {
    if (gn.getTagNo() == GeneralName.uniformResourceIdentifier) {
      final String s = gn.getName().toString();
      try {
        out.add(new URI(s));
      } catch (java.net.URISyntaxException e) {
        // Keep it so the check reports it instead of silently treating the cert as non-revocable.
        out.add(URI.create("invalid:" + s.replaceAll("[^A-Za-z0-9._~-]", "_")));
      }
    }
  }

  private static boolean isHttp(final URI uri) {
    return uri.getScheme() != null && "http".equals(uri.getScheme().toLowerCase(Locale.ROOT))
        && uri.getHost() != null;
  }

  private static DigestCalculator sha1() {
    try {
      return new JcaDigestCalculatorProviderBuilder().build().get(CertificateID.HASH_SHA1);
    } catch (OperatorCreationException e) {
      throw new IllegalStateException("SHA-1 digest unavailable", e);
    }
  }

  /** What a certificate says about revocation, parsed once per certificate (bounded). */
  private record CertInfo(String fingerprint, String subject, List<URI> ocspUrls, List<URI> crlUrls,
      List<URI> deltaUrls) {}

  private CertInfo info(final X509Certificate c) throws IOException {
    final CertInfo cached = certInfo.get(c, Instant.MIN);
    if (cached != null) {
      return cached;
    }
    final CertInfo info = new CertInfo(sha256(c), subject(c), List.copyOf(ocspUrls(c)), List.copyOf(crlUrls(c)),
        List.copyOf(distributionPoints(c, Extension.freshestCRL)));
    certInfo.put(c, info, Instant.MAX, clock.instant());
    return info;
  }

  private String fingerprint(final X509Certificate c) {
    try {
      return info(c).fingerprint();
    } catch (IOException | IllegalArgumentException e) {
      // The issuer's own extensions are unreadable; its fingerprint is still well defined.
      return sha256(c);
    }
  }

  private static String sha256(final X509Certificate c) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(c.getEncoded()));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  private static String subject(final X509Certificate c) {
    return c.getSubjectX500Principal().getName(javax.security.auth.x500.X500Principal.RFC2253);
  }
}
