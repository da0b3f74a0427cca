package dev.sigstream.app.notifier;

import dev.sigstream.schemas.KafkaConnection;
import dev.sigstream.app.cli.ExitCodes;
import dev.sigstream.app.cli.TerminalSafe;
import dev.sigstream.notifier.DlqReplay;
import dev.sigstream.notifier.NotifierConfig;
import dev.sigstream.notifier.route.RoutingConfigException;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.kafka.common.KafkaException;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code sigstream notifier replay}: delivers the notifier's dead letters ({@code notifications.dlq.v1}) again,
 * through the same channels, pacing and retries, with recovery on (a ticket that did get created is found by its
 * dedupe label, not opened twice). What fails again is dead-lettered again.
 */
@Command(name = "replay", mixinStandardHelpOptions = true, sortOptions = false,
    description = {"Deliver the notifier's dead letters again.",
        "Reads notifications.dlq.v1 up to its current end; each letter of a configured destination (optionally one,",
        "optionally failed at or after --since) is delivered again with ticket lookup first. Letters that fail again",
        "are written to the dead-letter topic again. Secrets are read as the routing file names them (env: or file:)."},
    exitCodeListHeading = "%nExit codes:%n",
    exitCodeList = {"0:every replayed letter was delivered (or none matched)", "1:some letters failed again (dead-lettered again)",
        "2:usage or configuration error", "3:Kafka unreachable"})
public final class ReplayCommand implements Callable<Integer> {

  private static final Pattern AGO = Pattern.compile("(\\d{1,9})(m|h|d)");

  @Spec
  CommandSpec spec;

  @Option(names = "--bootstrap-servers", paramLabel = "HOST:PORT[,...]",
      description = "Kafka (default: $SIGSTREAM_KAFKA_BOOTSTRAP_SERVERS, else the embedded broker of 'sigstream run', 127.0.0.1:9092).")
  String bootstrapServers;

  @Option(names = "--kafka-client-config", paramLabel = "FILE",
      description = "Kafka client security properties (default: $SIGSTREAM_KAFKA_CLIENT_CONFIG; docs/operations.md).")
  Path kafkaClientConfig;

  @Option(names = "--routes", paramLabel = "FILE",
      description = "The notifier's routing file (default: $SIGSTREAM_NOTIFIER_ROUTES_FILE).")
  Path routes;

  @Option(names = "--destination", paramLabel = "NAME", description = "Only this destination's letters.")
  String destination;

  @Option(names = "--since", paramLabel = "WHEN",
      description = "Only letters that failed at or after this: an ISO instant (2026-01-01T00:00:00Z) or an age (30m, 4h, 2d).")
  String since;

  /** Process context; tests replace it. */
  Map<String, String> env = System.getenv();
  Clock clock = Clock.systemUTC();

  @Override
  public Integer call() throws InterruptedException {
    final PrintWriter out = spec.commandLine().getOut();
    final PrintWriter err = spec.commandLine().getErr();
    final Path file = Optional.ofNullable(routes)
        .or(() -> Optional.ofNullable(env.get(NotifierConfig.ROUTES_FILE_ENV)).filter(s -> !s.isBlank()).map(Path::of))
        .orElseThrow(() -> new CommandLine.ParameterException(spec.commandLine(),
            "--routes FILE is required (or set " + NotifierConfig.ROUTES_FILE_ENV + ")"));
    final Instant from = since == null ? Instant.EPOCH : parseSince(since);
    final String bootstrap = Optional.ofNullable(bootstrapServers)
        .or(() -> Optional.ofNullable(env.get("SIGSTREAM_KAFKA_BOOTSTRAP_SERVERS")).filter(s -> !s.isBlank()))
        .orElse("127.0.0.1:9092");
    final Optional<Path> clientConfig = Optional.ofNullable(kafkaClientConfig)
        .or(() -> Optional.ofNullable(env.get("SIGSTREAM_KAFKA_CLIENT_CONFIG")).filter(s -> !s.isBlank()).map(Path::of));
    final KafkaConnection kafka;
    try {
      kafka = clientConfig.map(c -> KafkaConnection.load(bootstrap, c)).orElseGet(() -> KafkaConnection.plaintext(bootstrap));
    } catch (KafkaConnection.Invalid e) {
      err.println("sigstream: invalid Kafka client configuration:");
      e.problems().forEach(p -> err.println("  " + TerminalSafe.line(p)));
      err.flush();
      return ExitCodes.USAGE;
    }
    final NotifierConfig config;
    try {
      config = NotifierConfig.load(Optional.of(file), env, tempStateDir());
    } catch (RoutingConfigException e) {
      err.println("sigstream: " + TerminalSafe.line(file + ": invalid routing file:"));
      e.problems().forEach(p -> err.println("  " + TerminalSafe.line(p)));
      err.flush();
      return ExitCodes.USAGE;
    }
    if (destination != null && !config.routing().destinations().containsKey(destination)) {
      throw new CommandLine.ParameterException(spec.commandLine(), "--destination: no destination '" + destination + "' in " + file
          + " (" + String.join(", ", config.routing().destinations().keySet()) + ")");
    }
    final DlqReplay.Result r;
    try {
      r = DlqReplay.replay(config, kafka, Optional.ofNullable(destination), from, new SimpleMeterRegistry());
    } catch (KafkaException e) {
      err.println("sigstream: cannot read " + config.dlqTopic() + ": " + TerminalSafe.line(kafka.explain(e)));
      err.flush();
      return ExitCodes.REGISTRY;
    }
    out.printf("replayed %s: read %d, delivered %d, failed again %d, skipped %d%n", config.dlqTopic(), r.read(), r.delivered(), r.failedAgain(),
        r.skipped());
    out.flush();
    return r.failedAgain() == 0 ? ExitCodes.OK : 1;
  }

  private Instant parseSince(final String s) {
    final Matcher m = AGO.matcher(s.trim());
    if (m.matches()) {
      final long n = Long.parseLong(m.group(1));
      final Duration d = switch (m.group(2)) {
        case "m" -> Duration.ofMinutes(n);
        case "h" -> Duration.ofHours(n);
        default -> Duration.ofDays(n);
      };
      return clock.instant().minus(d);
    }
    try {
      return Instant.parse(s.trim());
    } catch (DateTimeParseException e) {
      throw new CommandLine.ParameterException(spec.commandLine(), "--since: expected an ISO instant (2026-01-01T00:00:00Z) or an age"
          + " (30m, 4h, 2d), got '" + s + "'");
    }
  }

  private static Path tempStateDir() {
    try {
      // The replay runs no Kafka Streams application; NotifierConfig only names a state directory.
      return Files.createTempDirectory("sigstream-notifier-replay");
    } catch (java.io.IOException e) {
      throw new IllegalStateException("cannot create a temporary directory", e);
    }
  }
}
