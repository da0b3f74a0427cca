package dev.sigstream.notary.envelope;

import java.security.GeneralSecurityException;
import java.security.InvalidAlgorithmParameterException;
import java.security.PublicKey;
import java.security.Signature;
import java.security.interfaces.ECPublicKey;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.MGF1ParameterSpec;
import java.security.spec.PSSParameterSpec;
import java.util.Optional;

/**
 * The six Notary Project signature algorithms. Each is bound to exactly one key type and size: a signature is only
 * valid when the envelope's {@code alg} equals the algorithm derived from the leaf certificate's key
 * ({@link #forKey}); RSA-8192 or P-224 keys have no algorithm at all.
 */
public enum SignatureAlgorithm {
  PS256("PS256", -37, "SHA-256", "RSA", 2048, 32),
  PS384("PS384", -38, "SHA-384", "RSA", 3072, 48),
  PS512("PS512", -39, "SHA-512", "RSA", 4096, 64),
  ES256("ES256", -7, "SHA-256", "EC", 256, 32),
  ES384("ES384", -35, "SHA-384", "EC", 384, 48),
  ES512("ES512", -36, "SHA-512", "EC", 521, 64);

  private final String jwsName;
  private final int coseId;
  private final String hash;
  private final String keyType;
  private final int keyBits;
  private final int hashLength;

  SignatureAlgorithm(
      final String jwsName, final int coseId, final String hash, final String keyType, final int keyBits,
      final int hashLength) {
    this.jwsName = jwsName;
    this.coseId = coseId;
    this.hash = hash;
    this.keyType = keyType;
    this.keyBits = keyBits;
    this.hashLength = hashLength;
  }

  public String jwsName() {
    return jwsName;
  }

  public int coseId() {
    return coseId;
  }

  /** JCA digest name (SHA-256/384/512): also the digest for timestamp imprints and blob payloads. */
  public String hashAlgorithm() {
    return hash;
  }

  public boolean isRsa() {
    return keyType.equals("RSA");
  }

  /** RSA modulus size or EC field size in bits. */
  public int keyBits() {
    return keyBits;
  }

  public static Optional<SignatureAlgorithm> fromJws(final String name) {
    for (final SignatureAlgorithm a : values()) {
      if (a.jwsName.equals(name)) {
        return Optional.of(a);
      }
    }
    return Optional.empty();
  }

  public static Optional<SignatureAlgorithm> fromCose(final long id) {
    for (final SignatureAlgorithm a : values()) {
      if (a.coseId == id) {
        return Optional.of(a);
      }
    }
    return Optional.empty();
  }

  /** The only algorithm a key may sign with, or empty when the key type or size is not allowed. */
  public static Optional<SignatureAlgorithm> forKey(final PublicKey key) {
    if (key instanceof RSAPublicKey rsa) {
      final int bits = rsa.getModulus().bitLength();
      for (final SignatureAlgorithm a : values()) {
        if (a.isRsa() && a.keyBits == bits) {
          return Optional.of(a);
        }
      }
    } else if (key instanceof ECPublicKey ec) {
      final int bits = ec.getParams().getCurve().getField().getFieldSize();
      for (final SignatureAlgorithm a : values()) {
        if (!a.isRsa() && a.keyBits == bits) {
          // Also require the named prime curve: reject unusual curves with the same field size.
          return SignatureAlgorithms.isNamedCurve(ec, bits) ? Optional.of(a) : Optional.empty();
        }
      }
    }
    return Optional.empty();
  }

  /**
   * A fresh, uninitialised {@link Signature} for this algorithm. ECDSA signatures are raw {@code R||S} (JWA/COSE);
   * RSASSA-PSS uses MGF1 with the same hash and a salt as long as the hash (RFC 7518), nothing else.
   */
  public Signature newSignature() throws GeneralSecurityException {
    return SignatureAlgorithms.newSignature(this);
  }

  /**
   * The key in the form the verification provider handles fastest (for ECDSA, BouncyCastle's own key class, so
   * the provider does not convert the JDK key on every {@code initVerify}). Computed once per cached chain.
   */
  public static PublicKey verificationKey(final PublicKey key) {
    return SignatureAlgorithms.providerKey(key);
  }

  PSSParameterSpec pssSpec() {
    return new PSSParameterSpec(hash, "MGF1", new MGF1ParameterSpec(hash), hashLength, 1);
  }

  void configure(final Signature s) throws InvalidAlgorithmParameterException {
    if (isRsa()) {
      s.setParameter(pssSpec());
    }
  }
}
