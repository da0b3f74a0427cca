package dev.sigstream.ingest.source;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;

/**
 * Harbor webhooks, Default format ({@code {type, occur_at, operator, event_data}}) or CloudEvents
 * ({@code harbor.artifact.*}, structured). {@code PUSH_ARTIFACT} yields one push per resource; Harbor puts the
 * digest in {@code tag} for untagged artifacts, which is dropped. The registry host comes from
 * {@code resource_url}. Harbor sends no event id in the Default format, so one is derived.
 */
final class HarborParser implements SourceParser {

  @Override
  public boolean cloudEventsHandshake() {
    return true;
  }

  @Override
  public Parsed parse(final WebhookRequest request) {
    final String mt = request.mediaType();
    if (mt.equals(MediaTypes.CE_JSON) || mt.equals(MediaTypes.CE_BATCH)) {
      return CloudEventsParser.structured(request);
    }
    if (!mt.equals(MediaTypes.JSON)) {
      throw MediaTypes.unsupported(mt, MediaTypes.JSON + " (Default format) or " + MediaTypes.CE_JSON);
    }
    final JsonNode root = Json.parse(request.body());
    if (!root.isObject()) {
      throw Json.wrongType("body", "an object", root);
    }
    final String type = Json.text(root, "type", "body");
    final Parsed out = new Parsed();
    switch (type) {
      case "PUSH_ARTIFACT" -> {
        final Long occur = Json.optLong(root, "occur_at", "body");
        final Instant at = occur == null ? null : Instant.ofEpochSecond(occur);
        eventData(out, Json.object(root, "event_data", "body"), null, at, Json.optText(root, "operator", "body"), "event_data");
      }
      case "DELETE_ARTIFACT" -> out.deleted++;
      default -> out.ignored++;
    }
    return out;
  }

  /** Maps Harbor's {@code event_data} (the same in both formats) into pushes. */
  static void eventData(final Parsed out, final JsonNode data, final String baseId, final Instant at, final String operator,
      final String path) {
    final JsonNode repo = Json.object(data, "repository", path);
    final String repository = Json.text(repo, "repo_full_name", path + ".repository");
    final JsonNode resources = Json.array(data, "resources", path);
    if (resources.isEmpty()) {
      throw new BadInput(SourceResult.Reason.MISSING_FIELD, path + ".resources is empty");
    }
    if (resources.size() > DistributionParser.MAX_EVENTS) {
      throw new BadInput(SourceResult.Reason.TOO_MANY_EVENTS, path + ".resources has more than " + DistributionParser.MAX_EVENTS + " entries");
    }
    for (int i = 0; i < resources.size(); i++) {
      final String rp = path + ".resources[" + i + "]";
      final JsonNode r = resources.get(i);
      if (!r.isObject()) {
        throw Json.wrongType(rp, "an object", r);
      }
      final Push p = new Push(rp);
      p.repository = repository;
      p.digest = Json.optText(r, "digest", rp);
      final String tag = Json.optText(r, "tag", rp);
      p.tag = Names.looksLikeDigest(tag) ? null : tag;
      final String url = Json.optText(r, "resource_url", rp);
      if (url != null) {
        final int slash = url.indexOf('/');
        p.registry = slash > 0 ? url.substring(0, slash) : url;
        p.attr("resourceUrl", url);
      }
      p.occurredAt = at;
      p.actor = operator;
      p.id = baseId == null ? null : resources.size() == 1 ? baseId : baseId + "/" + i;
      out.pushes.add(p);
    }
  }
}
