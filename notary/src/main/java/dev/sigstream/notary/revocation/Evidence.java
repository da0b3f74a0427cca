package dev.sigstream.notary.revocation;

import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.Provider;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.Set;
import org.bouncycastle.asn1.ASN1GeneralizedTime;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.cert.ocsp.CertificateID;
import dev.sigstream.notary.internal.BcProvider;
import org.bouncycastle.operator.DigestCalculator;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaDigestCalculatorProviderBuilder;

/** Helpers the OCSP and CRL checks share: clock skew, expiry arithmetic, extension and certificate reading. */
final class Evidence {

  /** Tolerated clock difference for thisUpdate in the future (OpenSSL's OCSP_check_validity default). */
  static final Duration MAX_CLOCK_SKEW = Duration.ofMinutes(5);

  static final Provider BC = BcProvider.get();

  private Evidence() {}

  /** The earlier of two expiries, where null (unknown expiry) wins: what it bounds can never be cached. */
  static Instant earliest(final Instant a, final Instant b) {
    if (a == null || b == null) {
      return null;
    }
    return a.isBefore(b) ? a : b;
  }

  static void requireOnlyKnownCritical(final Set<ASN1ObjectIdentifier> critical,
      final Set<ASN1ObjectIdentifier> known, final String where) throws Unusable {
    for (final ASN1ObjectIdentifier oid : critical) {
      if (!known.contains(oid)) {
        throw new Unusable("unknown critical " + where + " extension " + oid.getId());
      }
    }
  }

  static Set<ASN1ObjectIdentifier> criticalOids(final Set<?> oids) {
    final Set<ASN1ObjectIdentifier> out = new HashSet<>();
    for (final Object o : oids) {
      out.add((ASN1ObjectIdentifier) o);
    }
    return out;
  }

  /** The invalidityDate extension's value (RFC 5280 §5.3.2), or null when absent or malformed. */
  static Instant invalidityDate(final Extension ext) {
    if (ext == null) {
      return null;
    }
    try {
      return ASN1GeneralizedTime.getInstance(ext.getParsedValue()).getDate().toInstant();
    } catch (java.text.ParseException | RuntimeException e) {
      return null;
    }
  }

  static DigestCalculator sha1() {
    try {
      return new JcaDigestCalculatorProviderBuilder().build().get(CertificateID.HASH_SHA1);
    } catch (OperatorCreationException e) {
      throw new IllegalStateException("SHA-1 digest unavailable", e);
    }
  }

  static String sha256(final X509Certificate c) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(c.getEncoded()));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  static String subject(final X509Certificate c) {
    return c.getSubjectX500Principal().getName(javax.security.auth.x500.X500Principal.RFC2253);
  }
}
