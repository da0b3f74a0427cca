package dev.sigstream.notary.revocation;

import java.util.List;

/**
 * @param status chain-level outcome: REVOKED if any certificate is revoked, else UNKNOWN if any is unknown, else OK
 * @param detail one human sentence (which certificate, which method)
 * @param certificates per-certificate results, leaf first (the root is not listed)
 */
public record RevocationResult(RevocationStatus status, String detail, List<CertificateStatus> certificates) {

  public RevocationResult {
    certificates = List.copyOf(certificates);
  }

  /**
   * @param subject RFC 4514 subject of the certificate
   * @param status its status
   * @param method "ocsp", "crl", "ocsp-fallback-crl" or "none" (non-revocable)
   * @param detail why
   */
  public record CertificateStatus(String subject, RevocationStatus status, String method, String detail) {}
}
