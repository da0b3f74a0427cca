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
    description = "Push-time supply-chain verification for OCI registries.",
    subcommands = {RunCommand.class, dev.sigstream.app.cli.VerifyCommand.class, dev.sigstream.app.cli.SignCommand.class,
        dev.sigstream.app.cli.InspectCommand.class, dev.sigstream.app.cli.DiscoverCommand.class, dev.sigstream.app.notifier.NotifierCommand.class})
public final class Sigstream {


  @Option(names = "--debug", scope = CommandLine.ScopeType.INHERIT, description = "Print stack traces on errors.")
  boolean debug;

  public static void main(final String[] args) {
    dev.sigstream.app.cli.CommandStart.markProcessStart();
    System.exit(newCommandLine().execute(args));
  }

  /** A fully configured command line (exit codes, error handlers); tests execute it in-process. */
  public static CommandLine newCommandLine() {
    final CommandLine cl = new CommandLine(new Sigstream());
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
