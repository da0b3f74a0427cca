package dev.sigstream.app.notifier;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code sigstream notifier}: notifier operations; {@code replay} re-delivers its dead letters. */
@Command(name = "notifier", mixinStandardHelpOptions = true,
    description = "Notifier operations (see docs/notifier.md).",
    subcommands = {ReplayCommand.class})
public final class NotifierCommand implements Runnable {

  @Spec
  CommandSpec spec;

  @Override
  public void run() {
    throw new CommandLine.ParameterException(spec.commandLine(), "missing subcommand (one of: replay)");
  }
}
