package dev.sigstream.verifier.core;

import dev.sigstream.oci.RegistryReader;
import java.util.Objects;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The current verifier of a long-running service, rebuilt when the trust material on disk changes: {@link #poll()}
 * (called periodically by the service) reads the files' version, and when it differs loads them and swaps in a new
 * verifier. Invalid new material is refused with one log line and the running verifier stays: a typo in a policy
 * never turns verification off. Verifications already running finish with the verifier they started with.
 */
public final class ReloadingVerifier implements Supplier<ArtifactVerifier> {

  private static final Logger log = LoggerFactory.getLogger(ReloadingVerifier.class);

  private final VerifierSettings settings;
  private final RegistryReader registry;
  private volatile ArtifactVerifier current;
  private volatile String refusedVersion;

  /**
   * @throws SettingsException when the trust material cannot be loaded at start-up
   */
  public ReloadingVerifier(final VerifierSettings settings, final RegistryReader registry) {
    this.settings = Objects.requireNonNull(settings, "settings");
    this.registry = Objects.requireNonNull(registry, "registry");
    this.current = VerifierFactory.verifier(settings, registry);
  }

  @Override
  public ArtifactVerifier get() {
    return current;
  }

  /** The version of the trust material in force. */
  public String version() {
    return current.trustVersion();
  }

  /** Reloads when the files changed; returns whether a new verifier is in force. Never throws for bad material. */
  public synchronized boolean poll() {
    final String onDisk;
    try {
      onDisk = TrustMaterial.version(settings.trust());
    } catch (final SettingsException e) {
      log.warn("trust material unreadable; keeping version {}: {}", version(), e.getMessage());
      return false;
    }
    if (onDisk.equals(version()) || onDisk.equals(refusedVersion)) {
      return false;
    }
    try {
      final ArtifactVerifier next = VerifierFactory.verifier(settings, registry);
      current = next;
      refusedVersion = null;
      log.info("trust material changed: now deciding with {}", next.trustVersion());
      return true;
    } catch (final SettingsException e) {
      refusedVersion = onDisk;
      log.error("trust material {} refused, still deciding with {}: {}", onDisk, version(), e.getMessage());
      return false;
    }
  }
}
