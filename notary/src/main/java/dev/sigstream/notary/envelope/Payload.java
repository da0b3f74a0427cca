package dev.sigstream.notary.envelope;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sigstream.notary.ReasonCode;
import java.io.IOException;
import java.util.HashMap;
import java.util.Iterator;
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

  /** Parses a payload; every defect is an {@link EnvelopeException} with {@link ReasonCode#PAYLOAD_MALFORMED}. */
  public static Payload parse(final byte[] json) throws EnvelopeException {
    final JsonNode root;
    try {
      root = JwsEnvelope.JSON.readTree(json);
    } catch (final IOException | RuntimeException e) {
      throw new EnvelopeException(ReasonCode.PAYLOAD_MALFORMED, "payload is not valid JSON");
    }
    if (!(root instanceof ObjectNode) || !(root.get("targetArtifact") instanceof ObjectNode t)) {
      throw new EnvelopeException(ReasonCode.PAYLOAD_MALFORMED, "payload has no targetArtifact object");
    }
    final JsonNode mt = t.get("mediaType");
    final JsonNode dg = t.get("digest");
    final JsonNode sz = t.get("size");
    if (mt == null || !mt.isTextual() || dg == null || !dg.isTextual() || sz == null || !sz.canConvertToExactIntegral()
        || !sz.canConvertToLong() || sz.asLong() < 0 || !sz.isIntegralNumber()) {
      throw new EnvelopeException(ReasonCode.PAYLOAD_MALFORMED,
          "targetArtifact needs a string mediaType, a string digest and a non-negative integer size");
    }
    final JsonNode at = t.get("artifactType");
    if (at != null && !at.isTextual()) {
      throw new EnvelopeException(ReasonCode.PAYLOAD_MALFORMED, "targetArtifact.artifactType must be a string");
    }
    final Map<String, String> ann = new HashMap<>();
    final JsonNode a = t.get("annotations");
    if (a != null && !a.isNull()) {
      if (!a.isObject()) {
        throw new EnvelopeException(ReasonCode.PAYLOAD_MALFORMED, "targetArtifact.annotations must be an object");
      }
      final Iterator<Map.Entry<String, JsonNode>> it = a.fields();
      while (it.hasNext()) {
        final Map.Entry<String, JsonNode> e = it.next();
        if (!e.getValue().isTextual()) {
          throw new EnvelopeException(ReasonCode.PAYLOAD_MALFORMED, "annotation values must be strings");
        }
        ann.put(e.getKey(), e.getValue().asText());
      }
    }
    return new Payload(mt.asText(), dg.asText(), sz.asLong(), at == null ? null : at.asText(), ann);
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
