package dev.sigstream.oci;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A manifest or index as served by the registry: the exact bytes (already checked against {@code descriptor.digest})
 * and their parsed JSON. The media type is the manifest's own {@code mediaType} field, else the HTTP
 * {@code Content-Type} (Helm and KitOps manifests omit the field).
 */
public record Manifest(Descriptor descriptor, byte[] bytes, JsonNode json) {

  private static final ObjectMapper JSON = new ObjectMapper();

  /**
   * Parses manifest bytes. {@code contentType} is used when the document has no {@code mediaType} field.
   *
   * @throws IllegalArgumentException when the bytes are not a JSON object or a descriptor inside is malformed
   */
  public static Manifest parse(final byte[] bytes, final String contentType, final Digest digest) {
    final JsonNode json;
    try {
      json = JSON.readTree(bytes);
    } catch (IOException e) {
      throw new IllegalArgumentException("manifest is not valid JSON: " + e.getClass().getSimpleName(), e);
    }
    if (json == null || !json.isObject()) {
      throw new IllegalArgumentException("manifest is not a JSON object");
    }
    final String mt = Descriptor.text(json, "mediaType");
    final String effective = mt != null ? mt : MediaTypes.normalize(contentType);
    final Map<String, String> ann = new LinkedHashMap<>();
    final JsonNode a = json.get("annotations");
    if (a != null && a.isObject()) {
      a.properties().forEach(e -> ann.put(e.getKey(), e.getValue().asText()));
    }
    final Manifest m = new Manifest(new Descriptor(effective, digest, bytes.length,
        Descriptor.text(json, "artifactType"), ann, null), bytes.clone(), json);
    // Fail early on malformed descriptors so callers never see half-valid manifests.
    m.config();
    m.layers();
    m.manifests();
    m.subject();
    return m;
  }

  public String mediaType() {
    return descriptor.mediaType();
  }

  public String artifactType() {
    return descriptor.artifactType();
  }

  public Map<String, String> annotations() {
    return descriptor.annotations();
  }

  public boolean isIndex() {
    return MediaTypes.isIndex(mediaType()) || (mediaType() == null && json.has("manifests") && !json.has("layers"));
  }

  public Optional<Descriptor> config() {
    final JsonNode c = json.get("config");
    return c == null || c.isNull() ? Optional.empty() : Optional.of(Descriptor.fromJson(c));
  }

  /** {@code layers}, or {@code blobs} for the withdrawn OCI 1.1-rc artifact manifest. */
  public List<Descriptor> layers() {
    return list(json.has("layers") ? "layers" : "blobs");
  }

  /** Index entries ({@code manifests}); empty for image manifests. */
  public List<Descriptor> manifests() {
    return list("manifests");
  }

  public Optional<Descriptor> subject() {
    final JsonNode s = json.get("subject");
    return s == null || s.isNull() ? Optional.empty() : Optional.of(Descriptor.fromJson(s));
  }

  /** The exact bytes (a copy). */
  @Override
  public byte[] bytes() {
    return bytes.clone();
  }

  private List<Descriptor> list(final String field) {
    final JsonNode arr = json.get(field);
    if (arr == null || arr.isNull()) {
      return List.of();
    }
    if (!arr.isArray()) {
      throw new IllegalArgumentException("manifest field '" + field + "' is not an array");
    }
    final List<Descriptor> out = new ArrayList<>();
    arr.forEach(n -> out.add(Descriptor.fromJson(n)));
    return List.copyOf(out);
  }

  @Override
  public String toString() {
    return "Manifest[" + descriptor.mediaType() + " " + descriptor.digest() + " " + bytes.length + "B]";
  }
}
