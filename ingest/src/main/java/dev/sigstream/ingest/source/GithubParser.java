package dev.sigstream.ingest.source;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Locale;

/**
 * GitHub Packages webhooks ({@code X-GitHub-Event: package} or {@code registry_package}, actions
 * {@code published}/{@code updated}) for container packages on {@code ghcr.io}. The digest is
 * {@code package_version.version}; the tag is {@code container_metadata.tag.name}. {@code ping} and other events
 * are ignored. The delivery id ({@code X-GitHub-Delivery}) is the replay key.
 */
final class GithubParser implements SourceParser {

  static final String GHCR = "ghcr.io";

  @Override
  public Parsed parse(final WebhookRequest request) {
    final String event = request.header("x-github-event");
    if (event == null || event.isEmpty()) {
      throw new BadInput(SourceResult.Reason.MISSING_FIELD, "header X-GitHub-Event is required");
    }
    final JsonNode root = JsonBody.object(request);
    final Parsed out = new Parsed();
    out.deliveryId = request.header("x-github-delivery");
    if (!event.equals("package") && !event.equals("registry_package")) {
      out.ignored++;
      return out;
    }
    final String action = Json.text(root, "action", "body");
    if (!action.equals("published") && !action.equals("updated")) {
      out.ignored++;
      return out;
    }
    final String path = "body." + event;
    final JsonNode pkg = Json.object(root, event, "body");
    final JsonNode version = Json.object(pkg, "package_version", path);
    final JsonNode container = Json.optObject(version, "container_metadata", path + ".package_version");
    final String type = Json.optText(pkg, "package_type", path);
    final String ecosystem = Json.optText(pkg, "ecosystem", path);
    final boolean isContainer = container != null
        || "container".equalsIgnoreCase(type) || "docker".equalsIgnoreCase(type) || "docker".equalsIgnoreCase(ecosystem);
    if (!isContainer) {
      out.ignored++;
      return out;
    }
    final Push p = new Push(path);
    final JsonNode owner = Json.object(pkg, "owner", path);
    // ghcr.io image names are the lower-cased owner/package.
    p.repository = (Json.text(owner, "login", path + ".owner") + "/" + Json.text(pkg, "name", path)).toLowerCase(Locale.ROOT);
    p.registry = GHCR;
    p.digest = Json.text(version, "version", path + ".package_version");
    p.occurredAt = Json.optTime(version, "updated_at", path + ".package_version");
    if (p.occurredAt != null && p.occurredAt.getEpochSecond() < 0) {
      p.occurredAt = null; // octokit samples carry 0001-01-01
    }
    if (container != null) {
      final JsonNode tag = Json.optObject(container, "tag", path + ".package_version.container_metadata");
      if (tag != null) {
        p.tag = Json.optText(tag, "name", path + ".package_version.container_metadata.tag");
      }
      final JsonNode manifest = Json.optObject(container, "manifest", path + ".package_version.container_metadata");
      if (manifest != null) {
        p.mediaType = Json.optText(manifest, "media_type", path + ".package_version.container_metadata.manifest");
        p.size = Json.optLong(manifest, "size", path + ".package_version.container_metadata.manifest");
      }
    }
    final JsonNode sender = Json.optObject(root, "sender", "body");
    if (sender != null) {
      p.actor = Json.optText(sender, "login", "body.sender");
    }
    p.id = out.deliveryId;
    p.attr("githubDelivery", out.deliveryId).attr("githubEvent", event);
    out.pushes.add(p);
    return out;
  }
}
