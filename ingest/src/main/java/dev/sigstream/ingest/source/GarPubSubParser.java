package dev.sigstream.ingest.source;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Base64;

/**
 * Google Artifact Registry notifications through a Pub/Sub push subscription:
 * {@code {"message":{"data":<base64 JSON>,"messageId","publishTime"},"subscription"}}, where the data is
 * {@code {"action":"INSERT|DELETE","digest":"host/project/repo/image@sha256:…","tag":"host/…/image:tag"}}.
 */
final class GarPubSubParser implements SourceParser {

  @Override
  public Parsed parse(final WebhookRequest request) {
    final JsonNode root = JsonBody.object(request);
    final JsonNode msg = Json.object(root, "message", "body");
    final String b64 = Json.text(msg, "data", "body.message");
    final byte[] raw;
    try {
      raw = Base64.getDecoder().decode(b64);
    } catch (IllegalArgumentException e) {
      throw new BadInput(SourceResult.Reason.INVALID_FIELD, "body.message.data is not base64");
    }
    final JsonNode data = Json.parse(raw);
    if (!data.isObject()) {
      throw Json.wrongType("message.data", "an object", data);
    }
    final Parsed out = new Parsed();
    final String action = Json.text(data, "action", "message.data");
    if ("DELETE".equals(action)) {
      out.deleted++;
      return out;
    }
    if (!"INSERT".equals(action)) {
      out.ignored++;
      return out;
    }
    final String digestRef = Json.optText(data, "digest", "message.data");
    final String tagRef = Json.optText(data, "tag", "message.data");
    if (digestRef == null && tagRef == null) {
      throw new BadInput(SourceResult.Reason.MISSING_FIELD, "message.data names neither digest nor tag");
    }
    final Push p = new Push("message.data");
    p.id = Json.text(msg, "messageId", "body.message");
    p.occurredAt = Json.optTime(msg, "publishTime", "body.message");
    if (digestRef != null) {
      final int at = digestRef.indexOf('@');
      if (at < 0) {
        throw new BadInput(SourceResult.Reason.INVALID_FIELD, "message.data.digest must be host/path@digest");
      }
      setName(p, digestRef.substring(0, at), "message.data.digest");
      p.digest = digestRef.substring(at + 1);
    }
    if (tagRef != null) {
      final int colon = tagRef.lastIndexOf(':');
      final int slash = tagRef.lastIndexOf('/');
      if (colon < 0 || colon < slash) {
        throw new BadInput(SourceResult.Reason.INVALID_FIELD, "message.data.tag must be host/path:tag");
      }
      final String registry = p.registry;
      final String repository = p.repository;
      setName(p, tagRef.substring(0, colon), "message.data.tag");
      if (registry != null && (!registry.equals(p.registry) || !repository.equals(p.repository))) {
        throw new BadInput(SourceResult.Reason.INVALID_FIELD, "message.data.digest and message.data.tag name different images");
      }
      p.tag = tagRef.substring(colon + 1);
    }
    p.attr("subscription", Json.optText(root, "subscription", "body"));
    out.pushes.add(p);
    return out;
  }

  private static void setName(final Push p, final String name, final String path) {
    final int slash = name.indexOf('/');
    if (slash <= 0) {
      throw new BadInput(SourceResult.Reason.INVALID_FIELD, path + " must start with the registry host");
    }
    p.registry = name.substring(0, slash);
    p.repository = name.substring(slash + 1);
  }
}
