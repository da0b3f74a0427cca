package dev.sigstream.notary.timestamp;

import java.security.cert.X509Certificate;
import java.util.List;

/**
 * Verifies RFC 3161 timestamp tokens as the Notary Project spec requires (SPEC-NOTES section 11).
 * Implementations are thread-safe and never throw for bad input: it becomes an invalid {@link TimestampResult}.
 */
public interface TimestampVerifier {

  /**
   * @param token DER TimeStampToken from the envelope's {@code io.cncf.notary.timestampSignature}
   * @param signatureBytes the raw signature bytes the token must cover (message imprint)
   * @param tsaRoots self-signed roots from the policy's {@code tsa} trust stores
   */
  TimestampResult verify(byte[] token, byte[] signatureBytes, List<X509Certificate> tsaRoots);

  /**
   * As {@link #verify(byte[], byte[], List)}, and the token's message imprint must also use {@code imprintHash}: the
   * hash the Notary spec derives from the signing key (SHA-256 for PS256/ES256, SHA-384 for PS384/ES384, SHA-512 for
   * PS512/ES512). This is the spec side of SPEC-NOTES §13 row 17; prefer it whenever the signing key is known.
   * (Added after the 3-argument form; the default only exists so that test doubles need not implement it.
   * {@code BcTimestampVerifier} overrides it.)
   *
   * @param imprintHash JCA digest name: SHA-256, SHA-384 or SHA-512
   */
  default TimestampResult verify(
      byte[] token, byte[] signatureBytes, String imprintHash, List<X509Certificate> tsaRoots) {
    return verify(token, signatureBytes, tsaRoots);
  }
}
