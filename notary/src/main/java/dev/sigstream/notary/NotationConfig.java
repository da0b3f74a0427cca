package dev.sigstream.notary;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

/**
 * Locates a Notation configuration directory and its trust policy files, as the notation CLI does on Linux:
 * {@code $NOTATION_CONFIG}, else {@code $XDG_CONFIG_HOME/notation}, else {@code ~/.config/notation}.
 */
public final class NotationConfig {

  private final Path dir;

  private NotationConfig(final Path dir) {
    this.dir = dir;
  }

  /** From an explicit directory. */
  public static NotationConfig at(final Path dir) {
    return new NotationConfig(dir);
  }

  /**
   * Default location from the environment.
   *
   * @param env environment variables ({@code System.getenv()} in main, a map in tests)
   * @param userHome the user's home directory
   */
  public static NotationConfig locate(final Map<String, String> env, final Path userHome) {
    final String explicit = env.get("NOTATION_CONFIG");
    if (explicit != null && !explicit.isBlank()) {
      return new NotationConfig(Path.of(explicit));
    }
    final String xdg = env.get("XDG_CONFIG_HOME");
    if (xdg != null && !xdg.isBlank()) {
      return new NotationConfig(Path.of(xdg, "notation"));
    }
    return new NotationConfig(userHome.resolve(".config").resolve("notation"));
  }

  public Path directory() {
    return dir;
  }

  /** {@code trustpolicy.oci.json}, falling back to the legacy {@code trustpolicy.json}; empty when neither exists. */
  public Optional<Path> ociTrustPolicy() {
    final Path oci = dir.resolve("trustpolicy.oci.json");
    if (Files.isRegularFile(oci)) {
      return Optional.of(oci);
    }
    final Path legacy = dir.resolve("trustpolicy.json");
    return Files.isRegularFile(legacy) ? Optional.of(legacy) : Optional.empty();
  }

  /** {@code trustpolicy.blob.json}, if present. */
  public Optional<Path> blobTrustPolicy() {
    final Path blob = dir.resolve("trustpolicy.blob.json");
    return Files.isRegularFile(blob) ? Optional.of(blob) : Optional.empty();
  }

  /** The trust store root handed to {@link dev.sigstream.notary.truststore.TrustStore#load}. */
  public Path trustStoreRoot() {
    return dir;
  }
}
