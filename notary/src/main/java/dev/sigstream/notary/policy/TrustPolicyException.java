package dev.sigstream.notary.policy;

/**
 * A trust policy document is invalid. The message names the statement and the field, as notation's does; the
 * document is rejected as a whole (a configuration error, reported at startup).
 */
public final class TrustPolicyException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  private final String statement;
  private final String field;

  public TrustPolicyException(final String statement, final String field, final String message) {
    super(message);
    this.statement = statement;
    this.field = field;
  }

  public TrustPolicyException(final String statement, final String field, final String message, final Throwable cause) {
    super(message, cause);
    this.statement = statement;
    this.field = field;
  }

  /** The statement name, or null for document-level errors. */
  public String statement() {
    return statement;
  }

  /** The JSON field, e.g. {@code registryScopes} or {@code signatureVerification.override}. */
  public String field() {
    return field;
  }
}
