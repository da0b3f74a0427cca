package dev.sigstream.app;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code sigstream} command. */
@Command(
    name = "sigstream",
    mixinStandardHelpOptions = true,
    versionProvider = Version.class,
    description = "Push-time supply-chain verification for OCI registries.",
    subcommands = {RunCommand.class})
public final class Sigstream {

  public static void main(final String[] args) {
    System.exit(newCommandLine().execute(args));
  }

  static CommandLine newCommandLine() {
    return new CommandLine(new Sigstream());
  }
}
