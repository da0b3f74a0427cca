package dev.sigstream.app.demo;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.File;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A CNCF Distribution registry (Debian's {@code docker-registry}) on loopback whose push notifications go to
 * Sigstream's ingest. Its own small launcher rather than the test harness in {@code testing} (test-scoped, with
 * basic and token auth, a token server and Testcontainers): the demo needs one thing, an anonymous loopback registry
 * with a notification endpoint, and production code may not depend on test code.
 */
public final class DemoRegistry implements AutoCloseable {

  static final String BINARY = "docker-registry";
  static final String INSTALL_HINT = "sigstream demo needs Debian's docker-registry package (CNCF Distribution): "
      + "sudo apt-get install docker-registry";

  private final Process process;
  private final String host;
  private final Path log;
  private final Thread hook;

  private DemoRegistry(final Process process, final String host, final Path log) {
    this.process = process;
    this.host = host;
    this.log = log;
    // However the JVM ends (Ctrl-C, a crash in the demo), the registry process ends with it.
    this.hook = new Thread(this::stop, "sigstream-demo-registry-stop");
    Runtime.getRuntime().addShutdownHook(hook);
  }

  /** Whether {@code docker-registry} is on the PATH. */
  static boolean available() {
    final String path = System.getenv("PATH");
    return path != null && Stream.of(path.split(File.pathSeparator)).anyMatch(d -> Files.isExecutable(Path.of(d, BINARY)));
  }

  /**
   * Writes the registry's {@code config.yml} under {@code dir}: storage there, listening on {@code host}, a
   * notification endpoint at {@code notifyUrl} sending {@code Authorization: authorization}, manifest events only
   * (blob uploads are {@code application/octet-stream}; pulls are ignored).
   */
  public static Path writeConfig(final Path dir, final String host, final URI notifyUrl, final String authorization)
      throws IOException {
    final Map<String, Object> endpoint = new LinkedHashMap<>();
    endpoint.put("name", "sigstream");
    endpoint.put("url", notifyUrl.toString());
    endpoint.put("headers", Map.of("Authorization", List.of(authorization)));
    endpoint.put("timeout", "2s");
    endpoint.put("threshold", 3);
    endpoint.put("backoff", "1s");
    endpoint.put("ignoredmediatypes", List.of("application/octet-stream"));
    endpoint.put("ignore", Map.of("actions", List.of("pull")));
    final Map<String, Object> config = new LinkedHashMap<>();
    config.put("version", "0.1");
    config.put("log", Map.of("level", "warn", "accesslog", Map.of("disabled", true)));
    config.put("storage", Map.of("filesystem", Map.of("rootdirectory", dir.resolve("data").toString()),
        "delete", Map.of("enabled", true)));
    config.put("http", Map.of("addr", host, "secret", Long.toHexString(new java.security.SecureRandom().nextLong())));
    config.put("notifications", Map.of("endpoints", List.of(endpoint)));
    Files.createDirectories(dir);
    final Path file = dir.resolve("config.yml");
    new ObjectMapper(new YAMLFactory()).writeValue(file.toFile(), config);
    return file;
  }

  /** Starts the registry with {@code config} and waits (at most 20 s) until {@code /v2/} answers. */
  static DemoRegistry start(final Path config, final String host) throws IOException {
    if (!available()) {
      throw new IllegalStateException(INSTALL_HINT);
    }
    final Path log = config.resolveSibling("registry.log");
    final Process p = new ProcessBuilder(BINARY, "serve", config.toString())
        .redirectErrorStream(true).redirectOutput(log.toFile()).start();
    final DemoRegistry r = new DemoRegistry(p, host, log);
    try {
      r.awaitReady();
    } catch (final RuntimeException e) {
      r.close();
      throw e;
    }
    return r;
  }

  private void awaitReady() {
    final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofMillis(500)).build();
    final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
    while (System.nanoTime() < deadline) {
      if (!process.isAlive()) {
        throw new IllegalStateException("docker-registry exited with " + process.exitValue() + "; see " + log);
      }
      try {
        final int code = http.send(HttpRequest.newBuilder(URI.create("http://" + host + "/v2/"))
            .timeout(Duration.ofSeconds(1)).build(), HttpResponse.BodyHandlers.discarding()).statusCode();
        if (code == 200) {
          return;
        }
      } catch (final IOException e) {
        // not listening yet
      } catch (final InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted while starting docker-registry", e);
      }
      try {
        Thread.sleep(50);
      } catch (final InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted while starting docker-registry", e);
      }
    }
    throw new IllegalStateException("docker-registry did not answer on http://" + host + "/v2/ within 20 s; see " + log);
  }

  String host() {
    return host;
  }

  @Override
  public void close() {
    stop();
    try {
      Runtime.getRuntime().removeShutdownHook(hook);
    } catch (final IllegalStateException e) {
      // the JVM is already shutting down: the hook runs or has run
    }
  }

  private void stop() {
    process.destroy();
    try {
      if (!process.waitFor(5, TimeUnit.SECONDS)) {
        process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
      }
    } catch (final InterruptedException e) {
      Thread.currentThread().interrupt();
      process.destroyForcibly();
    }
  }
}
