package dev.sigstream.ingest.source;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;

/**
 * Docker Hub repository webhooks: push only, tag only (no digest; the verifier resolves the tag). The registry
 * is {@code docker.io}; official images get the {@code library/} prefix. {@code callback_url} is never called.
 */
final class DockerHubParser implements SourceParser {

  static final String DOCKER_IO = "docker.io";

  @Override
  public Parsed parse(final WebhookRequest request) {
    final JsonNode root = JsonBody.object(request);
    final JsonNode pushData = Json.object(root, "push_data", "body");
    final JsonNode repo = Json.object(root, "repository", "body");
    final Push p = new Push("body");
    p.registry = DOCKER_IO;
    final String name = Json.text(repo, "repo_name", "body.repository");
    p.repository = name.indexOf('/') < 0 ? "library/" + name : name;
    p.tag = Json.text(pushData, "tag", "body.push_data");
    final Long at = Json.optLong(pushData, "pushed_at", "body.push_data");
    p.occurredAt = at == null ? null : Instant.ofEpochSecond(at);
    p.actor = Json.optText(pushData, "pusher", "body.push_data");
    final Parsed out = new Parsed();
    out.pushes.add(p);
    return out;
  }
}
