package dev.sigstream.schemas;

import dev.sigstream.schemas.avro.ArtifactRef;

/** The Kafka key of an artifact: {@code registry/repository@digest}, or {@code registry/repository:tag} before resolution. */
public final class ArtifactKey {

  private ArtifactKey() {}

  public static String of(final ArtifactRef ref) {
    final String base = ref.getRegistry() + "/" + ref.getRepository();
    if (ref.getDigest() != null) {
      return base + "@" + ref.getDigest();
    }
    return base + ":" + (ref.getTag() == null ? "" : ref.getTag());
  }
}
