package dev.sigstream.app;

import dev.sigstream.ingest.IngestConfig;
import java.nio.file.Path;
import java.time.Duration;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code sigstream run}: the all-in-one pipeline in one JVM, on an embedded Kafka broker by default. */
@Command(name = "run", mixinStandardHelpOptions = true,
    description = {"Start the all-in-one pipeline in this JVM.",
        "Uses an embedded Kafka broker (data under --data-dir) unless --bootstrap-servers names a cluster.",
        "Configuration: sigstream.yaml, then SIGSTREAM_* environment variables, then these flags."})
final class RunCommand implements Callable<Integer> {

  private static final Logger log = LoggerFactory.getLogger(RunCommand.class);

  @Option(names = "--config", paramLabel = "FILE", description = "Configuration file (default: ./sigstream.yaml if present).")
  Path configFile;

  @Option(names = "--bootstrap-servers", paramLabel = "HOST:PORT[,...]", description = "Use this Kafka cluster instead of the embedded broker.")
  String bootstrapServers;

  @Option(names = "--kafka-client-config", paramLabel = "FILE", description = "Kafka client security properties"
      + " (security.protocol, sasl.*, ssl.*) for --bootstrap-servers (docs/operations.md).")
  Path kafkaClientConfig;

  @Option(names = "--data-dir", paramLabel = "DIR", description = "Embedded broker data directory (default: ./.sigstream).")
  Path dataDir;

  @Option(names = "--http-port", paramLabel = "PORT", description = "HTTP port (default: 8080; 0 = any free port).")
  Integer httpPort;

  @Option(names = "--kafka-port", paramLabel = "PORT", description = "Embedded broker port (default: 9092; 0 = any free port).")
  Integer kafkaPort;

  @Override
  public Integer call() throws InterruptedException {
    final long t0 = System.nanoTime();
    final Map<SigstreamConfig.Key, String> flags = new EnumMap<>(SigstreamConfig.Key.class);
    if (bootstrapServers != null) {
      flags.put(SigstreamConfig.Key.KAFKA_BOOTSTRAP_SERVERS, bootstrapServers);
    }
    if (kafkaClientConfig != null) {
      flags.put(SigstreamConfig.Key.KAFKA_CLIENT_CONFIG, kafkaClientConfig.toString());
    }
    if (dataDir != null) {
      flags.put(SigstreamConfig.Key.DATA_DIR, dataDir.toString());
    }
    if (httpPort != null) {
      flags.put(SigstreamConfig.Key.HTTP_PORT, httpPort.toString());
    }
    if (kafkaPort != null) {
      flags.put(SigstreamConfig.Key.KAFKA_PORT, kafkaPort.toString());
      if (kafkaPort == 0) {
        flags.put(SigstreamConfig.Key.KAFKA_CONTROLLER_PORT, "0");
      }
    }
    // Both configurations are validated before anything starts, and their problems reported together.
    final java.util.List<String> problems = new java.util.ArrayList<>();
    SigstreamConfig config = null;
    IngestConfig ingest = null;
    try {
      config = SigstreamConfig.load(configFile, System.getenv(), flags);
    } catch (ConfigException e) {
      problems.addAll(e.problems());
    }
    try {
      ingest = IngestConfig.fromEnv(System.getenv());
    } catch (IngestConfig.Invalid e) {
      problems.addAll(e.problems());
    }
    if (!problems.isEmpty()) {
      throw new ConfigException(problems);
    }
    log.info("Starting with {}", config);

    final SigstreamRuntime runtime = new SigstreamRuntime(config, ingest).start();
    final CountDownLatch stopped = new CountDownLatch(1);
    final Thread hook = new Thread(() -> {
      log.info("Shutting down");
      runtime.close();
      stopped.countDown();
    }, "sigstream-shutdown");
    Runtime.getRuntime().addShutdownHook(hook);
    log.info(runtime.readyLine(Duration.ofNanos(System.nanoTime() - t0)));
    stopped.await();
    return 0;
  }
}
