package dev.sigstream.testing.registry;

import java.io.IOException;
import java.net.HttpURLConnection;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.stream.Stream;

/** CNCF Distribution from the Debian package, as a child process on a free loopback port. */
final class DistributionProcess implements TestRegistry {

  static final String BINARY = "docker-registry";
  private static final long READY_TIMEOUT_NANOS = TimeUnit.SECONDS.toNanos(20);

  private final Path dir;
  private final Process process;
  private final String host;
  private final RegistryAuth auth;
  private final String username;
  private final String password;
  private final TokenServer tokens;
  private final Thread hook;
  private volatile boolean closed;

  private DistributionProcess(final Path dir, final Process process, final String host, final RegistryAuth auth,
      final String username, final String password, final TokenServer tokens) {
    this.dir = dir;
    this.process = process;
    this.host = host;
    this.auth = auth;
    this.username = username;
    this.password = password;
    this.tokens = tokens;
    // On JVM exit without close() (crash, Ctrl-C), still kill the registry and remove its storage.
    this.hook = new Thread(() -> {
      stopProcess();
      deleteDir();
    }, "docker-registry-stop");
    Runtime.getRuntime().addShutdownHook(hook);
  }

  static boolean binaryAvailable() {
    return onPath(BINARY);
  }

  static DistributionProcess start(final RegistryAuth auth) throws IOException {
    return start(auth, BINARY);
  }

  static DistributionProcess start(final RegistryAuth auth, final String binary) throws IOException {
    if (!onPath(binary)) {
      throw new IllegalStateException(Registries.INSTALL_HINT + " ('" + binary + "' is not on the PATH)");
    }
    IllegalStateException last = null;
    // A free port can be taken between probing and binding; retry a few times on that race only.
    for (int attempt = 0; attempt < 3; attempt++) {
      try {
        return startOnce(auth, binary);
      } catch (PortTakenException e) {
        last = e;
      }
    }
    throw last;
  }

  private static final class PortTakenException extends IllegalStateException {
    private static final long serialVersionUID = 1L;

    PortTakenException(final String msg) {
      super(msg);
    }
  }

  private static DistributionProcess startOnce(final RegistryAuth auth, final String binary) throws IOException {
    final Path dir = Files.createTempDirectory("sigstream-registry-");
    final int port = freePort();
    final String host = "127.0.0.1:" + port;
    final String user = auth == RegistryAuth.NONE ? null : "sigstream";
    final String pass = auth == RegistryAuth.NONE ? null : "s3cret-" + Long.toHexString(System.nanoTime());
    TokenServer tokens = null;
    final StringBuilder yml = new StringBuilder()
        .append("version: 0.1\n")
        .append("log:\n  level: warn\n  accesslog:\n    disabled: true\n")
        .append("storage:\n  filesystem:\n    rootdirectory: ").append(dir.resolve("data")).append('\n')
        .append("  delete:\n    enabled: true\n")
        // As production registries run it: blob descriptors cached, not stat'ed on every request.
        .append("  cache:\n    blobdescriptor: inmemory\n")
        .append("http:\n  addr: ").append(host).append('\n')
        .append("  secret: ").append(Long.toHexString(System.nanoTime())).append('\n');
    if (auth == RegistryAuth.BASIC) {
      final Path htpasswd = dir.resolve("htpasswd");
      Files.writeString(htpasswd, htpasswd(user, pass));
      yml.append("auth:\n  htpasswd:\n    realm: sigstream-test\n    path: ").append(htpasswd).append('\n');
    } else if (auth == RegistryAuth.BEARER) {
      tokens = new TokenServer(user, pass);
      final Path bundle = dir.resolve("token-root.pem");
      tokens.writeRootBundle(bundle);
      yml.append("auth:\n  token:\n    realm: ").append(tokens.realm()).append('\n')
          .append("    service: ").append(TokenServer.SERVICE).append('\n')
          .append("    issuer: ").append(TokenServer.ISSUER).append('\n')
          .append("    rootcertbundle: ").append(bundle).append('\n');
    }
    final Path config = dir.resolve("config.yml");
    Files.writeString(config, yml.toString());
    final Path log = dir.resolve("registry.log");
    final Process p = new ProcessBuilder(binary, "serve", config.toString())
        .redirectErrorStream(true).redirectOutput(log.toFile()).start();
    final DistributionProcess reg = new DistributionProcess(dir, p, host, auth, user, pass, tokens);
    try {
      reg.awaitReady(log);
    } catch (RuntimeException e) {
      reg.close();
      throw e;
    }
    return reg;
  }

