package dev.sigstream.testing.pki;

import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.cert.X509Certificate;
import java.util.List;

/**
 * A certificate issued by the {@link TestPki} with its private key.
 *
 * @param certificate the certificate
 * @param privateKey its private key
 * @param chain ordered chain, this certificate first and the self-signed root last (what an envelope's {@code x5c}
 *     carries)
 */
public record Issued(X509Certificate certificate, PrivateKey privateKey, List<X509Certificate> chain) {

  public Issued {
    chain = List.copyOf(chain);
  }

  public PublicKey publicKey() {
    return certificate.getPublicKey();
  }

  /** The self-signed root at the end of the chain (what a trust store holds). */
  public X509Certificate root() {
    return chain.get(chain.size() - 1);
  }
}
