package dev.sigstream.testing.pki;

import java.net.URI;
import java.security.KeyPair;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.bouncycastle.asn1.ASN1Encodable;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.x509.KeyUsage;

/**
 * What a {@link Ca} puts into a certificate it issues. Mutable fluent builder; start from a preset:
 *
 * <ul>
 *   <li>{@link #leaf(String)}: Notary code-signing leaf: keyUsage digitalSignature (critical), EKU codeSigning,
 *       basicConstraints {@code cA=false}, EC P-256, OCSP and CRL URLs of the issuer embedded;
 *   <li>{@link #timestamping(String)}: RFC 3161 TSA leaf: EKU timeStamping only and critical;
 *   <li>{@link #ca(String)}: CA certificate: basicConstraints {@code cA=true} (critical), keyUsage keyCertSign and
 *       cRLSign (critical).
 * </ul>
 *
 * <p>Everything can then be bent for negative tests: key type, validity window, key usage bits and criticality, EKU
 * variants (including none, custom OIDs, non-critical), basicConstraints variants, certificate signature algorithm
 * (for example {@code SHA1withRSA}), whether OCSP (AIA) and CRL (CDP) URLs are embedded, or URLs of your own.
 * Unset validity defaults to one hour before the PKI clock's "now" until 365 days after it.
 */
public final class CertSpec {

  /** EKU presets. */
  public enum Eku {
    CODE_SIGNING,
    TIME_STAMPING,
    OCSP_SIGNING,
    SERVER_AUTH,
    ANY,
    /** No extendedKeyUsage extension at all. */
    NONE
  }

  /** basicConstraints presets. */
  public enum Basic {
    /** No basicConstraints extension. */
    ABSENT,
    CA_FALSE,
    CA_TRUE
  }

  record Extra(ASN1ObjectIdentifier oid, boolean critical, ASN1Encodable value) {}

  String subject;
  KeyType keyType = KeyType.EC_P256;
  KeyPair keyPair;
  Instant notBefore;
  Instant notAfter;
  /** BouncyCastle {@link KeyUsage} bit mask; negative = extension absent. */
  int keyUsage = KeyUsage.digitalSignature;
  boolean keyUsageCritical = true;
  final List<ASN1ObjectIdentifier> ekus = new ArrayList<>();
  boolean ekuPresent = true;
  boolean ekuCritical;
  Basic basic = Basic.CA_FALSE;
  boolean basicCritical = true;
  Integer pathLen;
  String signatureAlgorithm;
  boolean ocsp = true;
  boolean crl = true;
  URI ocspUrl;
  URI crlUrl;
  boolean deltaCrl;
  final List<Extra> extras = new ArrayList<>();
  java.math.BigInteger serial;

  private CertSpec(final String subject) {
    this.subject = Objects.requireNonNull(subject, "subject");
  }

  /** A Notary code-signing leaf (see class doc). */
  public static CertSpec leaf(final String subject) {
    return new CertSpec(subject).eku(Eku.CODE_SIGNING);
  }

  /** An RFC 3161 timestamping leaf: EKU timeStamping only, critical; keyUsage digitalSignature. */
  public static CertSpec timestamping(final String subject) {
    return new CertSpec(subject).eku(Eku.TIME_STAMPING).ekuCritical(true);
  }

  /** A CA certificate (intermediate), RSA-3072 by default. */
  public static CertSpec ca(final String subject) {
    final CertSpec s = new CertSpec(subject);
    s.keyType = KeyType.RSA_3072;
    s.keyUsage = KeyUsage.keyCertSign | KeyUsage.cRLSign;
    s.basic = Basic.CA_TRUE;
    s.ekuPresent = false;
    return s;
  }

  public CertSpec subject(final String dn) {
    this.subject = Objects.requireNonNull(dn);
    return this;
  }

  public CertSpec keyType(final KeyType type) {
    this.keyType = Objects.requireNonNull(type);
    return this;
  }

  /** Use this key pair instead of generating one (the key type is then ignored). */
  public CertSpec keyPair(final KeyPair pair) {
    this.keyPair = pair;
    return this;
  }

  public CertSpec notBefore(final Instant t) {
    this.notBefore = t;
    return this;
  }

  public CertSpec notAfter(final Instant t) {
    this.notAfter = t;
    return this;
  }

  public CertSpec validity(final Instant from, final Instant to) {
    return notBefore(from).notAfter(to);
  }

