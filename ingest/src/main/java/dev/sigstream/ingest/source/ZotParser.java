package dev.sigstream.ingest.source;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;

/**
 * Zot events: CloudEvents sent by the sdk-go HTTP sink, binary mode by default (structured also accepted), type
 * {@code zotregistry.image.updated}. The payload names no registry host, so the source's configured registry is
 * used. When {@code data.manifest} carries the raw manifest, its {@code artifactType} and {@code subject} are
 * recorded as attributes.
 */
final class ZotParser implements SourceParser {

  @Override
  public boolean cloudEventsHandshake() {
    return true;
  }

  @Override
  public Parsed parse(final WebhookRequest request) {
    return new CloudEventsParser().parse(request);
  }

  static Push data(final JsonNode d, final String id, final Instant time, final String path) {
    final Push p = new Push(path);
    p.id = id;
    p.occurredAt = time;
    p.repository = Json.text(d, "name", path);
    final String reference = Json.optText(d, "reference", path);
    p.digest = Json.optText(d, "digest", path);
    p.tag = Names.looksLikeDigest(reference) ? null : reference;
    p.mediaType = Json.optText(d, "mediaType", path);
    final JsonNode actor = Json.optObject(d, "actor", path);
    if (actor != null) {
      p.actor = Json.optText(actor, "name", path + ".actor");
    }
    final JsonNode req = Json.optObject(d, "request", path);
    if (req != null) {
      p.attr("userAgent", Json.optText(req, "useragent", path + ".request"));
    }
    final String manifest = Json.optText(d, "manifest", path);
    if (manifest != null && !manifest.isEmpty()) {
      final JsonNode m = Json.parse(manifest.getBytes(java.nio.charset.StandardCharsets.UTF_8));
      if (m.isObject()) {
        p.attr("artifactType", Json.optText(m, "artifactType", path + ".manifest"));
        final JsonNode subject = Json.optObject(m, "subject", path + ".manifest");
        if (subject != null) {
          p.attr("subject", Json.optText(subject, "digest", path + ".manifest.subject"));
        }
        final JsonNode config = Json.optObject(m, "config", path + ".manifest");
        if (config != null) {
          p.attr("configMediaType", Json.optText(config, "mediaType", path + ".manifest.config"));
        }
      }
    }
    return p;
  }
}
