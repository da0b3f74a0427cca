package dev.sigstream.notary.cert;

import dev.sigstream.notary.ReasonCode;
import java.security.PublicKey;
import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.security.interfaces.ECPublicKey;
import java.security.interfaces.RSAPublicKey;
import java.util.List;
import java.util.Set;

/**
 * The Notary Project certificate rules (SPEC-NOTES section 6.2), for code-signing and timestamping chains. Only
 * basicConstraints, keyUsage and extendedKeyUsage are evaluated; validity periods are checked by the caller at the
 * right instant. Where the specification and notation-core-go differ, the stricter rule applies (rows 8-11 of
 * docs/notary-conformance.md). Stateless and thread-safe.
 */
public final class CertificateRules {

  private CertificateRules() {}

  static final String OID_BASIC_CONSTRAINTS = "2.5.29.19";
  static final String OID_KEY_USAGE = "2.5.29.15";
  static final String OID_EKU = "2.5.29.37";

  static final String EKU_ANY = "2.5.29.37.0";
  static final String EKU_SERVER_AUTH = "1.3.6.1.5.5.7.3.1";
  static final String EKU_CLIENT_AUTH = "1.3.6.1.5.5.7.3.2";
  static final String EKU_CODE_SIGNING = "1.3.6.1.5.5.7.3.3";
  static final String EKU_EMAIL = "1.3.6.1.5.5.7.3.4";
  static final String EKU_TIME_STAMPING = "1.3.6.1.5.5.7.3.8";
  static final String EKU_OCSP_SIGNING = "1.3.6.1.5.5.7.3.9";

  /** Spec denylist plus notation-go's OCSPSigning: the union, fail-closed. */
  private static final Set<String> CODE_SIGNING_EKU_DENY =
      Set.of(EKU_ANY, EKU_SERVER_AUTH, EKU_CLIENT_AUTH, EKU_EMAIL, EKU_TIME_STAMPING, EKU_OCSP_SIGNING);

  /** Signature algorithms with broken hashes: SHA-1 and MD2/MD5 in any key type. */
  private static final Set<String> WEAK_SIGNATURE_OIDS = Set.of(
      "1.2.840.113549.1.1.5", // sha1WithRSAEncryption
      "1.2.840.113549.1.1.4", // md5WithRSAEncryption
      "1.2.840.113549.1.1.2", // md2WithRSAEncryption
      "1.2.840.10045.4.1", // ecdsa-with-SHA1
      "1.2.840.10040.4.3", // dsa-with-sha1
      "1.3.14.3.2.29"); // sha1WithRSASignature (OIW)

  // keyUsage bit indexes (RFC 5280)
  private static final int KU_DIGITAL_SIGNATURE = 0;
  private static final int KU_CONTENT_COMMITMENT = 1;
  private static final int KU_KEY_CERT_SIGN = 5;

  /** Validates a code-signing chain (leaf first). */
  public static void validateCodeSigningChain(final List<X509Certificate> chain) throws CertificateRuleException {
    validateChain(chain, false);
  }

  /** Validates a timestamping (TSA) chain (leaf first). */
  public static void validateTimestampingChain(final List<X509Certificate> chain) throws CertificateRuleException {
    validateChain(chain, true);
  }

  private static void validateChain(final List<X509Certificate> chain, final boolean tsa)
      throws CertificateRuleException {
    if (chain.isEmpty()) {
      throw new CertificateRuleException(ReasonCode.CERT_CHAIN_INVALID, "certificate chain is empty");
    }
    for (final X509Certificate c : chain) {
      if (WEAK_SIGNATURE_OIDS.contains(c.getSigAlgOID())) {
        throw new CertificateRuleException(ReasonCode.CERT_WEAK_ALGORITHM, "certificate with subject \""
            + subject(c) + "\" is signed with the insecure algorithm " + c.getSigAlgName());
      }
    }
    if (chain.size() == 1) {
      final X509Certificate c = chain.get(0);
      if (!c.getIssuerX500Principal().equals(c.getSubjectX500Principal()) || !signedBy(c, c)) {
        throw new CertificateRuleException(ReasonCode.CERT_CHAIN_INVALID, "invalid self-signed certificate with"
            + " subject \"" + subject(c) + "\": a single-certificate chain must be self-signed");
      }
      leaf(c, tsa);
      return;
    }
    final int last = chain.size() - 1;
    for (int i = 0; i < chain.size(); i++) {
      final X509Certificate c = chain.get(i);
      if (i == last) {
        if (!isIssuedBy(c, c)) {
          throw new CertificateRuleException(ReasonCode.CERT_CHAIN_INVALID, "root certificate with subject \""
              + subject(c) + "\" is invalid or not self-signed. Certificate chain must end with a valid self-signed"
              + " root certificate");
        }
        ca(c, i - 1, tsa);
      } else {
        // A self-signed certificate before the end means a redundant or foreign root in the middle.
        if (isIssuedBy(c, c)) {
          throw new CertificateRuleException(ReasonCode.CERT_CHAIN_INVALID, (i == 0 ? "leaf" : "intermediate")
              + " certificate with subject \"" + subject(c) + "\" is self-signed. Certificate chain must not contain"
              + " a self-signed " + (i == 0 ? "leaf" : "intermediate") + " certificate");
        }
        final X509Certificate parent = chain.get(i + 1);
        if (!isIssuedBy(c, parent)) {
          throw new CertificateRuleException(ReasonCode.CERT_CHAIN_INVALID, "certificate with subject \""
              + subject(c) + "\" is not issued by \"" + subject(parent) + "\". Certificate chain must be ordered and"
              + " must contain valid certificates");
        }
        if (i == 0) {
          leaf(c, tsa);
        } else {
          ca(c, i - 1, tsa);
        }
      }
    }
  }

