package dev.sigstream.notary.sign;

import dev.sigstream.notary.envelope.SignatureAlgorithm;
import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.cert.X509Certificate;
import java.security.spec.MGF1ParameterSpec;
import java.security.spec.PSSParameterSpec;
import java.util.List;
import java.util.Objects;

/** A private key in memory with its chain. Thread-safe (a new {@link Signature} per call). */
public final class LocalSigningKey implements SigningKey {

  private final PrivateKey key;
  private final List<X509Certificate> chain;

  public LocalSigningKey(final PrivateKey key, final List<X509Certificate> chain) {
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
      s = Signature.getInstance("RSASSA-PSS");
      final String h = algorithm.hashAlgorithm();
      s.setParameter(new PSSParameterSpec(h, "MGF1", new MGF1ParameterSpec(h), hashLength(h), 1));
    } else {
      s = Signature.getInstance(algorithm.hashAlgorithm().replace("-", "") + "withECDSAinP1363Format");
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
