package dev.sigstream.bench;

import dev.sigstream.kafka.embedded.EmbeddedKafkaBroker;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The Kafka broker of a load generator: in a JVM of its own by default, as in production (the verifier's pod talks to
 * a Kafka cluster; only {@code sigstream run} embeds the broker in the service's JVM), so the broker's heap and GC
 * pauses are not the measured service's, while its CPU still shares the same cores. {@code inProcess} keeps it in
 * this JVM (the one-command start's layout). Either way it is the same {@link EmbeddedKafkaBroker}.
 *
 * <p>The child's protocol: it prints {@code bootstrap HOST:PORT} once the broker accepts connections, and stops when
 * its stdin ends (so it never outlives a generator that died).
 */
public final class BrokerProcess implements AutoCloseable {

  private final EmbeddedKafkaBroker inProcess;
  private final Process process;
  private final PrintStream stdin;
  private final String bootstrap;

  private BrokerProcess(final EmbeddedKafkaBroker inProcess, final Process process, final PrintStream stdin,
      final String bootstrap) {
    this.inProcess = inProcess;
    this.process = process;
    this.stdin = stdin;
    this.bootstrap = bootstrap;
  }

  /** A started broker: in this JVM when {@code inProcess}, else in a child JVM ({@code -Xmx1g}, the JVM's default GC). */
  public static BrokerProcess start(final boolean inProcess) throws IOException {
    if (inProcess) {
      final EmbeddedKafkaBroker b = EmbeddedKafkaBroker.builder()
          .dataDir(Files.createTempDirectory("sigstream-bench-kafka")).build().start();
      return new BrokerProcess(b, null, null, b.bootstrapServers());
    }
    final String java = ProcessHandle.current().info().command().orElse("java");
    // -Dsigstream.bench.brokerJvmOptions="..." adds options to the broker's JVM (a profiler, GC logging).
    final List<String> command = new java.util.ArrayList<>(List.of(java, "-Xmx1g"));
    final String extra = System.getProperty("sigstream.bench.brokerJvmOptions", "").trim();
    if (!extra.isEmpty()) {
      command.addAll(List.of(extra.split("\\s+")));
    }
    command.addAll(List.of("-cp", System.getProperty("java.class.path"), BrokerProcess.class.getName()));
    final Process p = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT).start();
    final BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
    String line;
    do {
      line = out.readLine();
    } while (line != null && !line.startsWith("bootstrap "));
    if (line == null) {
      p.destroyForcibly();
      throw new IllegalStateException("the broker's JVM ended before its broker started");
    }
    // The child's stdout is not read any further: it prints nothing more (its logging goes to stderr).
    return new BrokerProcess(null, p, new PrintStream(p.getOutputStream(), true, StandardCharsets.UTF_8),
        line.substring("bootstrap ".length()).trim());
  }

  public String bootstrapServers() {
    return bootstrap;
  }

  /** Where the broker runs, for a generator's header. */
  public String describe() {
    return process == null ? "in this JVM" : "in a JVM of its own (pid " + process.pid() + ")";
  }

  /** CPU time the broker's own JVM has used so far; 0 when it runs in this JVM (its CPU is then this JVM's). */
  public long cpuNanos() {
    return process == null ? 0 : process.toHandle().info().totalCpuDuration().map(Duration::toNanos).orElse(0L);
  }

  @Override
  public void close() throws InterruptedException {
    if (inProcess != null) {
      inProcess.close();
      return;
    }
    stdin.close();
    if (!process.waitFor(60, TimeUnit.SECONDS)) {
      process.destroyForcibly();
    }
  }

  /** The child: starts the broker, prints its address, and stops when stdin ends. */
  public static void main(final String[] args) throws Exception {
    // Logging to stderr only: stdout carries the protocol line.
    final PrintStream protocol = System.out;
    System.setOut(System.err);
    ((ch.qos.logback.classic.Logger) org.slf4j.LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME))
        .setLevel(ch.qos.logback.classic.Level.WARN);
    try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.builder()
        .dataDir(Files.createTempDirectory("sigstream-bench-kafka")).build().start()) {
      protocol.println("bootstrap " + broker.bootstrapServers());
      protocol.flush();
      final BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
      while (in.readLine() != null) {
        // Nothing is asked of the broker on stdin; its end is the signal to stop.
      }
    }
    System.exit(0);
  }
}
