package dev.sigstream.notary.revocation;

import static dev.sigstream.notary.revocation.Evidence.earliest;
import static dev.sigstream.notary.revocation.Evidence.subject;

import java.io.IOException;
import java.net.URI;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
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
 *
 * <p>This class coordinates and holds the chain result cache; {@link OcspChecker} and {@link CrlChecker} hold the
 * OCSP and CRL rules and their evidence caches, and {@link RevocationUrls} reads the locations out of certificates.
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

  private static final Logger log = LoggerFactory.getLogger(OcspCrlRevocationChecker.class);

  private final Clock clock;
  private final RevocationUrls urls;
  private final OcspChecker ocsp;
  private final CrlChecker crl;
  private final Executor parallel;
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
    Objects.requireNonNull(fetcher, "fetcher");
    this.clock = Objects.requireNonNull(clock, "clock");
    this.urls = new RevocationUrls(clock, DEFAULT_MAX_OCSP_ENTRIES);
    this.crl = new CrlChecker(fetcher, clock, urls, maxCrlEntries, DEFAULT_MAX_CACHED_CRL_ENTRIES);
    this.ocsp = new OcspChecker(fetcher, clock, urls, crl, maxOcspEntries);
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
      final RevocationUrls.CertInfo info = urls.info(cert);
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
      final Outcome o = ocsp.check(cert, issuer, ocspUrls, signingTime);
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
    final Outcome c = crl.check(cert, issuer, crlUrls, signingTime);
    if (ocspFailure == null) {
      return new Checked(new RevocationResult.CertificateStatus(subject, c.status(), "crl", c.detail()),
          c.validUntil());
    }
    // Not cached: OCSP failures are not cached either, so OCSP (which may know of a revocation the CRL does not
    // list yet) is asked again on the next call, as without the chain cache.
    return uncacheable(subject, c.status(), "ocsp-fallback-crl", c.detail() + " (OCSP: " + ocspFailure + ")");
  }
}
