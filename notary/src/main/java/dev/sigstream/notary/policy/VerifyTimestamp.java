package dev.sigstream.notary.policy;

/** {@code signatureVerification.verifyTimestamp}: when an RFC 3161 countersignature is verified. */
public enum VerifyTimestamp {
  /** Always, when the policy names a {@code tsa} store (the default). */
  ALWAYS("always"),
  /** Only when some certificate of the signing chain has expired at verification time. */
  AFTER_CERT_EXPIRY("afterCertExpiry");

  private final String id;

  VerifyTimestamp(final String id) {
    this.id = id;
  }

  public String id() {
    return id;
  }
}
