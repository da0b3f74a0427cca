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
}
