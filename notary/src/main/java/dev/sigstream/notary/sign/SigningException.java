package dev.sigstream.notary.sign;

/** Signing failed (key, certificate rules, or TSA). Signing never produces a partial envelope. */
public final class SigningException extends Exception {

  private static final long serialVersionUID = 1L;

  public SigningException(final String message) {
    super(message);
  }

  public SigningException(final String message, final Throwable cause) {
    super(message, cause);
  }
}
