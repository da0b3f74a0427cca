package dev.sigstream.ingest.source;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * Quay {@code repo_push} notifications: tags only, no digest and no timestamp. One push per updated tag; the
 * registry and repository come from {@code docker_url}. Quay sends no id or time, so the derived event id uses
 * the receive time: redeliveries are not recognised (the verifier dedupes by digest after resolving the tag).
 */
final class QuayParser implements SourceParser {

  @Override
  public Parsed parse(final WebhookRequest request) {
    final JsonNode root = JsonBody.object(request);
    final String url = Json.text(root, "docker_url", "body");
    final int slash = url.indexOf('/');
    if (slash <= 0 || slash == url.length() - 1) {
      throw new BadInput(SourceResult.Reason.INVALID_FIELD, "body.docker_url must be host/namespace/repository: '" + Json.clip(url) + "'");
    }
    final JsonNode tags = Json.array(root, "updated_tags", "body");
    final Parsed out = new Parsed();
    if (tags.size() > DistributionParser.MAX_EVENTS) {
      throw new BadInput(SourceResult.Reason.TOO_MANY_EVENTS, "body.updated_tags has more than " + DistributionParser.MAX_EVENTS + " tags");
    }
    for (int i = 0; i < tags.size(); i++) {
      final JsonNode t = tags.get(i);
      if (!t.isTextual()) {
        throw Json.wrongType("body.updated_tags[" + i + "]", "a string", t);
      }
      final Push p = new Push("body.updated_tags[" + i + "]");
      p.registry = url.substring(0, slash);
      p.repository = url.substring(slash + 1);
      p.tag = t.textValue();
      p.attr("homepage", Json.optText(root, "homepage", "body"));
      out.pushes.add(p);
    }
    if (tags.isEmpty()) {
      out.ignored++;
    }
    return out;
  }
}