  /** BouncyCastle {@link KeyUsage} bits, e.g. {@code KeyUsage.digitalSignature | KeyUsage.keyEncipherment}. */
  public CertSpec keyUsage(final int bits) {
    this.keyUsage = bits;
    return this;
  }

  public CertSpec keyUsageCritical(final boolean critical) {
    this.keyUsageCritical = critical;
    return this;
  }

  /** Omit the keyUsage extension. */
  public CertSpec noKeyUsage() {
    this.keyUsage = -1;
    return this;
  }

  /** Replace the EKU list with one preset ({@link Eku#NONE} removes the extension). */
  public CertSpec eku(final Eku eku) {
    ekus.clear();
    ekuPresent = eku != Eku.NONE;
    switch (eku) {
      case CODE_SIGNING -> ekus.add(org.bouncycastle.asn1.x509.KeyPurposeId.id_kp_codeSigning.toOID());
      case TIME_STAMPING -> ekus.add(org.bouncycastle.asn1.x509.KeyPurposeId.id_kp_timeStamping.toOID());
      case OCSP_SIGNING -> ekus.add(org.bouncycastle.asn1.x509.KeyPurposeId.id_kp_OCSPSigning.toOID());
      case SERVER_AUTH -> ekus.add(org.bouncycastle.asn1.x509.KeyPurposeId.id_kp_serverAuth.toOID());
      case ANY -> ekus.add(org.bouncycastle.asn1.x509.KeyPurposeId.anyExtendedKeyUsage.toOID());
      case NONE -> { }
    }
    return this;
  }

  /** Replace the EKU list with these dotted OIDs (extension present even when empty is not allowed: give one). */
  public CertSpec ekuOids(final String... oids) {
    ekus.clear();
    ekuPresent = true;
    for (final String oid : oids) {
      ekus.add(new ASN1ObjectIdentifier(oid));
    }
    return this;
  }

  /** Add one more preset EKU to the list (e.g. timeStamping + codeSigning). */
  public CertSpec addEku(final Eku eku) {
    final List<ASN1ObjectIdentifier> before = new ArrayList<>(ekus);
    eku(eku);
    before.addAll(ekus);
    ekus.clear();
    ekus.addAll(before);
    ekuPresent = true;
    return this;
  }

  public CertSpec ekuCritical(final boolean critical) {
    this.ekuCritical = critical;
    return this;
  }

  public CertSpec basicConstraints(final Basic b) {
    this.basic = b;
    return this;
  }

  public CertSpec basicConstraintsCritical(final boolean critical) {
    this.basicCritical = critical;
    return this;
  }

  /** pathLenConstraint for a CA certificate (null = absent). */
  public CertSpec pathLen(final Integer len) {
    this.pathLen = len;
    return this;
  }

  /** JCA name of the algorithm the issuer signs this certificate with, e.g. {@code SHA1withRSA}. */
  public CertSpec signatureAlgorithm(final String jcaName) {
    this.signatureAlgorithm = jcaName;
    return this;
  }

  /** Embed (default) or omit the issuer's OCSP responder URL (authorityInfoAccess). */
  public CertSpec ocsp(final boolean embed) {
    this.ocsp = embed;
    return this;
  }

  /** Embed (default) or omit the issuer's CRL URL (cRLDistributionPoints). */
  public CertSpec crl(final boolean embed) {
    this.crl = embed;
    return this;
  }

  /** Embed this OCSP URL instead of the issuer's responder (e.g. an unreachable one). */
  public CertSpec ocspUrl(final URI url) {
    this.ocsp = true;
    this.ocspUrl = url;
    return this;
  }

  /**
   * Also embed the issuer's delta CRL URL (freshestCRL extension; default off). Verifiers must then combine the base
   * CRL with the delta CRL; see {@link Ca#freezeBaseCrl()}.
   */
  public CertSpec deltaCrl(final boolean embed) {
    this.deltaCrl = embed;
    return this;
  }

  /** Embed this CRL URL instead of the issuer's. */
  public CertSpec crlUrl(final URI url) {
    this.crl = true;
    this.crlUrl = url;
    return this;
  }

  /** Neither OCSP nor CRL URL: a non-revocable certificate. */
  public CertSpec noRevocationInfo() {
    return ocsp(false).crl(false);
  }

  /** Any additional extension, for custom or unknown critical flags. */
  public CertSpec extension(final String oid, final boolean critical, final ASN1Encodable value) {
    extras.add(new Extra(new ASN1ObjectIdentifier(oid), critical, value));
    return this;
  }

  public CertSpec serial(final java.math.BigInteger serialNumber) {
    this.serial = serialNumber;
    return this;
  }
}
