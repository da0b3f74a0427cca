package dev.sigstream.oci.sbom;

/**
 * A package listed in an SBOM. {@code version} and {@code license} (an SPDX licence expression, the concluded licence
 * where the format has one, else the declared one) may be null.
 */
public record SbomPackage(String name, String version, String license) {}
