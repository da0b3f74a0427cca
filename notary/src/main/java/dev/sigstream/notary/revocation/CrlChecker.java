package dev.sigstream.notary.revocation;

import static dev.sigstream.notary.revocation.Evidence.BC;
import static dev.sigstream.notary.revocation.Evidence.MAX_CLOCK_SKEW;
import static dev.sigstream.notary.revocation.Evidence.criticalOids;
import static dev.sigstream.notary.revocation.Evidence.earliest;
import static dev.sigstream.notary.revocation.Evidence.invalidityDate;
import static dev.sigstream.notary.revocation.Evidence.requireOnlyKnownCritical;

import java.io.IOException;
import java.math.BigInteger;
import java.net.URI;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.CRLReason;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.Extensions;
import org.bouncycastle.asn1.x509.IssuingDistributionPoint;
import org.bouncycastle.cert.X509CRLEntryHolder;
import org.bouncycastle.cert.X509CRLHolder;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentVerifierProviderBuilder;

/**
 * The CRL half of {@link OcspCrlRevocationChecker} (its steps 4-6): fetches base and delta CRLs in the certificate's
 * order, keeps only those that pass every check, caches them until their nextUpdate, and decides one certificate's
 * status from them. Never throws: every problem is an UNKNOWN {@link Outcome}. Thread-safe.
 */
final class CrlChecker {

  private static final Set<ASN1ObjectIdentifier> KNOWN_CRL_ENTRY_EXTENSIONS = Set.of(
      Extension.reasonCode, Extension.invalidityDate, Extension.instructionCode);

  private final RevocationFetcher fetcher;
  private final Clock clock;
  private final RevocationUrls certUrls;
  private final BoundedCache<CrlKey, ParsedCrl> crlCache;

  /**
   * @param maxCrlEntries bound of the CRL cache (0 disables it)
   * @param maxCachedCrlEntries most revoked-certificate entries held over all cached CRLs
   */
  CrlChecker(final RevocationFetcher fetcher, final Clock clock, final RevocationUrls certUrls,
      final int maxCrlEntries, final long maxCachedCrlEntries) {
    this.fetcher = fetcher;
    this.clock = clock;
    this.certUrls = certUrls;
    this.crlCache = new BoundedCache<>(maxCrlEntries, maxCachedCrlEntries);
  }

  private record CrlKey(URI url, String issuerFingerprint, boolean delta) {}

  private record ParsedCrl(URI url, Instant nextUpdate, Map<BigInteger, List<CrlEntry>> entries,
      boolean onlyUserCerts, boolean onlyCaCerts, BigInteger crlNumber, BigInteger deltaOf) {}

  private record CrlEntry(Instant revocationDate, int reason, Instant invalidityDate) {}

  /**
   * @param crlUrls the certificate's CRL locations, in order
   * @param signingTime authentic signing time (signingAuthority scheme), or null
   */
  Outcome check(final X509Certificate cert, final X509Certificate issuer, final List<URI> crlUrls,
      final Instant signingTime) {
    final List<URI> deltaUrls;
    try {
      deltaUrls = certUrls.info(cert).deltaUrls();
    } catch (IOException | IllegalArgumentException e) {
      return Outcome.unknown("cannot read the certificate's freshestCRL: " + e.getMessage());
    }
    final Instant now = clock.instant();
    final List<String> failures = new ArrayList<>();
    final Fetched base = firstUsable(crlUrls, issuer, now, false, failures);
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
      if (!RevocationUrls.isHttp(url)) {
        failures.add(url + ": only http CRL URLs are used");
        continue;
      }
      final CrlKey key = new CrlKey(url, certUrls.fingerprint(issuer), delta);
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
}
