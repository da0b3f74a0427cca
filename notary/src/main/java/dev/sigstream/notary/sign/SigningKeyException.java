package dev.sigstream.notary.sign;

import java.io.IOException;
import java.util.Objects;

/**
 * A signing key could not sign, with what to fix: a remote key (Key Vault, Trusted Signing, an HSM) refused, was
 * throttled, timed out, or is of a kind the Notary Project does not allow. The message is one line meant for the
 * user and never carries a token or other secret. {@link Reason#configuration()} tells configuration problems (fix
 * the options or the role assignment) from service faults (try again later).
 */
public final class SigningKeyException extends IOException {

  private static final long serialVersionUID = 1L;

  /** Why signing failed. */
  public enum Reason {
    /** The identity may not use the key or profile (HTTP 401/403, a locked token). */
    PERMISSION_DENIED(true),
    /** No such key, certificate, account or profile. */
    NOT_FOUND(true),
    /** Key type or size not allowed by the Notary Project, or the key cannot sign. */
    KEY_UNSUPPORTED(true),
    /** The options, certificate chain or module configuration are wrong. */
    CONFIGURATION(true),
    /** The service kept answering 429 (after honouring Retry-After). */
    THROTTLED(false),
    /** The service did not answer, or the operation did not finish, in time. */
    TIMED_OUT(false),
    /** The service failed (5xx, connection refused, malformed answer). */
    SERVICE_ERROR(false);

    private final boolean configuration;

    Reason(final boolean configuration) {
      this.configuration = configuration;
    }

    /** True when the user must change configuration; false for a service fault worth retrying later. */
    public boolean configuration() {
      return configuration;
    }
  }

  private final Reason reason;

  public SigningKeyException(final Reason reason, final String message) {
    super(message);
    this.reason = Objects.requireNonNull(reason, "reason");
  }

  public SigningKeyException(final Reason reason, final String message, final Throwable cause) {
    super(message, cause);
    this.reason = Objects.requireNonNull(reason, "reason");
  }

  public Reason reason() {
    return reason;
  }

  /** The first {@link SigningKeyException} in {@code t}'s cause chain, or null. */
  public static SigningKeyException find(final Throwable t) {
    for (Throwable c = t; c != null; c = c.getCause() == c ? null : c.getCause()) {
      if (c instanceof SigningKeyException s) {
        return s;
      }
    }
    return null;
  }
}
