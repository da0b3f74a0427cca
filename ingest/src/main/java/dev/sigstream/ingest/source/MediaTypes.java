package dev.sigstream.ingest.source;

import java.util.Set;

/** Content types accepted on the wire, and which artifact media types are manifests (the only pushes we verify). */
final class MediaTypes {

  static final String JSON = "application/json";
  static final String CE_JSON = "application/cloudevents+json";
  static final String CE_BATCH = "application/cloudevents-batch+json";
  static final String DISTRIBUTION_V1 = "application/vnd.docker.distribution.events.v1+json";
  static final String DISTRIBUTION_V2 = "application/vnd.docker.distribution.events.v2+json";

  private static final Set<String> MANIFESTS = Set.of(
      "application/vnd.oci.image.manifest.v1+json",
      "application/vnd.oci.image.index.v1+json",
      "application/vnd.oci.artifact.manifest.v1+json",
      "application/vnd.docker.distribution.manifest.v2+json",
      "application/vnd.docker.distribution.manifest.list.v2+json",
      "application/vnd.docker.distribution.manifest.v1+json",
      "application/vnd.docker.distribution.manifest.v1+prettyjws",
      "application/vnd.acr.helm.chart");

  private MediaTypes() {}

  /** A manifest (or index) media type; blobs, configs and layers are not. */
  static boolean isManifest(final String mediaType) {
    return mediaType != null && MANIFESTS.contains(mediaType);
  }

  static BadInput unsupported(final String got, final String expected) {
    return new BadInput(SourceResult.Reason.UNSUPPORTED_MEDIA_TYPE,
        "Content-Type '" + Json.clip(got.isEmpty() ? "(none)" : got) + "' is not accepted here; send " + expected);
  }

  static boolean isJson(final String mt) {
    return JSON.equals(mt) || mt.endsWith("+json") && !mt.startsWith("application/cloudevents");
  }
}
