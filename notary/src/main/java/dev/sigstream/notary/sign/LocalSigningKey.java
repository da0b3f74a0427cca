package dev.sigstream.notary.sign;

import dev.sigstream.notary.envelope.SignatureAlgorithm;
import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.Provider;
import java.security.Signature;
import java.security.cert.X509Certificate;
import java.security.spec.MGF1ParameterSpec;
import java.security.spec.PSSParameterSpec;
import java.util.List;
import java.util.Objects;

/**
 * A private key with its chain: in memory, or a handle to a key inside a token (PKCS#11) whose {@link Provider} does
 * the signing. Thread-safe (a new {@link Signature} per call).
 */
public final class LocalSigningKey implements SigningKey {

  private final PrivateKey key;
  private final List<X509Certificate> chain;
  /** Null: the JCA picks the provider. */
  private final Provider provider;

  public LocalSigningKey(final PrivateKey key, final List<X509Certificate> chain) {
    this(key, chain, null);
  }

  /**
   * @param provider the provider that holds the key (for example a SunPKCS11 instance), or null for the default
   */
  public LocalSigningKey(final PrivateKey key, final List<X509Certificate> chain, final Provider provider) {
    this.provider = provider;
    this.key = Objects.requireNonNull(key, "key");
    this.chain = List.copyOf(chain);
    if (this.chain.isEmpty()) {
      throw new IllegalArgumentException("a signing key needs its certificate chain");
    }
  }

  @Override
  public List<X509Certificate> certificateChain() {
    return chain;
  }

  @Override
  public byte[] sign(final byte[] data, final SignatureAlgorithm algorithm) throws GeneralSecurityException {
    final Signature s;
    if (algorithm.isRsa()) {
      s = provider == null ? Signature.getInstance("RSASSA-PSS") : Signature.getInstance("RSASSA-PSS", provider);
      final String h = algorithm.hashAlgorithm();
      s.setParameter(new PSSParameterSpec(h, "MGF1", new MGF1ParameterSpec(h), hashLength(h), 1));
    } else {
      final String name = algorithm.hashAlgorithm().replace("-", "") + "withECDSAinP1363Format";
      s = provider == null ? Signature.getInstance(name) : Signature.getInstance(name, provider);
    }
    s.initSign(key);
    s.update(data);
    return s.sign();
  }

  private static int hashLength(final String h) {
    return switch (h) {
      case "SHA-256" -> 32;
      case "SHA-384" -> 48;
      default -> 64;
    };
  }

  @Override
  public String toString() {
    return "LocalSigningKey[" + chain.get(0).getSubjectX500Principal().getName() + "]";
  }
}
