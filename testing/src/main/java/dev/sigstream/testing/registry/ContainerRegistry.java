package dev.sigstream.testing.registry;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.containers.wait.strategy.Wait;
import org.testcontainers.utility.MountableFile;

/** Testcontainers {@code registry:3} (Distribution 3, with the OCI 1.1 referrers API), used where Docker exists. */
final class ContainerRegistry implements TestRegistry {

  static final String IMAGE = "registry:3";

  private final GenericContainer<?> container;
  private final RegistryAuth auth;
  private final String username;
  private final String password;
  private final TokenServer tokens;
  private final String host;

  private ContainerRegistry(final GenericContainer<?> c, final RegistryAuth auth, final String user,
      final String pass, final TokenServer tokens) {
    this.container = c;
    this.auth = auth;
    this.username = user;
    this.password = pass;
    this.tokens = tokens;
    this.host = c.getHost() + ":" + c.getMappedPort(5000);
  }

  @SuppressWarnings("resource")
  static ContainerRegistry start(final RegistryAuth auth) throws IOException {
    final String user = auth == RegistryAuth.NONE ? null : "sigstream";
    final String pass = auth == RegistryAuth.NONE ? null : "s3cret-" + Long.toHexString(System.nanoTime());
    final GenericContainer<?> c = new GenericContainer<>(IMAGE)
        .withExposedPorts(5000)
        .withEnv("REGISTRY_STORAGE_DELETE_ENABLED", "true")
        .waitingFor(Wait.forHttp("/v2/").forStatusCodeMatching(s -> s == 200 || s == 401));
    TokenServer tokens = null;
    final Path dir = Files.createTempDirectory("sigstream-registry-tc-");
    if (auth == RegistryAuth.BASIC) {
      final Process p = new ProcessBuilder("htpasswd", "-Bbn", user, pass).start();
      final Path file = dir.resolve("htpasswd");
      Files.write(file, p.getInputStream().readAllBytes());
      c.withCopyFileToContainer(MountableFile.forHostPath(file), "/auth/htpasswd")
          .withEnv("REGISTRY_AUTH", "htpasswd")
          .withEnv("REGISTRY_AUTH_HTPASSWD_REALM", "sigstream-test")
          .withEnv("REGISTRY_AUTH_HTPASSWD_PATH", "/auth/htpasswd");
    } else if (auth == RegistryAuth.BEARER) {
      tokens = new TokenServer(user, pass);
      final Path bundle = dir.resolve("token-root.pem");
      tokens.writeRootBundle(bundle);
      // The registry verifies tokens offline; only clients on this host call the loopback realm.
      c.withCopyFileToContainer(MountableFile.forHostPath(bundle), "/auth/token-root.pem")
          .withEnv("REGISTRY_AUTH", "token")
          .withEnv("REGISTRY_AUTH_TOKEN_REALM", tokens.realm())
          .withEnv("REGISTRY_AUTH_TOKEN_SERVICE", TokenServer.SERVICE)
          .withEnv("REGISTRY_AUTH_TOKEN_ISSUER", TokenServer.ISSUER)
          .withEnv("REGISTRY_AUTH_TOKEN_ROOTCERTBUNDLE", "/auth/token-root.pem");
    }
    c.start();
    return new ContainerRegistry(c, auth, user, pass, tokens);
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
    return true;
  }

  @Override
  public String kind() {
    return "testcontainers";
  }

  @Override
  public void close() {
    container.stop();
    if (tokens != null) {
      tokens.close();
    }
  }
}
