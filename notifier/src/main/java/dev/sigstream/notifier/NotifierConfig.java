package dev.sigstream.notifier;

import dev.sigstream.notifier.route.RoutingConfig;
import dev.sigstream.schemas.Topics;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

/**
 * What the notifier needs beyond Kafka's address.
 *
 * @param routing destinations, rules and lifecycle timings
 * @param applicationIdPrefix each destination runs as Kafka Streams application {@code <prefix>-<destination>}
 * @param verdictsTopic the topic read ({@code verdicts.v1})
 * @param dlqTopic where undeliverable notifications go ({@code notifications.dlq.v1})
 * @param stateDir Kafka Streams state directory (stores are in memory; it holds locks and checkpoints)
 */
public record NotifierConfig(RoutingConfig routing, String applicationIdPrefix, String verdictsTopic, String dlqTopic, Path stateDir) {

  /** Environment variable naming the routing file (YAML, see docs/notifier.md). */
  public static final String ROUTES_FILE_ENV = "SIGSTREAM_NOTIFIER_ROUTES_FILE";

  /** Every verdict to the console: what {@code sigstream run} does with no routing file. */
  public static NotifierConfig consoleDefault(final Path stateDir) {
    return new NotifierConfig(RoutingConfig.consoleDefault(), "sigstream-notifier", Topics.VERDICTS, Topics.NOTIFICATIONS_DLQ, stateDir);
  }

  /**
   * The routing file when one is named (argument, else {@value #ROUTES_FILE_ENV}), else the console default.
   * Secrets are resolved from {@code env}; templates are rendered and validated ({@link Channels#checkTemplates});
   * every problem is reported in one {@code RoutingConfigException}.
   */
  public static NotifierConfig load(final Optional<Path> routesFile, final Map<String, String> env, final Path stateDir) {
    final Optional<Path> file = routesFile.or(() -> Optional.ofNullable(env.get(ROUTES_FILE_ENV)).filter(s -> !s.isBlank()).map(Path::of));
    final RoutingConfig routing = file.map(f -> RoutingConfig.load(f, env, Channels::checkTemplates)).orElseGet(RoutingConfig::consoleDefault);
    return new NotifierConfig(routing, "sigstream-notifier", Topics.VERDICTS, Topics.NOTIFICATIONS_DLQ, stateDir);
  }

  @Override
  public String toString() {
    // Secrets print as Secret[env:NAME] (see Secret.toString).
    return "NotifierConfig{destinations=" + routing.destinations().values().stream().map(d -> d.name() + ":" + d.type().id()).toList()
        + ", rules=" + routing.rules().size() + ", verdicts=" + verdictsTopic + ", dlq=" + dlqTopic + "}";
  }
}
