package dev.sigstream.notary.cert;

import java.io.ByteArrayInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.cert.CertificateEncodingException;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

/** Certificate parsing and fingerprint helpers. */
public final class Certificates {

  private Certificates() {}

  /** Parses one DER certificate. The JDK provider is used so parsing is the same everywhere. */
  public static X509Certificate parseDer(final byte[] der) throws CertificateException {
    final CertificateFactory cf = CertificateFactory.getInstance("X.509");
    final var c = cf.generateCertificate(new ByteArrayInputStream(der));
    if (!(c instanceof X509Certificate x)) {
      throw new CertificateException("not an X.509 certificate");
    }
    // The factory reads the first certificate and ignores what follows; exactly one certificate, nothing else, is
    // accepted (as Go's x509.ParseCertificate: "trailing data").
    if (x.getEncoded().length != der.length) {
      throw new CertificateException("trailing data after the certificate");
    }
    requireUnmalleable(der);
    return x;
  }

  /**
   * Only the signed TBSCertificate fixes a certificate's content; the outer signatureAlgorithm and signatureValue are
   * not signed, and the JDK accepts variants of them that verify the same (a signature BIT STRING claiming unused
   * bits that happen to be zero). Such a variant is a different encoding, so a different fingerprint, of the same
   * certificate. Rejected here: DER only, outer algorithm identical to the signed one, no unused signature bits.
   */
  private static void requireUnmalleable(final byte[] der) throws CertificateException {
    final org.bouncycastle.asn1.x509.Certificate c;
    try {
      c = org.bouncycastle.asn1.x509.Certificate.getInstance(org.bouncycastle.asn1.ASN1Primitive.fromByteArray(der));
      if (!java.util.Arrays.equals(c.getEncoded(org.bouncycastle.asn1.ASN1Encoding.DER), der)) {
        throw new CertificateException("certificate is not DER-encoded");
      }
    } catch (final java.io.IOException | RuntimeException e) {
      throw new CertificateException("certificate is not DER-encoded");
    }
    if (!c.getSignatureAlgorithm().equals(c.getTBSCertificate().getSignature())) {
      throw new CertificateException("certificate signature algorithm differs from the signed one");
    }
    if (c.getSignature().getPadBits() != 0) {
      throw new CertificateException("certificate signature has unused bits");
    }
  }

  /**
   * Parses a file's content: one or more PEM blocks (other text between blocks is ignored) or a single DER
   * certificate.
   */
  public static List<X509Certificate> parsePemOrDer(final byte[] content) throws CertificateException {
    final String text = new String(content, java.nio.charset.StandardCharsets.ISO_8859_1);
    final List<X509Certificate> out = new ArrayList<>();
    if (text.contains("-----BEGIN CERTIFICATE-----")) {
      int from = 0;
      while (true) {
        final int b = text.indexOf("-----BEGIN CERTIFICATE-----", from);
        if (b < 0) {
          break;
        }
        final int e = text.indexOf("-----END CERTIFICATE-----", b);
        if (e < 0) {
          throw new CertificateException("unterminated PEM certificate block");
        }
        final String body = text.substring(b + 27, e).replaceAll("\\s", "");
        final byte[] der;
        try {
          der = java.util.Base64.getDecoder().decode(body);
        } catch (final IllegalArgumentException ex) {
          throw new CertificateException("invalid base64 in PEM certificate block", ex);
        }
        out.add(parseDer(der));
        from = e + 25;
      }
      return out;
    }
    out.add(parseDer(content));
    return out;
  }

  /** SHA-256 of the certificate DER, lower-case hex. */
  public static String sha256Hex(final X509Certificate cert) {
    try {
      return sha256Hex(cert.getEncoded());
    } catch (final CertificateEncodingException e) {
      throw new IllegalStateException(e);
    }
  }

  public static String sha256Hex(final byte[] data) {
    return HexFormat.of().formatHex(sha256(data));
  }

  public static byte[] sha256(final byte[] data) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(data);
    } catch (final NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  /** True when the certificate's issuer equals its subject and it verifies under its own key. */
  public static boolean isSelfSigned(final X509Certificate c) {
    if (!c.getIssuerX500Principal().equals(c.getSubjectX500Principal())) {
      return false;
    }
    try {
      verifySignature(c, c.getPublicKey());
      return true;
    } catch (final Exception e) {
      return false;
    }
  }

  /**
   * Checks {@code c}'s signature under {@code key}: with BouncyCastle for EC keys, the JDK for the others, as for
   * envelopes (docs/benchmarks.md: BouncyCastle's ECDSA is many times the JDK's, and the JDK's P-256/P-384 code is
   * slowest of all before the JIT has compiled it, which is all a short CLI command ever sees: chain checks were a
   * quarter of a one-artifact {@code sigstream verify}).
   *
   * @throws java.security.GeneralSecurityException when the signature does not verify
   */
  public static void verifySignature(final X509Certificate c, final java.security.PublicKey key)
      throws java.security.GeneralSecurityException {
    if (key instanceof java.security.interfaces.ECPublicKey) {
      // As BouncyCastle's own key: its built-in curve, not one rebuilt (and prime-tested) from the JDK key's parameters.
      c.verify(dev.sigstream.notary.internal.BcProvider.key(key), dev.sigstream.notary.internal.BcProvider.get());
    } else {
      c.verify(key);
    }
  }

  /** True when the certificate has basicConstraints with cA=true. */
  public static boolean isCa(final X509Certificate c) {
    return c.getBasicConstraints() >= 0;
  }
}
