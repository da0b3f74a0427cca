package dev.sigstream.notary.envelope;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sigstream.notary.ReasonCode;
import java.io.IOException;
import java.util.HashMap;
import java.util.Map;

/**
 * The signed payload ({@code application/vnd.cncf.notary.payload.v1+json}): {@code {"targetArtifact": descriptor}}.
 * Parse it only after the signature has verified.
 *
 * @param mediaType target media type
 * @param digest target digest
 * @param size target size
 * @param artifactType optional artifact type, or null
 * @param annotations target annotations (user metadata)
 */
public record Payload(String mediaType, String digest, long size, String artifactType, Map<String, String> annotations) {

  public Payload {
    annotations = Map.copyOf(annotations);
  }

  /**
   * Parses a payload; every defect is an {@link EnvelopeException} with {@link ReasonCode#PAYLOAD_MALFORMED}.
   * Streaming (no tree): this runs on every verification. Members other than {@code targetArtifact} and the
   * descriptor fields are ignored; duplicate keys and trailing content are errors.
   */
  public static Payload parse(final byte[] json) throws EnvelopeException {
    try (JsonParser jp = JwsEnvelope.JSON.createParser(json)) {
      if (jp.nextToken() != JsonToken.START_OBJECT) {
        throw noTarget();
      }
      Payload found = null;
      JsonToken t;
      while ((t = jp.nextToken()) == JsonToken.FIELD_NAME) {
        final String name = jp.currentName();
        final JsonToken v = jp.nextToken();
        if (name.equals("targetArtifact")) {
          if (v != JsonToken.START_OBJECT) {
            throw noTarget();
          }
          found = descriptor(jp);
        } else {
          jp.skipChildren();
        }
      }
      if (t != JsonToken.END_OBJECT || jp.nextToken() != null) {
        throw new EnvelopeException(ReasonCode.PAYLOAD_MALFORMED, "payload is not valid JSON");
      }
      if (found == null) {
        throw noTarget();
      }
      return found;
    } catch (final IOException | RuntimeException e) {
      throw new EnvelopeException(ReasonCode.PAYLOAD_MALFORMED, "payload is not valid JSON");
    }
  }

  private static Payload descriptor(final JsonParser jp) throws IOException, EnvelopeException {
    String mediaType = null;
    String digest = null;
    long size = -1;
    String artifactType = null;
    Map<String, String> annotations = Map.of();
    JsonToken t;
    while ((t = jp.nextToken()) == JsonToken.FIELD_NAME) {
      final String name = jp.currentName();
      final JsonToken v = jp.nextToken();
      switch (name) {
        case "mediaType" -> mediaType = v == JsonToken.VALUE_STRING ? jp.getText() : null;
        case "digest" -> digest = v == JsonToken.VALUE_STRING ? jp.getText() : null;
        case "size" -> size = v == JsonToken.VALUE_NUMBER_INT && jp.getNumberType() != JsonParser.NumberType.BIG_INTEGER
            ? jp.getLongValue() : -1;
        case "artifactType" -> {
          if (v != JsonToken.VALUE_STRING) {
            throw new EnvelopeException(ReasonCode.PAYLOAD_MALFORMED, "targetArtifact.artifactType must be a string");
          }
          artifactType = jp.getText();
        }
        case "annotations" -> annotations = annotations(jp, v);
        default -> jp.skipChildren();
      }
    }
    if (t != JsonToken.END_OBJECT) {
      throw new EnvelopeException(ReasonCode.PAYLOAD_MALFORMED, "payload is not valid JSON");
    }
    if (mediaType == null || digest == null || size < 0) {
      throw new EnvelopeException(ReasonCode.PAYLOAD_MALFORMED,
          "targetArtifact needs a string mediaType, a string digest and a non-negative integer size");
    }
    return new Payload(mediaType, digest, size, artifactType, annotations);
  }

  private static Map<String, String> annotations(final JsonParser jp, final JsonToken v)
      throws IOException, EnvelopeException {
    if (v == JsonToken.VALUE_NULL) {
      return Map.of();
    }
    if (v != JsonToken.START_OBJECT) {
      throw new EnvelopeException(ReasonCode.PAYLOAD_MALFORMED, "targetArtifact.annotations must be an object");
    }
    final Map<String, String> ann = new HashMap<>();
    while (jp.nextToken() == JsonToken.FIELD_NAME) {
      final String key = jp.currentName();
      if (jp.nextToken() != JsonToken.VALUE_STRING) {
        throw new EnvelopeException(ReasonCode.PAYLOAD_MALFORMED, "annotation values must be strings");
      }
      ann.put(key, jp.getText());
    }
    return ann;
  }

  private static EnvelopeException noTarget() {
    return new EnvelopeException(ReasonCode.PAYLOAD_MALFORMED, "payload has no targetArtifact object");
  }

  /** Serialises a payload for signing. */
  public byte[] toJson() {
    final ObjectNode root = JwsEnvelope.JSON.createObjectNode();
    final ObjectNode t = root.putObject("targetArtifact");
    if (artifactType != null) {
      t.put("artifactType", artifactType);
    }
    t.put("mediaType", mediaType);
    t.put("digest", digest);
    t.put("size", size);
    if (!annotations.isEmpty()) {
      final ObjectNode a = t.putObject("annotations");
      new java.util.TreeMap<>(annotations).forEach(a::put);
    }
    try {
      return JwsEnvelope.JSON.writeValueAsBytes(root);
    } catch (final IOException e) {
      throw new IllegalStateException(e);
    }
  }
}
