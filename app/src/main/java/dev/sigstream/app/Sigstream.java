package dev.sigstream.app;

import dev.sigstream.app.cli.Version;
import dev.sigstream.app.cli.ExitCodes;
import java.io.PrintWriter;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * The {@code sigstream} command.
 *
 * <p>Exit codes (all subcommands): 0 success, 1 verification failed, 2 usage or configuration error, 3 registry or
 * network error. Errors print one line; {@code --debug} adds the stack trace.
 */
@Command(
    name = "sigstream",
    mixinStandardHelpOptions = true,
    versionProvider = Version.class,
    description = "Push-time supply-chain verification for OCI registries.")
public final class Sigstream {

  /**
   * The subcommands, in help order. Added in code rather than in {@code @Command(subcommands)} so that a process
   * running one command builds only that command's model (picocli reflects over every option of every subcommand
   * it is given; {@code run} alone has dozens).
   */
  private static final java.util.List<String> ORDER = java.util.List.of("run", "demo", "verify", "sign", "inspect",
      "discover", "attach", "notifier");

  /** A new instance of the named subcommand. A switch, not a map of constructors: no other class is loaded. */
  private static Object command(final String name) {
    return switch (name) {
      case "run" -> new RunCommand();
      case "verify" -> new dev.sigstream.app.cli.VerifyCommand();
      case "sign" -> new dev.sigstream.app.cli.SignCommand();
      case "inspect" -> new dev.sigstream.app.cli.InspectCommand();
      case "discover" -> new dev.sigstream.app.cli.DiscoverCommand();
      case "demo" -> new dev.sigstream.app.demo.DemoCommand();
      case "attach" -> new dev.sigstream.app.cli.AttachCommand();
      case "notifier" -> new dev.sigstream.app.notifier.NotifierCommand();
      default -> throw new IllegalArgumentException(name);
    };
  }


  @Option(names = "--debug", scope = CommandLine.ScopeType.INHERIT, description = "Print stack traces on errors.")
  boolean debug;

  public static void main(final String[] args) {
    // First, before anything uses CompletableFuture: a pooled default executor on small machines (see CommonPool).
    dev.sigstream.net.CommonPool.ensureParallelism();
    dev.sigstream.app.cli.CommandStart.markProcessStart();
    dev.sigstream.app.cli.StartupTiming.mark("main");
    dev.sigstream.app.cli.CliLogging.markCliProcess(args);
    dev.sigstream.app.cli.Prewarm.start(args);
    final int exit = newCommandLine(commandNamed(args)).execute(args);
    dev.sigstream.app.cli.StartupTiming.mark("exit " + exit);
    dev.sigstream.app.cli.StartupTiming.threads();
    System.exit(exit);
  }

  /** A fully configured command line (exit codes, error handlers); tests execute it in-process. */
  public static CommandLine newCommandLine() {
    return newCommandLine(null);
  }

  /** The subcommand {@code args} run (their first word that is not an option), or null for none or unknown. */
  private static String commandNamed(final String[] args) {
    for (final String a : args) {
      if (!a.startsWith("-")) {
        return ORDER.contains(a) ? a : null;
      }
    }
    return null;
  }

  /** The command line with every subcommand, or with {@code only} when it names one. */
  static CommandLine newCommandLine(final String only) {
    final CommandLine cl = new CommandLine(new Sigstream());
    dev.sigstream.app.cli.StartupTiming.mark("picocli: root command built (picocli's own start-up)");
    for (final String name : ORDER) {
      if (only == null || only.equals(name)) {
        cl.addSubcommand(name, command(name));
      }
    }
    dev.sigstream.app.cli.StartupTiming.mark("picocli: subcommand model built (reflection over its options)");
    cl.setExitCodeExceptionMapper(e -> e instanceof ConfigException || e instanceof CommandLine.ParameterException
        ? ExitCodes.USAGE : ExitCodes.REGISTRY);
    cl.setParameterExceptionHandler((e, args) -> {
      final PrintWriter err = e.getCommandLine().getErr();
      err.println("sigstream: " + dev.sigstream.app.cli.TerminalSafe.line(e.getMessage()));
      err.println("Try '" + e.getCommandLine().getCommandSpec().qualifiedName() + " --help'.");
      return ExitCodes.USAGE;
    });
    cl.setExecutionExceptionHandler((e, commandLine, parseResult) -> {
      final PrintWriter err = commandLine.getErr();
      err.println("sigstream: " + dev.sigstream.app.cli.TerminalSafe.line(e.getMessage() == null
          ? e.getClass().getSimpleName() : e.getMessage()));
      if (isDebug(parseResult)) {
        e.printStackTrace(err);
      }
      err.flush();
      return e instanceof ConfigException ? ExitCodes.USAGE : commandLine.getExitCodeExceptionMapper().getExitCode(e);
    });
    return cl;
  }

  private static boolean isDebug(final CommandLine.ParseResult pr) {
    for (CommandLine.ParseResult r = pr; r != null; r = r.subcommand()) {
      if (r.hasMatchedOption("--debug")) {
        return true;
      }
    }
    return false;
  }
}
