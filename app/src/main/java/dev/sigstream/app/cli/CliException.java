package dev.sigstream.app.cli;

/**
 * A failure the user can act on: printed as one line ({@code sigstream: message}), with the stack trace only under
 * {@code --debug}, and the command exits with {@link #exitCode()}.
 */
final class CliException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  private final int exitCode;

  CliException(final int exitCode, final String message) {
    super(message);
    this.exitCode = exitCode;
  }

  CliException(final int exitCode, final String message, final Throwable cause) {
    super(message, cause);
    this.exitCode = exitCode;
  }

  static CliException usage(final String message) {
    return new CliException(ExitCodes.USAGE, message);
  }

  static CliException usage(final String message, final Throwable cause) {
    return new CliException(ExitCodes.USAGE, message, cause);
  }

  static CliException registry(final String message) {
    return new CliException(ExitCodes.REGISTRY, message);
  }

  int exitCode() {
    return exitCode;
  }
}
