package dev.sigstream.oci;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * An OCI content descriptor. {@code artifactType} and {@code platform} may be null; {@code annotations} is never null.
 */
public record Descriptor(String mediaType, Digest digest, long size, String artifactType,
    Map<String, String> annotations, Platform platform) {

  public Descriptor {
    Objects.requireNonNull(digest, "digest");
    if (size < 0) {
      throw new IllegalArgumentException("negative descriptor size");
    }
    annotations = annotations == null ? Map.of() : Map.copyOf(annotations);
  }

  public static Descriptor of(final String mediaType, final Digest digest, final long size) {
    return new Descriptor(mediaType, digest, size, null, Map.of(), null);
  }

  /**
   * Reads a descriptor from its JSON form.
   *
   * @throws IllegalArgumentException when required fields are missing or malformed
   */
  public static Descriptor fromJson(final JsonNode n) {
    if (n == null || !n.isObject()) {
      throw new IllegalArgumentException("descriptor is not a JSON object");
    }
    final JsonNode digest = n.get("digest");
    final JsonNode size = n.get("size");
    if (digest == null || !digest.isTextual()) {
      throw new IllegalArgumentException("descriptor without digest");
    }
    if (size == null || !size.canConvertToLong()) {
      throw new IllegalArgumentException("descriptor without numeric size");
    }
    final Map<String, String> ann = new LinkedHashMap<>();
    final JsonNode a = n.get("annotations");
    if (a != null && a.isObject()) {
      a.properties().forEach(e -> ann.put(e.getKey(), e.getValue().asText()));
    }
    Platform platform = null;
    final JsonNode p = n.get("platform");
    if (p != null && p.isObject()) {
      platform = new Platform(text(p, "os"), text(p, "architecture"), text(p, "variant"));
    }
    return new Descriptor(text(n, "mediaType"), Digest.parse(digest.asText()), size.asLong(),
        text(n, "artifactType"), ann, platform);
  }

  static String text(final JsonNode n, final String field) {
    final JsonNode v = n.get(field);
    return v != null && v.isTextual() ? v.asText() : null;
  }
}
