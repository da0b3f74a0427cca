package dev.sigstream.notary.revocation;

import java.io.IOException;
import java.net.URI;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.x509.AccessDescription;
import org.bouncycastle.asn1.x509.AuthorityInformationAccess;
import org.bouncycastle.asn1.x509.CRLDistPoint;
import org.bouncycastle.asn1.x509.DistributionPoint;
import org.bouncycastle.asn1.x509.DistributionPointName;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;

/**
 * Where a certificate says its revocation status is published: OCSP responders (authorityInfoAccess), CRLs
 * (cRLDistributionPoints) and delta CRLs (freshestCRL), each in the certificate's order. An instance remembers what
 * it read per certificate (bounded), since the same chains are checked over and over.
 */
final class RevocationUrls {

  /** What a certificate says about revocation, parsed once per certificate. */
  record CertInfo(String fingerprint, String subject, List<URI> ocspUrls, List<URI> crlUrls, List<URI> deltaUrls) {}

  private final Clock clock;
  private final BoundedCache<X509Certificate, CertInfo> certInfo;

  RevocationUrls(final Clock clock, final int maxEntries) {
    this.clock = clock;
    this.certInfo = new BoundedCache<>(maxEntries);
  }

  /** @throws IOException or IllegalArgumentException when an extension is malformed (never cached) */
  CertInfo info(final X509Certificate c) throws IOException {
    final CertInfo cached = certInfo.get(c, Instant.MIN);
    if (cached != null) {
      return cached;
    }
    final CertInfo info = new CertInfo(Evidence.sha256(c), Evidence.subject(c), List.copyOf(ocspUrls(c)),
        List.copyOf(crlUrls(c)), List.copyOf(distributionPoints(c, Extension.freshestCRL)));
    certInfo.put(c, info, Instant.MAX, clock.instant());
    return info;
  }

  /** The certificate's SHA-256 fingerprint, the cache key for evidence about what it issued. */
  String fingerprint(final X509Certificate c) {
    try {
      return info(c).fingerprint();
    } catch (IOException | IllegalArgumentException e) {
      // The issuer's own extensions are unreadable; its fingerprint is still well defined.
      return Evidence.sha256(c);
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

  /** Only http OCSP and CRL locations are used (see {@link OcspCrlRevocationChecker}). */
  static boolean isHttp(final URI uri) {
    return uri.getScheme() != null && "http".equals(uri.getScheme().toLowerCase(Locale.ROOT))
        && uri.getHost() != null;
  }
}
