package dev.sigstream.app.cli;

import java.io.ByteArrayInputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;
import picocli.CommandLine;

/** Runs {@code sigstream} in-process (the real command line with its handlers) with captured output. */
final class Cli {

  record Result(int exit, String out, String err) {
    @Override
    public String toString() {
      return "exit " + exit + "\n--- stdout\n" + out + "--- stderr\n" + err;
    }
  }

  private Map<String, String> env = Map.of();
  private Clock clock = Clock.systemUTC();
  private String stdin = "";
  private Path home = Path.of("/nonexistent-home");

  Cli env(final Map<String, String> e) {
    this.env = e;
    return this;
  }

  Cli clock(final Clock c) {
    this.clock = c;
    return this;
  }

  Cli stdin(final String s) {
    this.stdin = s;
    return this;
  }

  Cli home(final Path h) {
    this.home = h;
    return this;
  }

  Result run(final String... args) {
    final CommandLine cl = newCommandLine();
    final StringWriter out = new StringWriter();
    final StringWriter err = new StringWriter();
    cl.setOut(new PrintWriter(out, true));
    cl.setErr(new PrintWriter(err, true));
    for (final CommandLine sub : cl.getSubcommands().values()) {
      if (sub.getCommand() instanceof CliCommand c) {
        // Context of this invocation only: no test reads the real environment, home or stdin.
        c.env = env;
        c.clock = clock;
        c.stdin = new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8));
        c.userHome = home;
      }
    }
    final int exit = cl.execute(args);
    return new Result(exit, out.toString(), err.toString());
  }

  static CommandLine newCommandLine() {
    return dev.sigstream.app.Sigstream.newCommandLine();
  }
}
