package dev.sigstream.app.demo;

import dev.sigstream.notary.sign.LocalSigningKey;
import dev.sigstream.notary.sign.SigningKeys;
import java.io.IOException;
import java.io.StringWriter;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * The demo's throwaway PKI, made fresh on every run with BouncyCastle: a trusted root with a code-signing leaf (the
 * Notary Project certificate profile: leaf keyUsage digitalSignature, EKU codeSigning, subject with C, ST and O), and
 * an untrusted root with its own leaf. EC P-256 keys (fast to make). No OCSP or CRL locations, so the certificates
 * are non-revocable and the demo needs no revocation server. The test PKI under {@code testing} is test-scoped and
 * much richer (CRLs, OCSP, TSA); a production command may not depend on it, and needs only this much.
 *
 * @param trusted the signer whose root is in the demo's trust store
 * @param untrusted a signer whose root is not
 * @param trustedRoot the root written to the trust store
 */
record DemoPki(Signer trusted, Signer untrusted, X509Certificate trustedRoot) {

  /** A signing key and its chain, leaf first; {@code key} (for writing it out) is null when loaded from files. */
  record Signer(LocalSigningKey signingKey, PrivateKey key) {
    List<X509Certificate> chain() {
      return signingKey.certificateChain();
    }
  }

  static final String TRUST_STORE = "demo";

  /** Makes both hierarchies, valid from an hour ago for a day. */
  static DemoPki create(final Instant now) {
    try {
      final KeyPair rootKeys = ecKeys();
      final X509Certificate root = ca("CN=Sigstream Demo Root,O=Sigstream Demo,ST=WA,C=US", rootKeys, now);
      final KeyPair otherRootKeys = ecKeys();
      final X509Certificate otherRoot = ca("CN=Someone Else's Root,O=Elsewhere,ST=WA,C=US", otherRootKeys, now);
      return new DemoPki(
          leaf("CN=demo signer,O=Sigstream Demo,ST=WA,C=US", root, rootKeys, now),
          leaf("CN=untrusted signer,O=Elsewhere,ST=WA,C=US", otherRoot, otherRootKeys, now),
          root);
    } catch (final GeneralSecurityException | IOException | org.bouncycastle.operator.OperatorCreationException e) {
      throw new IllegalStateException("cannot make the demo PKI: " + e.getMessage(), e);
    }
  }

  /**
   * Writes a Notation configuration directory: {@code trustpolicy.oci.json} (strict, every registry, store
   * {@code ca:demo}, any identity) and {@code truststore/x509/ca/demo/root.pem}. Returns the directory.
   */
  Path writeNotationConfig(final Path dir) throws IOException {
    final Path store = dir.resolve("truststore/x509/ca/" + TRUST_STORE);
    Files.createDirectories(store);
    Files.writeString(store.resolve("root.pem"), pem(trustedRoot));
    Files.writeString(dir.resolve("trustpolicy.oci.json"), """
        {
          "version": "1.0",
          "trustPolicies": [
            {
              "name": "sigstream-demo",
              "registryScopes": ["*"],
              "signatureVerification": {"level": "strict"},
              "trustStores": ["ca:%s"],
              "trustedIdentities": ["*"]
            }
          ]
        }
        """.formatted(TRUST_STORE));
    return dir;
  }

  /** Writes the trusted signer's key and chain as PEM files ({@code sigstream sign --key … --cert-chain …}). */
  void writeSigningKey(final Path dir) throws IOException {
    Files.createDirectories(dir);
    final StringBuilder chain = new StringBuilder();
    for (final X509Certificate c : trusted.chain()) {
      chain.append(pem(c));
    }
    Files.writeString(dir.resolve("signer.crt"), chain);
    final Path key = dir.resolve("signer.key");
    // PKCS#8 ("PRIVATE KEY"), which every tool reads; the SEC1 form JcaPEMWriter picks for EC keys drops the curve.
    Files.writeString(key, pem(new org.bouncycastle.openssl.jcajce.JcaPKCS8Generator(trusted.key(), null)));
  }

