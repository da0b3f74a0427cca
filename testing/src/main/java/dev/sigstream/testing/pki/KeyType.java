package dev.sigstream.testing.pki;

import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.spec.ECGenParameterSpec;

/**
 * Key types the Notary Project allows for signing keys (RSA 2048/3072/4096, EC P-256/384/521), with the hash that
 * the spec pairs with each size. The default certificate-signature algorithm of an issuer follows its key type
 * (PKCS#1 v1.5 for RSA, ECDSA for EC).
 */
public enum KeyType {
  RSA_2048("RSA", 2048, null, "SHA-256", "SHA256withRSA"),
  RSA_3072("RSA", 3072, null, "SHA-384", "SHA384withRSA"),
  RSA_4096("RSA", 4096, null, "SHA-512", "SHA512withRSA"),
  EC_P256("EC", 256, "secp256r1", "SHA-256", "SHA256withECDSA"),
  EC_P384("EC", 384, "secp384r1", "SHA-384", "SHA384withECDSA"),
  EC_P521("EC", 521, "secp521r1", "SHA-512", "SHA512withECDSA");

  private final String algorithm;
  private final int bits;
  private final String curve;
  private final String hash;
  private final String certSignatureAlgorithm;

  KeyType(final String algorithm, final int bits, final String curve, final String hash, final String sigAlg) {
    this.algorithm = algorithm;
    this.bits = bits;
    this.curve = curve;
    this.hash = hash;
    this.certSignatureAlgorithm = sigAlg;
  }

  /** JCA key algorithm: {@code RSA} or {@code EC}. */
  public String algorithm() {
    return algorithm;
  }

  /** Modulus size or curve size in bits. */
  public int bits() {
    return bits;
  }

  /** JCA digest name the Notary spec pairs with this key (SHA-256/384/512). */
  public String hash() {
    return hash;
  }

  /** Default JCA signature algorithm when a key of this type signs certificates, CRLs and OCSP responses. */
  public String certSignatureAlgorithm() {
    return certSignatureAlgorithm;
  }

  /** Generates a fresh key pair (RSA-4096 takes about a second). */
  public KeyPair generate() {
    try {
      final KeyPairGenerator g = KeyPairGenerator.getInstance(algorithm);
      if (curve != null) {
        g.initialize(new ECGenParameterSpec(curve));
      } else {
        g.initialize(bits);
      }
      return g.generateKeyPair();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("cannot generate " + this + " key", e);
    }
  }
}
