package dev.sigstream.oci.client;

import dev.sigstream.oci.auth.Credentials;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * One allowlisted registry.
 *
 * @param host {@code host[:port]} exactly as it appears in references (compared case-insensitively, port included)
 * @param insecure plain HTTP instead of HTTPS; only for hosts explicitly marked so (local test registries)
 * @param credentials how to authenticate; {@link Credentials#ANONYMOUS} for none
 * @param redirectHosts other {@code host[:port]}s this registry may send us to: blob-storage redirects and the bearer
 *     token realm. Anything else is refused before connecting, so a registry (or a forged push event) cannot steer
 *     requests or credentials to arbitrary hosts.
 */
public record RegistryEntry(String host, boolean insecure, Credentials credentials, Set<String> redirectHosts) {

  public RegistryEntry {
    Objects.requireNonNull(host, "host");
    if (host.isBlank() || host.contains("/") || host.contains("://")) {
      throw new IllegalArgumentException("registry host must be host[:port] without scheme or path");
    }
    host = host.toLowerCase(Locale.ROOT);
    credentials = credentials == null ? Credentials.ANONYMOUS : credentials;
    redirectHosts = redirectHosts == null ? Set.of()
        : redirectHosts.stream().map(h -> h.toLowerCase(Locale.ROOT)).collect(Collectors.toUnmodifiableSet());
  }

  public static RegistryEntry of(final String host, final Credentials credentials) {
    return new RegistryEntry(host, false, credentials, Set.of());
  }

  public static RegistryEntry insecure(final String host, final Credentials credentials) {
    return new RegistryEntry(host, true, credentials, Set.of());
  }

  public RegistryEntry withRedirectHosts(final Set<String> hosts) {
    return new RegistryEntry(host, insecure, credentials, hosts);
  }

  /** Whether requests for this registry may go to {@code hostPort}. */
  boolean mayContact(final String hostPort) {
    final String h = hostPort.toLowerCase(Locale.ROOT);
    return h.equals(host) || redirectHosts.contains(h);
  }
}
