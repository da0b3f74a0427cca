package dev.sigstream.oci;

/** An image platform from an index entry ({@code platform.os/architecture/variant}); variant may be null. */
public record Platform(String os, String architecture, String variant) {

  /** BuildKit marks attestation manifests with {@code unknown/unknown}; they are not a real platform. */
  public boolean isUnknown() {
    return "unknown".equals(os) && "unknown".equals(architecture);
  }

  @Override
  public String toString() {
    return os + "/" + architecture + (variant != null ? "/" + variant : "");
  }
}