  /** Issuer name bytes equal the parent's subject bytes, the parent may issue certificates, and it signed. */
  private static boolean isIssuedBy(final X509Certificate child, final X509Certificate parent) {
    if (!java.util.Arrays.equals(child.getIssuerX500Principal().getEncoded(),
        parent.getSubjectX500Principal().getEncoded())) {
      return false;
    }
    // Like Go's CheckSignatureFrom: a v3 parent must be a CA, and if it has keyUsage, keyCertSign.
    if (parent.getVersion() == 3 && parent.getBasicConstraints() < 0) {
      return false;
    }
    final boolean[] ku = parent.getKeyUsage();
    if (ku != null && !bit(ku, KU_KEY_CERT_SIGN)) {
      return false;
    }
    return signedBy(child, parent);
  }

  private static boolean signedBy(final X509Certificate child, final X509Certificate parent) {
    try {
      Certificates.verifySignature(child, parent.getPublicKey());
      return true;
    } catch (final Exception e) {
      return false;
    }
  }

  static void ca(final X509Certificate c, final int expectedPathLen, final boolean tsa)
      throws CertificateRuleException {
    if (c.getBasicConstraints() < 0) {
      throw new CertificateRuleException(ReasonCode.CERT_REQUIREMENTS_UNMET, "certificate with subject \""
          + subject(c) + "\": ca field in basic constraints must be present, critical, and set to true");
    }
    // Spec: basicConstraints must be critical; notation-core-go does not check (row 9). Fail closed.
    if (!isCritical(c, OID_BASIC_CONSTRAINTS)) {
      throw new CertificateRuleException(ReasonCode.CERT_REQUIREMENTS_UNMET, "certificate with subject \""
          + subject(c) + "\": basic constraints extension must be marked critical");
    }
    final int pathLen = c.getBasicConstraints(); // Integer.MAX_VALUE when unlimited
    if (pathLen < expectedPathLen) {
      throw new CertificateRuleException(ReasonCode.CERT_REQUIREMENTS_UNMET, "certificate with subject \""
          + subject(c) + "\": expected path length of " + expectedPathLen + " but certificate has path length "
          + pathLen + " instead");
    }
    final boolean[] ku = c.getKeyUsage();
    if (ku == null) {
      throw new CertificateRuleException(ReasonCode.CERT_REQUIREMENTS_UNMET, "certificate with subject \""
          + subject(c) + "\": key usage extension must be present");
    }
    // Code signing CAs: keyUsage critical (spec and notation-core-go). TSA CAs: "should" (accepted non-critical).
    if (!tsa && !isCritical(c, OID_KEY_USAGE)) {
      throw new CertificateRuleException(ReasonCode.CERT_REQUIREMENTS_UNMET, "certificate with subject \""
          + subject(c) + "\": key usage extension must be marked critical");
    }
    if (!bit(ku, KU_KEY_CERT_SIGN)) {
      throw new CertificateRuleException(ReasonCode.CERT_REQUIREMENTS_UNMET, "certificate with subject \""
          + subject(c) + "\": key usage must have the bit positions for key cert sign set");
    }
  }

