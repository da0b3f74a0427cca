package dev.sigstream.ingest.source;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * Azure Container Registry native webhooks: one object per request. {@code push} and {@code chart_push} are
 * published; {@code delete} and {@code chart_delete} counted; {@code quarantine} (sent before the scanner clears
 * the image; the {@code push} follows), pings and unknown actions are ignored.
 */
final class AcrWebhookParser implements SourceParser {

  @Override
  public Parsed parse(final WebhookRequest request) {
    final JsonNode root = JsonBody.object(request);
    final Parsed out = new Parsed();
    final String action = Json.optText(root, "action", "body");
    if (action == null) {
      out.ignored++; // the portal's "Ping" sends an undocumented body
      return out;
    }
    switch (action) {
      case "push", "chart_push" -> {
        final JsonNode target = Json.object(root, "target", "body");
        final Push p = new Push("body");
        p.id = Json.text(root, "id", "body");
        p.occurredAt = Json.optTime(root, "timestamp", "body");
        p.repository = Json.text(target, "repository", "body.target");
        p.digest = Json.text(target, "digest", "body.target");
        p.tag = Json.optText(target, "tag", "body.target");
        p.mediaType = Json.optText(target, "mediaType", "body.target");
        p.size = Json.optLong(target, "size", "body.target");
        p.attr("chartName", Json.optText(target, "name", "body.target"));
        p.attr("chartVersion", Json.optText(target, "version", "body.target"));
        final JsonNode req = Json.optObject(root, "request", "body");
        if (req != null) {
          p.registry = Json.optText(req, "host", "body.request");
          p.attr("requestId", Json.optText(req, "id", "body.request"));
          p.attr("userAgent", Json.optText(req, "useragent", "body.request"));
        }
        out.pushes.add(p);
      }
      case "delete", "chart_delete" -> out.deleted++;
      default -> out.ignored++;
    }
    return out;
  }
}
