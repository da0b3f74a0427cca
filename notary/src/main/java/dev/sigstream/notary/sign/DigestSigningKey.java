package dev.sigstream.notary.sign;

import dev.sigstream.notary.envelope.SignatureAlgorithm;
import java.io.IOException;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.Signature;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Objects;

/**
 * A key that lives elsewhere and signs a digest (Azure Key Vault, Trusted Signing, any KMS): this class hashes the
 * data with the algorithm's hash, asks {@link #signDigest} for the raw signature, and checks that signature with
 * the leaf certificate's public key before handing it on, so a key that does not match its certificate (a wrong
 * chain file, a rotated certificate) fails here with a clear message instead of producing an envelope that no
 * verifier accepts. The data itself never leaves the process.
 */
public abstract class DigestSigningKey implements SigningKey {

  private final List<X509Certificate> chain;

  protected DigestSigningKey(final List<X509Certificate> chain) {
    this.chain = List.copyOf(Objects.requireNonNull(chain, "chain"));
    if (this.chain.isEmpty()) {
      throw new IllegalArgumentException("a signing key needs its certificate chain");
    }
  }

  @Override
  public final List<X509Certificate> certificateChain() {
    return chain;
  }

  /**
   * Signs {@code digest} (the {@link SignatureAlgorithm#hashAlgorithm()} hash of the data) with {@code algorithm}.
   *
   * @return RSASSA-PSS signature bytes, or ECDSA {@code R||S}
   * @throws SigningKeyException with the reason when the key or its service refused
   */
  protected abstract byte[] signDigest(byte[] digest, SignatureAlgorithm algorithm) throws IOException;

  @Override
  public final byte[] sign(final byte[] data, final SignatureAlgorithm algorithm)
      throws GeneralSecurityException, IOException {
    final byte[] digest = MessageDigest.getInstance(algorithm.hashAlgorithm()).digest(data);
    final byte[] signature = signDigest(digest, algorithm);
    if (signature == null || signature.length == 0) {
      throw new SigningKeyException(SigningKeyException.Reason.SERVICE_ERROR, this + " returned no signature");
    }
    final Signature check = algorithm.newSignature();
    check.initVerify(chain.get(0).getPublicKey());
    check.update(data);
    boolean ok;
    try {
      ok = check.verify(signature);
    } catch (final java.security.SignatureException e) {
      ok = false;
    }
    if (!ok) {
      throw new SigningKeyException(SigningKeyException.Reason.CONFIGURATION, "the signature from " + this
          + " does not verify with the leaf certificate's public key: the certificate chain does not belong to"
          + " this key");
    }
    return signature;
  }
}
