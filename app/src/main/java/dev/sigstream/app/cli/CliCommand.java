package dev.sigstream.app.cli;

import dev.sigstream.oci.FetchResult;
import dev.sigstream.oci.Reference;
import dev.sigstream.verifier.core.FetchProblem;
import dev.sigstream.verifier.core.Reason;
import java.io.InputStream;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * Shared behaviour of the CLI commands: one-line errors with documented exit codes, the stack trace only under
 * {@code --debug}, logging to stderr (stdout carries only the command's output, so JSON stays parseable).
 *
 * <p>Process context (environment, stdin, clock, home directory) sits in package-private fields so in-process tests
 * can replace it; nothing heavy is initialised before {@link #run()}, which keeps {@code --help} fast.
 */
abstract class CliCommand implements Callable<Integer> {

  @Spec
  CommandSpec spec;

  Map<String, String> env = System.getenv();
  InputStream stdin = System.in;
  Clock clock = Clock.systemUTC();
  Path userHome = Path.of(System.getProperty("user.home", "."));

  /** When this command started (monotonic nanoseconds), for the per-artifact deadline: see {@link CommandStart}. */
  long startNanos = System.nanoTime();

  /** The command's work; returns the exit code. */
  abstract int run() throws Exception;

  @Override
  public final Integer call() throws Exception {
    startNanos = CommandStart.origin();
    StartupTiming.mark("options parsed (picocli)");
    final boolean debug = debug();
    CliLogging.configure(debug);
    StartupTiming.mark("logging configured");
    // Everything a command prints passes through the terminal-safe filter: registry- or signer-supplied text
    // (subjects, media types, details) cannot carry escape sequences or fake lines. Escaping keeps JSON valid.
    final CommandLine cl = spec.commandLine();
    cl.setOut(TerminalSafe.writer(cl.getOut()));
    cl.setErr(TerminalSafe.writer(cl.getErr()));
    try {
      return run();
    } catch (final CliException e) {
      final PrintWriter err = err();
      err.println("sigstream: " + TerminalSafe.line(e.getMessage()));
      if (debug) {
        e.printStackTrace(err);
      }
      err.flush();
      return e.exitCode();
    } catch (final StackOverflowError e) {
      // Never expected (parsers are iterative); if it happens, still one line and exit 3, not a crash.
      throw new IllegalStateException("internal error: stack overflow", e);
    } finally {
      out().flush();
      err().flush();
    }
  }

  PrintWriter out() {
    return spec.commandLine().getOut();
  }

  PrintWriter err() {
    return spec.commandLine().getErr();
  }

  boolean debug() {
    for (CommandLine.ParseResult r = spec.root().commandLine().getParseResult(); r != null; r = r.subcommand()) {
      if (r.hasMatchedOption("--debug")) {
        return true;
      }
    }
    return false;
  }

  static Reference parseReference(final String s) {
    try {
      return Reference.parse(s);
    } catch (final IllegalArgumentException e) {
      throw CliException.usage("invalid reference: " + e.getMessage());
    }
  }

  /**
   * A registry problem as a CLI error: a host outside the allowlist needs {@code --allow-registry} (usage, exit 2),
   * anything else is the registry's or the network's (exit 3).
   */
  static CliException failure(final FetchProblem p) {
    return p.reason() == Reason.REGISTRY_NOT_ALLOWED ? CliException.usage(p.detail()) : CliException.registry(p.detail());
  }

  /** The value of a registry result, or the CLI error for its failure. */
  static <T> T found(final FetchResult<T> r, final String what) {
    if (r instanceof FetchResult.Found<T> f) {
      return f.value();
    }
    throw failure(FetchProblem.of(r, what));
  }
}
