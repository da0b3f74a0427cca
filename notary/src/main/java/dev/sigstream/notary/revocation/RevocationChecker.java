package dev.sigstream.notary.revocation;

import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.List;

/**
 * Revocation status of a certificate chain (OCSP preferred, CRL fallback), as in the Notary Project spec
 * "Certificate Revocation Evaluation". Separate instances serve code-signing and timestamping chains.
 *
 * <p>Contract: thread-safe; never throws on network or parse errors (they become {@link RevocationStatus#UNKNOWN});
 * every network call is bounded by a timeout. The root (last certificate) is never checked.
 */
public interface RevocationChecker {

  /**
   * @param chain ordered chain, leaf first, root last (issuer of chain[i] is chain[i+1])
   * @param purpose code signing or timestamping
   * @param signingTime authentic signing time for the signingAuthority scheme (invalidity-date rule), else null
   */
  RevocationResult check(List<X509Certificate> chain, Purpose purpose, Instant signingTime);

  enum Purpose { CODE_SIGNING, TIMESTAMPING }
}
