package dev.sigstream.verifier.core;

import dev.sigstream.oci.auth.Credentials;
import dev.sigstream.oci.auth.EntraTokenSource;
import dev.sigstream.oci.client.Limits;
import dev.sigstream.oci.client.RegistryEntry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
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

  /**
   * The same allowlist with {@code hosts} authenticating through Microsoft Entra ID: an access token from {@code
   * source} (the azure-identity adapter in production) exchanged at the registry for an ACR token, in place of
   * their Docker credentials. Used by {@code --registry-auth azure} and the service's {@code
   * verifier.azureRegistries}; hosts outside the allowlist are refused, so this never widens it.
   *
   * @throws SettingsException when a host is not in the allowlist
   */
  public RegistrySettings withEntraExchange(final Collection<String> hosts, final EntraTokenSource source) {
    Objects.requireNonNull(source, "source");
    final List<RegistryEntry> out = new ArrayList<>();
    for (final String h : hosts) {
      if (registries.stream().noneMatch(e -> e.host().equals(h))) {
        throw new SettingsException("registry " + h + " uses Azure authentication but is not an allowed registry");
      }
    }
    for (final RegistryEntry e : registries) {
      out.add(hosts.contains(e.host()) ? new RegistryEntry(e.host(), e.insecure(),
          new Credentials.AcrEntraExchange(source, null), e.redirectHosts()) : e);
    }
    return new RegistrySettings(out, limits);
  }

  /** The documented per-artifact deadline for this request timeout: three requests' worth (docs/cli.md). */
  public Duration defaultDeadline() {
    return limits.requestTimeout().multipliedBy(3);
  }
}
