package dev.sigstream.notifier;

import dev.sigstream.notifier.route.RoutingConfig;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Path;

/**
 * A notifier in a JVM of its own, so a test can kill it (SIGKILL: no shutdown hook, no close, no final commit).
 * Arguments: bootstrap servers, routing file, application id prefix, verdicts topic, dead-letter topic, state
 * directory. Prints {@code RUNNING} once every destination runs.
 */
public final class NotifierProcess {

  private NotifierProcess() {}

  public static void main(final String[] args) throws InterruptedException {
    final NotifierConfig c = new NotifierConfig(RoutingConfig.load(Path.of(args[1]), System.getenv()), args[2], args[3], args[4], Path.of(args[5]));
    final NotifierService svc = NotifierService.start(c, args[0], new SimpleMeterRegistry());
    while (!svc.running()) {
      Thread.sleep(50);
    }
    System.out.println("RUNNING");
    System.out.flush();
    Thread.sleep(Long.MAX_VALUE);
  }
}
