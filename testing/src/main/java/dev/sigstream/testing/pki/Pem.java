package dev.sigstream.testing.pki;

import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.util.Base64;
import java.util.List;

/**
 * PEM and PKCS#12 encodings of test PKI material, for tests that write trust stores (Notation's
 * {@code truststore/x509/{ca,signingAuthority,tsa}/{name}/}), signing keys or CLI inputs to disk.
 */
public final class Pem {

  private Pem() {}

  /** One certificate as a PEM block. */
  public static String certificate(final X509Certificate cert) {
    try {
      return block("CERTIFICATE", cert.getEncoded());
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Several certificates, concatenated in order (e.g. a chain, leaf first). */
  public static String certificates(final List<X509Certificate> certs) {
    final StringBuilder sb = new StringBuilder();
    for (final X509Certificate c : certs) {
      sb.append(certificate(c));
    }
    return sb.toString();
  }

  /** A private key as unencrypted PKCS#8 ({@code -----BEGIN PRIVATE KEY-----}). */
  public static String privateKey(final PrivateKey key) {
    return block("PRIVATE KEY", key.getEncoded());
  }

  /** A PKCS#12 keystore holding the key and its chain under {@code alias}. */
  public static byte[] pkcs12(final Issued issued, final String alias, final char[] password) {
    try {
      final KeyStore ks = KeyStore.getInstance("PKCS12");
      ks.load(null, null);
      ks.setKeyEntry(alias, issued.privateKey(), password, issued.chain().toArray(new Certificate[0]));
      final java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
      ks.store(out, password);
      return out.toByteArray();
    } catch (GeneralSecurityException | java.io.IOException e) {
      throw new IllegalStateException("cannot build PKCS#12", e);
    }
  }

  private static String block(final String type, final byte[] der) {
    return "-----BEGIN " + type + "-----\n" + Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(der)
        + "\n-----END " + type + "-----\n";
  }
}
