package dev.sigstream.oci;

import java.util.Locale;

/** Media type constants and normalisation (lower-case, parameters after {@code ;} dropped). */
public final class MediaTypes {
  public static final String OCI_MANIFEST = "application/vnd.oci.image.manifest.v1+json";
  public static final String OCI_INDEX = "application/vnd.oci.image.index.v1+json";
  public static final String OCI_ARTIFACT_MANIFEST = "application/vnd.oci.artifact.manifest.v1+json";
  public static final String OCI_CONFIG = "application/vnd.oci.image.config.v1+json";
  public static final String OCI_EMPTY = "application/vnd.oci.empty.v1+json";
  public static final String DOCKER_MANIFEST = "application/vnd.docker.distribution.manifest.v2+json";
  public static final String DOCKER_MANIFEST_LIST = "application/vnd.docker.distribution.manifest.list.v2+json";
  public static final String DOCKER_CONFIG = "application/vnd.docker.container.image.v1+json";
  public static final String DOCKER_SCHEMA1 = "application/vnd.docker.distribution.manifest.v1+json";
  public static final String DOCKER_SCHEMA1_SIGNED = "application/vnd.docker.distribution.manifest.v1+prettyjws";
  public static final String NOTARY_SIGNATURE = "application/vnd.cncf.notary.signature";

  /** The empty JSON object blob {@code {}} that OCI artifacts use as config. */
  public static final Digest EMPTY_DIGEST =
      Digest.parse("sha256:44136fa355b3678a1146ad16f7e8649e94fb4fc21fe77e8310c060f61caaff8a");

  /** What the client sends in {@code Accept} for manifests: OCI and Docker v2 image manifests and indexes. */
  public static final String MANIFEST_ACCEPT = String.join(", ", OCI_MANIFEST, OCI_INDEX, DOCKER_MANIFEST,
      DOCKER_MANIFEST_LIST, OCI_ARTIFACT_MANIFEST);

  private MediaTypes() {}

  /** Lower-cases and strips parameters; null stays null. */
  public static String normalize(final String mediaType) {
    if (mediaType == null) {
      return null;
    }
    final int semi = mediaType.indexOf(';');
    return (semi >= 0 ? mediaType.substring(0, semi) : mediaType).trim().toLowerCase(Locale.ROOT);
  }

  public static boolean isIndex(final String mediaType) {
    final String m = normalize(mediaType);
    return OCI_INDEX.equals(m) || DOCKER_MANIFEST_LIST.equals(m);
  }

  public static boolean isManifest(final String mediaType) {
    final String m = normalize(mediaType);
    return OCI_MANIFEST.equals(m) || DOCKER_MANIFEST.equals(m) || OCI_ARTIFACT_MANIFEST.equals(m);
  }
}
