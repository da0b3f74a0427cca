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
}
