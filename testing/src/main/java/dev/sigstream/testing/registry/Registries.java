package dev.sigstream.testing.registry;

import java.io.IOException;
import org.testcontainers.DockerClientFactory;

/**
 * Starts test registries outside JUnit (benchmarks, tools). Inside tests prefer {@link RegistryExtension}, which
 * shares one registry per auth mode and stops it at the end of the run.
 */
public final class Registries {

  static final String INSTALL_HINT = "No OCI registry for tests: Docker is not available and the Debian package is "
      + "missing. Install it with: apt-get update && apt-get install -y docker-registry apache2-utils";

  private Registries() {}

  /**
   * Starts a registry: Testcontainers {@code registry:3} where Docker is available, else {@code docker-registry}.
   *
   * @throws IllegalStateException when neither can start, with the install command in the message
   */
  public static TestRegistry start(final RegistryAuth auth) {
    final boolean docker = dockerAvailable();
    try {
      if (docker) {
        return ContainerRegistry.start(auth);
      }
      return DistributionProcess.start(auth);
    } catch (IOException | RuntimeException e) {
      if (e instanceof IllegalStateException && e.getMessage() != null && e.getMessage().contains("apt-get")) {
        throw (IllegalStateException) e;
      }
      throw new IllegalStateException("Could not start a test registry (" + (docker ? "Testcontainers "
          + ContainerRegistry.IMAGE : DistributionProcess.BINARY) + "): " + e.getMessage() + ". " + INSTALL_HINT, e);
    }
  }

  /** Always the Debian {@code docker-registry} (no referrers API), for tests of the tag-schema fallback. */
  public static TestRegistry startDistribution(final RegistryAuth auth) {
    try {
      return DistributionProcess.start(auth);
    } catch (IOException e) {
      throw new IllegalStateException("Could not start docker-registry: " + e.getMessage() + ". " + INSTALL_HINT, e);
    }
  }

  static boolean dockerAvailable() {
    try {
      return DockerClientFactory.instance().isDockerAvailable();
    } catch (RuntimeException | LinkageError e) {
      return false;
    }
  }
}
