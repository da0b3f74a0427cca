package dev.sigstream.notary.sign;

import dev.sigstream.notary.envelope.SignatureAlgorithm;
import java.io.IOException;
import java.security.GeneralSecurityException;
import java.security.cert.X509Certificate;
import java.util.List;

/**
 * Access to a signing key, local or remote (a KMS such as Azure Key Vault or Trusted Signing can implement this
 * without touching envelope code). Implementations must be safe for use from one thread at a time at least.
 */
public interface SigningKey {

  /** The certificate chain of the key: leaf first, ending at the self-signed root. */
  List<X509Certificate> certificateChain();

  /**
   * Signs {@code data} with {@code algorithm} (the one derived from the leaf key).
   *
   * @return the raw signature: RSASSA-PSS bytes, or ECDSA as {@code R||S} (IEEE P1363), as JWS and COSE require
   */
  byte[] sign(byte[] data, SignatureAlgorithm algorithm) throws GeneralSecurityException, IOException;

  /**
   * True when signatures made with this key must carry an RFC 3161 timestamp to stay verifiable: its certificates
   * are short-lived (Trusted Signing issues certificates valid for days). {@link NotarySigner} then refuses to sign
   * without one.
   */
  default boolean requiresTimestamp() {
    return false;
  }
}
