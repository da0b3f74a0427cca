package dev.sigstream.verifier.core;

import dev.sigstream.oci.client.Limits;
import dev.sigstream.oci.client.RegistryEntry;
import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * The registries that may be contacted (nothing else ever is) and the client's caps and timeouts.
 *
 * @param registries the allowlist with each host's credentials and transport
 * @param limits body caps, referrer caps and the per-request timeout
 */
public record RegistrySettings(List<RegistryEntry> registries, Limits limits) {

  public RegistrySettings {
    registries = List.copyOf(registries);
    Objects.requireNonNull(limits, "limits");
  }

  /** The default caps with {@code requestTimeout} per request. */
  public static RegistrySettings of(final List<RegistryEntry> registries, final Duration requestTimeout) {
    return new RegistrySettings(registries, Limits.DEFAULTS.withRequestTimeout(requestTimeout));
  }

  /** The documented per-artifact deadline for this request timeout: three requests' worth (docs/cli.md). */
  public Duration defaultDeadline() {
    return limits.requestTimeout().multipliedBy(3);
  }
}
