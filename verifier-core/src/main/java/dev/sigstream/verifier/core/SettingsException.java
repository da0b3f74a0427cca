package dev.sigstream.verifier.core;

/**
 * Settings that cannot make a verifier: a missing or invalid trust policy or trust store, a bad registry entry. The
 * message names the file or value and what is wrong with it, in one line, for the operator; the CLI prints it as a
 * usage error and a service refuses to start with it.
 */
public final class SettingsException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  public SettingsException(final String message) {
    super(message);
  }

  public SettingsException(final String message, final Throwable cause) {
    super(message, cause);
  }
}