  /** Polls {@code /v2/} until it answers (200 or 401), the process dies, or 20 s pass. */
  private void awaitReady(final Path log) {
    final long deadline = System.nanoTime() + READY_TIMEOUT_NANOS;
    long pause = TimeUnit.MILLISECONDS.toNanos(10);
    while (System.nanoTime() < deadline) {
      if (!process.isAlive()) {
        final String out = readLog(log);
        if (out.contains("address already in use")) {
          throw new PortTakenException("port taken: " + host);
        }
        throw new IllegalStateException("docker-registry exited with " + process.exitValue() + ":\n" + out);
      }
      try {
        final HttpURLConnection c = (HttpURLConnection) new URL(url() + "/v2/").openConnection();
        c.setConnectTimeout(500);
        c.setReadTimeout(1000);
        final int code = c.getResponseCode();
        c.disconnect();
        if (code == 200 || code == 401) {
          return;
        }
      } catch (IOException e) {
        // not listening yet
      }
      LockSupport.parkNanos(pause);
      pause = Math.min(pause * 2, TimeUnit.MILLISECONDS.toNanos(200));
    }
    throw new IllegalStateException("docker-registry did not answer on " + url() + "/v2/ within 20 s:\n"
        + readLog(log));
  }

  private static String htpasswd(final String user, final String pass) throws IOException {
    if (!onPath("htpasswd")) {
      throw new IllegalStateException(Registries.INSTALL_HINT + " (htpasswd from apache2-utils is missing)");
    }
    final Process p = new ProcessBuilder("htpasswd", "-Bbn", user, pass).redirectErrorStream(true).start();
    final String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    try {
      if (p.waitFor() != 0) {
        throw new IllegalStateException("htpasswd failed: " + out);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    }
    return out.trim() + "\n";
  }

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    }
  }

  static boolean onPath(final String exe) {
    final String path = System.getenv("PATH");
    if (path == null) {
      return false;
    }
    return Stream.of(path.split(java.io.File.pathSeparator)).map(d -> Path.of(d, exe))
        .anyMatch(Files::isExecutable);
  }

  private static String readLog(final Path log) {
    try {
      final List<String> lines = Files.readAllLines(log);
      return String.join("\n", lines.subList(Math.max(0, lines.size() - 30), lines.size()));
    } catch (IOException e) {
      return "(no log)";
    }
  }

  private void stopProcess() {
    process.destroy();
    try {
      if (!process.waitFor(5, TimeUnit.SECONDS)) {
        process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      process.destroyForcibly();
    }
    if (tokens != null) {
      tokens.close();
    }
  }

  @Override
  public String host() {
    return host;
  }

  @Override
  public RegistryAuth auth() {
    return auth;
  }

  @Override
  public String username() {
    return username;
  }

  @Override
  public String password() {
    return password;
  }

  @Override
  public String tokenRealmHost() {
    return tokens == null ? null : tokens.hostPort();
  }

  @Override
  public int tokenRequests() {
    return tokens == null ? 0 : tokens.requests();
  }

  @Override
  public boolean referrersApi() {
    return false;
  }

  @Override
  public String kind() {
    return "docker-registry";
  }

  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    closed = true;
    stopProcess();
    try {
      Runtime.getRuntime().removeShutdownHook(hook);
    } catch (IllegalStateException e) {
      // JVM already shutting down: the hook is running or has run
    }
    deleteDir();
  }

  private void deleteDir() {
    try (Stream<Path> s = Files.walk(dir)) {
      s.sorted(Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
    } catch (IOException e) {
      // temp dir cleanup is best effort
    }
  }

  @Override
  public String toString() {
    return "docker-registry[" + host + ", auth=" + auth + "]";
  }
}
