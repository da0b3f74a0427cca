package dev.sigstream.app.cli;

/**
 * The exit codes of every {@code sigstream} command, documented in {@code docs/cli.md}. They live with the commands
 * so that the commands depend on nothing above them; {@code dev.sigstream.app.Sigstream} only assembles them.
 */
public final class ExitCodes {

  /** Verified, or done. */
  public static final int OK = 0;
  /** Verification failed: a definite FAIL. */
  public static final int VERIFICATION_FAILED = 1;
  /** Usage or configuration error. */
  public static final int USAGE = 2;
  /** Registry or network error: inconclusive. */
  public static final int REGISTRY = 3;

  private ExitCodes() {}

  /**
   * The exit code of a command that checked several artifacts: the worst of theirs, in this order (docs/cli.md),
   * worst first: {@link #VERIFICATION_FAILED} (a definite failure: retrying will not help, and it must stop a
   * deploy), {@link #USAGE} (configuration to fix), {@link #REGISTRY} (inconclusive: a retry may pass), {@link #OK}.
   */
  public static int worst(final int a, final int b) {
    return rank(a) >= rank(b) ? a : b;
  }

  private static int rank(final int code) {
    return switch (code) {
      case OK -> 0;
      case REGISTRY -> 1;
      case USAGE -> 2;
      case VERIFICATION_FAILED -> 3;
      default -> 4; // an unknown code is never hidden behind a known one
    };
  }
}
