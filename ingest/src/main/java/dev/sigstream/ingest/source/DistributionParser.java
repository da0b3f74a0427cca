package dev.sigstream.ingest.source;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * CNCF Distribution notifications: {@code {"events":[...]}} as {@code events.v1+json} (2.x) or
 * {@code events.v2+json} (3.x). Events in one envelope are unrelated; manifest pushes are kept, blob and layer
 * pushes, pulls and mounts are ignored, deletes are counted.
 */
final class DistributionParser implements SourceParser {

  static final int MAX_EVENTS = 1000;

  @Override
  public Parsed parse(final WebhookRequest request) {
    final String mt = request.mediaType();
    if (!mt.equals(MediaTypes.DISTRIBUTION_V1) && !mt.equals(MediaTypes.DISTRIBUTION_V2) && !mt.equals(MediaTypes.JSON)) {
      throw MediaTypes.unsupported(mt, MediaTypes.DISTRIBUTION_V1 + " or " + MediaTypes.DISTRIBUTION_V2);
    }
    final JsonNode root = Json.parse(request.body());
    if (!root.isObject()) {
      throw Json.wrongType("body", "an object {\"events\":[...]}", root);
    }
    final JsonNode events = Json.array(root, "events", "body");
    if (events.size() > MAX_EVENTS) {
      throw new BadInput(SourceResult.Reason.TOO_MANY_EVENTS, "body.events has " + events.size() + " events; at most " + MAX_EVENTS);
    }
    final Parsed out = new Parsed();
    for (int i = 0; i < events.size(); i++) {
      final String path = "events[" + i + "]";
      final JsonNode e = events.get(i);
      if (!e.isObject()) {
        throw Json.wrongType(path, "an object", e);
      }
      final String action = Json.text(e, "action", path);
      final JsonNode target = Json.object(e, "target", path);
      final String mediaType = Json.optText(target, "mediaType", path + ".target");
      switch (action) {
        case "push" -> {
          if (!MediaTypes.isManifest(mediaType)) {
            out.ignored++;
            continue;
          }
        }
        case "delete" -> {
          out.deleted++;
          continue;
        }
        default -> {
          out.ignored++;
          continue;
        }
      }
      final Push p = new Push(path);
      p.id = Json.text(e, "id", path);
      p.occurredAt = Json.optTime(e, "timestamp", path);
      p.repository = Json.text(target, "repository", path + ".target");
      p.digest = Json.text(target, "digest", path + ".target");
      p.tag = Json.optText(target, "tag", path + ".target");
      p.mediaType = mediaType;
      p.size = Json.optLong(target, "size", path + ".target");
      final JsonNode req = Json.optObject(e, "request", path);
      if (req != null) {
        p.registry = Json.optText(req, "host", path + ".request");
        p.attr("requestId", Json.optText(req, "id", path + ".request"));
        p.attr("userAgent", Json.optText(req, "useragent", path + ".request"));
      }
      final JsonNode actor = Json.optObject(e, "actor", path);
      if (actor != null) {
        p.actor = Json.optText(actor, "name", path + ".actor");
      }
      final JsonNode source = Json.optObject(e, "source", path);
      if (source != null) {
        p.attr("sourceInstance", Json.optText(source, "instanceID", path + ".source"));
      }
      final JsonNode refs = target.get("references");
      if (refs != null && refs.isArray()) {
        p.attr("references", Integer.toString(refs.size()));
      }
      out.pushes.add(p);
    }
    return out;
  }
}
