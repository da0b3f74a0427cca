package dev.sigstream.notary.envelope;

import java.security.GeneralSecurityException;
import java.security.Provider;
import java.security.Signature;
import java.security.interfaces.ECPublicKey;
import java.security.spec.ECParameterSpec;
import java.security.spec.ECPoint;
import java.math.BigInteger;
import dev.sigstream.notary.internal.BcProvider;

/** Provider choice for signature verification; measured in the notary benchmark. */
final class SignatureAlgorithms {

  /** A private BouncyCastle instance, so the JVM's provider list is not changed. */
  static final Provider BC = BcProvider.get();

  private SignatureAlgorithms() {}

  static Signature newSignature(final SignatureAlgorithm alg) throws GeneralSecurityException {
    final Signature s;
    switch (alg) {
      // Measured with NotaryVerifyBenchmark (rawVerify against rawVerifyOtherProvider) on JDK 17: BouncyCastle's
      // ECDSA P-256 verify is about 13x the JDK's (16.3k against 1.27k ops/s); for RSA-PSS the JDK is as fast or
      // faster (RSA-2048 37.6k against BC 33.9k; RSA-3072 18.5k against 18.2k). PLAIN-ECDSA is the raw R||S
      // encoding of JWA and COSE.
      case ES256 -> s = Signature.getInstance("SHA256withPLAIN-ECDSA", BC);
      case ES384 -> s = Signature.getInstance("SHA384withPLAIN-ECDSA", BC);
      case ES512 -> s = Signature.getInstance("SHA512withPLAIN-ECDSA", BC);
      default -> s = Signature.getInstance("RSASSA-PSS");
    }
    alg.configure(s);
    return s;
  }

  /** {@code key} as BouncyCastle's own key for EC ({@link BcProvider#key}): no curve rebuilt from parameters. */
  static java.security.PublicKey providerKey(final java.security.PublicKey key) {
    return BcProvider.key(key);
  }

  // Generators of the NIST prime curves, to tell P-256/384/521 from other curves of the same size.
  private static final BigInteger P256_GX =
      new BigInteger("6b17d1f2e12c4247f8bce6e563a440f277037d812deb33a0f4a13945d898c296", 16);
  private static final BigInteger P384_GX = new BigInteger(
      "aa87ca22be8b05378eb1c71ef320ad746e1d3b628ba79b9859f741e082542a385502f25dbf55296c3a545e3872760ab7", 16);
  private static final BigInteger P521_GX = new BigInteger(
      "00c6858e06b70404e9cd9e3ecb662395b4429c648139053fb521f828af606b4d3dbaa14b5e77efe75928fe1dc127a2ffa8de3348b3c18"
          + "56a429bf97e7e31c2e5bd66", 16);

  static boolean isNamedCurve(final ECPublicKey key, final int bits) {
    final ECParameterSpec p = key.getParams();
    final ECPoint g = p.getGenerator();
    return switch (bits) {
      case 256 -> g.getAffineX().equals(P256_GX);
      case 384 -> g.getAffineX().equals(P384_GX);
      case 521 -> g.getAffineX().equals(P521_GX);
      default -> false;
    };
  }
}
