package dev.sigstream.notary.sign;

import dev.sigstream.notary.cert.Certificates;
import java.io.IOException;
import java.io.InputStream;
import java.io.StringReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.openssl.PEMKeyPair;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;
import org.bouncycastle.openssl.jcajce.JceOpenSSLPKCS8DecryptorProviderBuilder;
import org.bouncycastle.pkcs.PKCS8EncryptedPrivateKeyInfo;

/** Loaders for local signing keys: PKCS#12, or PEM key plus PEM chain. */
public final class SigningKeys {

  private SigningKeys() {}

  /**
   * Loads a key and its chain from a PKCS#12 file.
   *
   * @param alias the key entry, or null for the only key entry
   */
  public static LocalSigningKey fromPkcs12(final Path file, final char[] password, final String alias)
      throws IOException, GeneralSecurityException {
    final KeyStore ks = KeyStore.getInstance("PKCS12");
    try (InputStream in = Files.newInputStream(file)) {
      ks.load(in, password);
    }
    String chosen = alias;
    if (chosen == null) {
      for (final String a : Collections.list(ks.aliases())) {
        if (ks.isKeyEntry(a)) {
          if (chosen != null) {
            throw new GeneralSecurityException("PKCS#12 file holds several keys; name one by alias");
          }
          chosen = a;
        }
      }
    }
    if (chosen == null || !ks.isKeyEntry(chosen)) {
      throw new GeneralSecurityException("no private key entry" + (alias == null ? "" : " \"" + alias + "\""));
    }
    final PrivateKey key = (PrivateKey) ks.getKey(chosen, password);
    final Certificate[] certs = ks.getCertificateChain(chosen);
    if (certs == null || certs.length == 0) {
      throw new GeneralSecurityException("the key entry has no certificate chain");
    }
    final List<X509Certificate> chain = new ArrayList<>();
    for (final Certificate c : certs) {
      chain.add((X509Certificate) c);
    }
    return new LocalSigningKey(key, chain);
  }

  /**
   * Loads a PEM private key (PKCS#8, PKCS#1 RSA, SEC1 EC, or encrypted PKCS#8 with {@code password}) and a PEM
   * certificate chain (leaf first).
   */
  public static LocalSigningKey fromPem(final Path keyFile, final Path chainFile, final char[] password)
      throws IOException, GeneralSecurityException {
    final PrivateKey key = readKey(Files.readString(keyFile), password);
    final List<X509Certificate> chain = Certificates.parsePemOrDer(Files.readAllBytes(chainFile));
    return new LocalSigningKey(key, chain);
  }

  static PrivateKey readKey(final String pem, final char[] password) throws IOException, GeneralSecurityException {
    try (PEMParser p = new PEMParser(new StringReader(pem))) {
      final JcaPEMKeyConverter conv = new JcaPEMKeyConverter();
      Object o;
      while ((o = p.readObject()) != null) {
        if (o instanceof PrivateKeyInfo pki) {
          return conv.getPrivateKey(pki);
        }
        if (o instanceof PEMKeyPair kp) {
          // SEC1 keys may omit the public key, so convert only the private part.
          return conv.getPrivateKey(kp.getPrivateKeyInfo());
        }
        if (o instanceof PKCS8EncryptedPrivateKeyInfo enc) {
          if (password == null) {
            throw new GeneralSecurityException("the private key is encrypted; a password is required");
          }
          try {
            return conv.getPrivateKey(enc.decryptPrivateKeyInfo(
                // With the BouncyCastle provider: openssl's PBES2 keys use AES/CBC/PKCS7Padding, which the JDK lacks.
                new JceOpenSSLPKCS8DecryptorProviderBuilder().setProvider(dev.sigstream.notary.internal.BcProvider.get())
                    .build(password)));
          } catch (final org.bouncycastle.operator.OperatorCreationException
              | org.bouncycastle.pkcs.PKCSException e) {
            throw new GeneralSecurityException("cannot decrypt the private key", e);
          }
        }
      }
    }
    throw new GeneralSecurityException("no private key found in PEM");
  }
}
