package dev.sigstream.ingest.source;

import com.fasterxml.jackson.databind.JsonNode;

/** Shared first step of the plain-JSON sources: {@code application/json} and a JSON object body. */
final class JsonBody {

  private JsonBody() {}

  static JsonNode object(final WebhookRequest request) {
    final String mt = request.mediaType();
    if (!mt.equals(MediaTypes.JSON)) {
      throw MediaTypes.unsupported(mt, MediaTypes.JSON);
    }
    final JsonNode root = Json.parse(request.body());
    if (!root.isObject()) {
      throw Json.wrongType("body", "an object", root);
    }
    return root;
  }
}
