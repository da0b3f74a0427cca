package dev.sigstream.notary.internal;

import java.security.Provider;
import org.bouncycastle.jce.provider.BouncyCastleProvider;

/**
 * The one BouncyCastle provider instance of the process, made on first use. Building a {@link BouncyCastleProvider}
 * registers every algorithm it has (thousands of entries, about 900 classes loaded): it was built four times, once
 * per class that needed it, which a short CLI command paid for in full. It is never installed with
 * {@link java.security.Security#addProvider}: callers name it explicitly.
 */
public final class BcProvider {

  private BcProvider() {}

  /** The shared provider. */
  public static Provider get() {
    return Holder.BC;
  }

  /**
   * {@code key} as this provider's own key when it is an EC key, else {@code key}. BouncyCastle handed a JDK EC key
   * rebuilds its curve from the key's explicit parameters, and a curve it builds from parameters is first checked
   * for a prime field with Miller-Rabin rounds (once per curve and process): the largest single item of a cold
   * {@code sigstream verify}'s first P-384 check. Decoded from the key's X.509 encoding, a named curve is recognised
   * by its OID and BouncyCastle uses its built-in curve; explicit parameters are still checked. The signature
   * arithmetic is the same either way; when the conversion fails, {@code key} is returned and the provider converts
   * it itself.
   */
  public static java.security.PublicKey key(final java.security.PublicKey key) {
    if (key instanceof java.security.interfaces.ECPublicKey) {
      try {
        return java.security.KeyFactory.getInstance("EC", get())
            .generatePublic(new java.security.spec.X509EncodedKeySpec(key.getEncoded()));
      } catch (final java.security.GeneralSecurityException | RuntimeException e) {
        return key;
      }
    }
    return key;
  }

  private static final class Holder {
    static final Provider BC = new BouncyCastleProvider();
  }
}
