package dev.sigstream.oci.client;

import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The registry allowlist and limits. A host that is not here is never contacted: no DNS lookup, no connection.
 */
public record RegistryConfig(Map<String, RegistryEntry> registries, Limits limits) {

  public RegistryConfig {
    registries = Map.copyOf(registries);
    Objects.requireNonNull(limits, "limits");
  }

  public static RegistryConfig of(final Collection<RegistryEntry> entries, final Limits limits) {
    final Map<String, RegistryEntry> m = new LinkedHashMap<>();
    for (RegistryEntry e : entries) {
      if (m.put(e.host(), e) != null) {
        throw new IllegalArgumentException("registry " + e.host() + " configured twice");
      }
    }
    return new RegistryConfig(m, limits);
  }

  public static RegistryConfig of(final RegistryEntry... entries) {
    return of(java.util.List.of(entries), Limits.DEFAULTS);
  }

  public Optional<RegistryEntry> entry(final String host) {
    return Optional.ofNullable(registries.get(host.toLowerCase(Locale.ROOT)));
  }

  public RegistryConfig withLimits(final Limits l) {
    return new RegistryConfig(registries, l);
  }
}
