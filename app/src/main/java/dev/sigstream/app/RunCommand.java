package dev.sigstream.app;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;

/** {@code sigstream run}: the all-in-one pipeline. */
@Command(name = "run", description = "Start the all-in-one pipeline on an embedded Kafka broker.")
final class RunCommand implements Callable<Integer> {
  @Override
  public Integer call() {
    return 0;
  }
}
