package dev.sigstream.notary;

import java.util.Objects;

/**
 * The artifact a signature must cover, as resolved from the registry (never from the signature). Verification
 * compares exactly these three fields with the signed payload's {@code targetArtifact}.
 *
 * @param mediaType manifest media type, e.g. {@code application/vnd.oci.image.manifest.v1+json}
 * @param digest {@code algorithm:hex}, e.g. {@code sha256:...}
 * @param size manifest size in bytes
 */
public record TargetDescriptor(String mediaType, String digest, long size) {

  public TargetDescriptor {
    Objects.requireNonNull(mediaType, "mediaType");
    Objects.requireNonNull(digest, "digest");
    if (size < 0) {
      throw new IllegalArgumentException("size must be >= 0");
    }
  }
}
