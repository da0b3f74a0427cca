package dev.sigstream.notary.cert;

import dev.sigstream.notary.ReasonCode;

/** A certificate or chain breaks a Notary Project certificate rule. */
public final class CertificateRuleException extends Exception {

  private static final long serialVersionUID = 1L;

  private final transient ReasonCode reason;

  public CertificateRuleException(final ReasonCode reason, final String message) {
    super(message);
    this.reason = reason;
  }

  public ReasonCode reason() {
    return reason;
  }
}
