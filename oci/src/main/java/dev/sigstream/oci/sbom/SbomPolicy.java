package dev.sigstream.oci.sbom;

import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * What an SBOM must not contain (Ratify-style deny lists).
 *
 * @param deniedLicenses SPDX licence ids (case-insensitive), e.g. {@code GPL-3.0-only}, or
 *     {@code GPL-2.0-only WITH Classpath-exception-2.0} to deny only that combination
 * @param deniedPackages packages by name, optionally pinned to one version (null = every version)
 * @param requireSignature whether the SBOM itself must carry a verified signature
 */
public record SbomPolicy(Set<String> deniedLicenses, List<PackageRule> deniedPackages, boolean requireSignature) {

  /** A denied package; {@code version} null or empty means every version. */
  public record PackageRule(String name, String version) {
    public PackageRule {
      Objects.requireNonNull(name, "name");
      version = version == null || version.isEmpty() ? null : version;
    }

    boolean matches(final String n, final String v) {
      return name.equals(n) && (version == null || version.equals(v));
    }
  }

  public static final SbomPolicy NONE = new SbomPolicy(Set.of(), List.of(), false);

  public SbomPolicy {
    deniedLicenses = deniedLicenses.stream().map(l -> l.trim().toLowerCase(Locale.ROOT))
        .collect(Collectors.toUnmodifiableSet());
    deniedPackages = List.copyOf(deniedPackages);
  }
}
