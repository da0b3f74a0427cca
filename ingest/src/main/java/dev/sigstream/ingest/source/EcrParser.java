package dev.sigstream.ingest.source;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.regex.Pattern;

/**
 * AWS ECR events forwarded by an EventBridge API destination: {@code detail-type: ECR Image Action},
 * {@code action-type: PUSH}, {@code result: SUCCESS}. The registry is
 * {@code <account>.dkr.ecr.<region>.amazonaws.com}. Deletes are counted; other ECR event types are ignored.
 */
final class EcrParser implements SourceParser {

  private static final Pattern ACCOUNT = Pattern.compile("[0-9]{12}");
  private static final Pattern REGION = Pattern.compile("[a-z]{2}(?:-[a-z]+){1,2}-[0-9]");

  @Override
  public Parsed parse(final WebhookRequest request) {
    final JsonNode root = JsonBody.object(request);
    final Parsed out = new Parsed();
    final String detailType = Json.text(root, "detail-type", "body");
    final String source = Json.text(root, "source", "body");
    if (!"aws.ecr".equals(source) || !"ECR Image Action".equals(detailType)) {
      out.ignored++;
      return out;
    }
    final JsonNode d = Json.object(root, "detail", "body");
    final String action = Json.text(d, "action-type", "body.detail");
    final String result = Json.optText(d, "result", "body.detail");
    if ("DELETE".equals(action)) {
      out.deleted++;
      return out;
    }
    if (!"PUSH".equals(action) || result != null && !"SUCCESS".equals(result)) {
      out.ignored++;
      return out;
    }
    final String account = Json.text(root, "account", "body");
    final String region = Json.text(root, "region", "body");
    if (!ACCOUNT.matcher(account).matches()) {
      throw new BadInput(SourceResult.Reason.INVALID_FIELD, "body.account must be a 12-digit AWS account id");
    }
    if (region.length() > 32 || !REGION.matcher(region).matches()) {
      throw new BadInput(SourceResult.Reason.INVALID_FIELD, "body.region is not an AWS region: '" + Json.clip(region) + "'");
    }
    final Push p = new Push("body.detail");
    p.id = Json.text(root, "id", "body");
    p.occurredAt = Json.optTime(root, "time", "body");
    p.registry = account + ".dkr.ecr." + region + ".amazonaws.com";
    p.repository = Json.text(d, "repository-name", "body.detail");
    p.digest = Json.text(d, "image-digest", "body.detail");
    p.tag = Json.optText(d, "image-tag", "body.detail");
    p.mediaType = Json.optText(d, "manifest-media-type", "body.detail");
    p.attr("artifactMediaType", Json.optText(d, "artifact-media-type", "body.detail"));
    out.pushes.add(p);
    return out;
  }
}