  static void leaf(final X509Certificate c, final boolean tsa) throws CertificateRuleException {
    if (c.getBasicConstraints() >= 0) {
      throw new CertificateRuleException(ReasonCode.CERT_REQUIREMENTS_UNMET, "certificate with subject \""
          + subject(c) + "\": if the basic constraints extension is present, the ca field must be set to false");
    }
    final boolean[] ku = c.getKeyUsage();
    if (tsa) {
      if (ku != null && !bit(ku, KU_DIGITAL_SIGNATURE)) {
        throw new CertificateRuleException(ReasonCode.CERT_REQUIREMENTS_UNMET, "timestamping certificate with"
            + " subject \"" + subject(c) + "\": the key usage must have the bit positions for \"Digital Signature\" set");
      }
      timestampingEku(c);
    } else {
      if (ku == null) {
        throw new CertificateRuleException(ReasonCode.CERT_REQUIREMENTS_UNMET, "certificate with subject \""
            + subject(c) + "\": key usage extension must be present");
      }
      if (!isCritical(c, OID_KEY_USAGE)) {
        throw new CertificateRuleException(ReasonCode.CERT_REQUIREMENTS_UNMET, "certificate with subject \""
            + subject(c) + "\": key usage extension must be marked critical");
      }
      if (!bit(ku, KU_DIGITAL_SIGNATURE)) {
        throw new CertificateRuleException(ReasonCode.CERT_REQUIREMENTS_UNMET, "certificate with subject \""
            + subject(c) + "\": the key usage must have the bit positions for \"Digital Signature\" set");
      }
      for (int b = 0; b < ku.length; b++) {
        if (ku[b] && b != KU_DIGITAL_SIGNATURE && b != KU_CONTENT_COMMITMENT) {
          throw new CertificateRuleException(ReasonCode.CERT_REQUIREMENTS_UNMET, "certificate with subject \""
              + subject(c) + "\": the key usage must be \"Digital Signature\" only (content commitment allowed),"
              + " but found bit " + b);
        }
      }
      codeSigningEku(c);
    }
    keySize(c);
  }

  private static void codeSigningEku(final X509Certificate c) throws CertificateRuleException {
    final List<String> eku = eku(c);
    if (eku == null) {
      return;
    }
    for (final String e : eku) {
      if (CODE_SIGNING_EKU_DENY.contains(e)) {
        throw new CertificateRuleException(ReasonCode.CERT_REQUIREMENTS_UNMET, "certificate with subject \""
            + subject(c) + "\": extended key usage must not contain " + e);
      }
    }
  }

  private static void timestampingEku(final X509Certificate c) throws CertificateRuleException {
    final List<String> eku = eku(c);
    if (eku == null || !isCritical(c, OID_EKU)) {
      throw new CertificateRuleException(ReasonCode.CERT_REQUIREMENTS_UNMET, "timestamping certificate with"
          + " subject \"" + subject(c) + "\" must have extended key usage extension marked as critical");
    }
    if (eku.size() != 1 || !eku.get(0).equals(EKU_TIME_STAMPING)) {
      throw new CertificateRuleException(ReasonCode.CERT_REQUIREMENTS_UNMET, "timestamping certificate with"
          + " subject \"" + subject(c) + "\" must have and only have Timestamping as extended key usage");
    }
  }

  /** Leaf keys: exactly RSA 2048/3072/4096 or EC P-256/384/521 (notation-core-go; row 8). */
  private static void keySize(final X509Certificate c) throws CertificateRuleException {
    final PublicKey k = c.getPublicKey();
    if (k instanceof RSAPublicKey rsa) {
      final int bits = rsa.getModulus().bitLength();
      if (bits != 2048 && bits != 3072 && bits != 4096) {
        throw new CertificateRuleException(ReasonCode.CERT_REQUIREMENTS_UNMET, "certificate with subject \""
            + subject(c) + "\": rsa key size " + bits + " bits is not supported");
      }
    } else if (k instanceof ECPublicKey ec) {
      final int bits = ec.getParams().getCurve().getField().getFieldSize();
      if (bits != 256 && bits != 384 && bits != 521) {
        throw new CertificateRuleException(ReasonCode.CERT_REQUIREMENTS_UNMET, "certificate with subject \""
            + subject(c) + "\": ecdsa key size " + bits + " bits is not supported");
      }
    } else {
      throw new CertificateRuleException(ReasonCode.CERT_REQUIREMENTS_UNMET, "certificate with subject \""
          + subject(c) + "\": unsupported public key type " + k.getAlgorithm());
    }
  }

  private static List<String> eku(final X509Certificate c) throws CertificateRuleException {
    try {
      return c.getExtendedKeyUsage();
    } catch (final CertificateParsingException e) {
      throw new CertificateRuleException(ReasonCode.CERT_REQUIREMENTS_UNMET, "certificate with subject \""
          + subject(c) + "\": malformed extended key usage");
    }
  }

  private static boolean isCritical(final X509Certificate c, final String oid) {
    final Set<String> crit = c.getCriticalExtensionOIDs();
    return crit != null && crit.contains(oid);
  }

  private static boolean bit(final boolean[] ku, final int i) {
    return ku.length > i && ku[i];
  }

  static String subject(final X509Certificate c) {
    return c.getSubjectX500Principal().getName(javax.security.auth.x500.X500Principal.RFC2253);
  }
}
