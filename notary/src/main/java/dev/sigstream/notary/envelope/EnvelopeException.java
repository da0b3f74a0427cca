package dev.sigstream.notary.envelope;

import dev.sigstream.notary.ReasonCode;

/** An envelope breaks a rule; carries the stable reason code the verifier reports. */
public final class EnvelopeException extends Exception {

  private static final long serialVersionUID = 1L;

  private final transient ReasonCode reason;

  public EnvelopeException(final ReasonCode reason, final String message) {
    super(message);
    this.reason = reason;
  }

  public EnvelopeException(final ReasonCode reason, final String message, final Throwable cause) {
    super(message, cause);
    this.reason = reason;
  }

  public ReasonCode reason() {
    return reason;
  }
}