  /**
   * The trusted signer written by {@link #writeSigningKey} (e.g. by {@code sigstream demo --trust-only} in another
   * container), with a fresh untrusted signer.
   */
  static DemoPki load(final Path signerDir, final Instant now) {
    final LocalSigningKey key;
    try {
      key = SigningKeys.fromPem(signerDir.resolve("signer.key"), signerDir.resolve("signer.crt"), null);
    } catch (final IOException | GeneralSecurityException e) {
      throw new IllegalStateException("cannot load the demo signer from " + signerDir + ": " + e.getMessage(), e);
    }
    final List<X509Certificate> chain = key.certificateChain();
    return new DemoPki(new Signer(key, null), create(now).untrusted(), chain.get(chain.size() - 1));
  }

  private static KeyPair ecKeys() throws GeneralSecurityException {
    final KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
    g.initialize(new ECGenParameterSpec("secp256r1"), new SecureRandom());
    return g.generateKeyPair();
  }

  private static X509Certificate ca(final String dn, final KeyPair keys, final Instant now)
      throws GeneralSecurityException, IOException, org.bouncycastle.operator.OperatorCreationException {
    final X500Name name = new X500Name(dn);
    final X509v3CertificateBuilder b = builder(name, name, keys, now);
    final JcaX509ExtensionUtils u = new JcaX509ExtensionUtils();
    b.addExtension(Extension.authorityKeyIdentifier, false, u.createAuthorityKeyIdentifier(keys.getPublic()));
    b.addExtension(Extension.basicConstraints, true, new BasicConstraints(true));
    b.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign));
    return sign(b, keys);
  }

  private static Signer leaf(final String dn, final X509Certificate issuer, final KeyPair issuerKeys,
      final Instant now) throws GeneralSecurityException, IOException,
      org.bouncycastle.operator.OperatorCreationException {
    final KeyPair keys = ecKeys();
    final X509v3CertificateBuilder b = builder(X500Name.getInstance(issuer.getSubjectX500Principal().getEncoded()),
        new X500Name(dn), keys, now);
    b.addExtension(Extension.authorityKeyIdentifier, false,
        new JcaX509ExtensionUtils().createAuthorityKeyIdentifier(issuer));
    b.addExtension(Extension.basicConstraints, true, new BasicConstraints(false));
    b.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature));
    b.addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(KeyPurposeId.id_kp_codeSigning));
    final X509Certificate cert = sign(b, issuerKeys);
    return new Signer(new LocalSigningKey(keys.getPrivate(), List.of(cert, issuer)), keys.getPrivate());
  }

  private static X509v3CertificateBuilder builder(final X500Name issuer, final X500Name subject, final KeyPair keys,
      final Instant now) throws GeneralSecurityException {
    final BigInteger serial = new BigInteger(63, new SecureRandom()).add(BigInteger.ONE);
    final X509v3CertificateBuilder b = new JcaX509v3CertificateBuilder(issuer, serial,
        Date.from(now.minus(Duration.ofHours(1))), Date.from(now.plus(Duration.ofDays(1))), subject, keys.getPublic());
    try {
      b.addExtension(Extension.subjectKeyIdentifier, false,
          new JcaX509ExtensionUtils().createSubjectKeyIdentifier(keys.getPublic()));
    } catch (final org.bouncycastle.cert.CertIOException e) {
      throw new GeneralSecurityException(e);
    }
    return b;
  }

  private static X509Certificate sign(final X509v3CertificateBuilder b, final KeyPair issuerKeys)
      throws GeneralSecurityException, org.bouncycastle.operator.OperatorCreationException {
    return new JcaX509CertificateConverter().getCertificate(
        b.build(new JcaContentSignerBuilder("SHA256withECDSA").build(issuerKeys.getPrivate())));
  }

  static String pem(final Object o) throws IOException {
    final StringWriter w = new StringWriter();
    try (JcaPEMWriter p = new JcaPEMWriter(w)) {
      p.writeObject(o);
    }
    return w.toString();
  }
}
