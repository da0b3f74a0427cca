package dev.sigstream.ingest.source;

import static dev.sigstream.ingest.source.Results.DIGEST_A;
import static dev.sigstream.ingest.source.Results.accepted;
import static dev.sigstream.ingest.source.Results.json;
import static dev.sigstream.ingest.source.Results.key;
import static dev.sigstream.ingest.source.Results.rejected;
import static dev.sigstream.ingest.source.Results.single;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sigstream.schemas.avro.ArtifactPushed;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.Test;

/** ACR native, Docker Hub, Quay, ECR via EventBridge and GAR via Pub/Sub push, on the reference payloads. */
class RegistrySourcesTest {

  static final String KEY = "url-secret-0123456789abcdef";
  static final String JSON = "application/json";

  private static Source source(final SourceType type, final String... registries) {
    return new Source(type.configName(), type, Authenticators.queryKey("key", KEY), List.of(registries));
  }

  private static SourceResult post(final Source s, final String body) {
    return s.handle(Req.post(JSON, body).query("key", KEY).build());
  }

  @Test
  void acrWebhook_pushWithPlaceholderDigest_400_realDigest_accepted() {
    final Source acr = source(SourceType.ACR_WEBHOOK, "myregistry.azurecr.io");
    assertThat(rejected(post(acr, Req.example("acr-webhook-push.json")), SourceResult.Reason.INVALID_DIGEST).message())
        .contains("body digest");
    final ObjectNode e = json(Req.example("acr-webhook-push.json"));
    ((ObjectNode) e.get("target")).put("digest", DIGEST_A);
    final ArtifactPushed p = single(post(acr, e.toString()));
    assertThat(key(p)).isEqualTo("myregistry.azurecr.io/hello-world@" + DIGEST_A);
    assertThat(p.getArtifact().getTag()).isEqualTo("v1");
    assertThat(p.getEventId()).isEqualTo("acr-webhook:cb8c3971-9adc-488b-xxxx-43cbb4974ff5");
  }

  @Test
  void acrWebhook_chartPush_deletes_quarantine() {
    final Source acr = source(SourceType.ACR_WEBHOOK, "myregistry.azurecr.io");
    final ObjectNode chart = json(Req.example("acr-webhook-chart-push.json"));
    ((ObjectNode) chart.get("target")).put("digest", DIGEST_A);
    final ArtifactPushed p = single(post(acr, chart.toString()));
    assertThat(p.getArtifact().getTag()).isEqualTo("wordpress-5.4.0.tgz");
    assertThat(p.getAttributes()).containsEntry("chartName", "wordpress");
    assertThat(accepted(post(acr, Req.example("acr-webhook-delete.json"))).deleted()).isEqualTo(1);
    assertThat(accepted(post(acr, Req.example("acr-webhook-chart-delete.json"))).deleted()).isEqualTo(1);
    final var q = accepted(post(acr, Req.example("acr-webhook-quarantine.json")));
    assertThat(q.events()).isEmpty();
    assertThat(q.ignored()).isEqualTo(1);
    assertThat(accepted(post(acr, "{}")).ignored()).as("ping").isEqualTo(1);
  }

  @Test
  void dockerHub_tagOnly() {
    final ArtifactPushed p = single(post(source(SourceType.DOCKERHUB, "docker.io"), Req.example("dockerhub-push.json")));
    assertThat(key(p)).isEqualTo("docker.io/svendowideit/testhook:latest");
    assertThat(p.getArtifact().getDigest()).isNull();
    assertThat(p.getActor()).isEqualTo("trustedbuilder");
    assertThat(p.getOccurredAt()).isEqualTo(java.time.Instant.ofEpochSecond(1417566161));
    assertThat(p.getSource()).isEqualTo("dockerhub");
  }

  @Test
  void dockerHub_missingTag_400() {
    final ObjectNode e = json(Req.example("dockerhub-push.json"));
    ((ObjectNode) e.get("push_data")).remove("tag");
    assertThat(rejected(post(source(SourceType.DOCKERHUB, "docker.io"), e.toString()), SourceResult.Reason.MISSING_FIELD).message())
        .isEqualTo("body.push_data.tag is required");
  }

  @Test
  void quay_oneEventPerTag() {
    final Source quay = source(SourceType.QUAY, "quay.io");
    final ArtifactPushed p = single(post(quay, Req.example("quay-repo_push-redhat-docs.json")));
    assertThat(key(p)).isEqualTo("quay.io/dgangaia/test:latest");
    final ObjectNode two = json(Req.example("quay-repo_push-redhat-docs.json"));
    two.putArray("updated_tags").add("v1").add("v2");
    assertThat(accepted(post(quay, two.toString())).events()).extracting(Results::key)
        .containsExactly("quay.io/dgangaia/test:v1", "quay.io/dgangaia/test:v2");
    final ObjectNode other = json(Req.example("quay-repo_push-redhat-docs.json"));
    other.put("docker_url", "evil.io/dgangaia/test");
    rejected(post(quay, other.toString()), SourceResult.Reason.REGISTRY_NOT_ALLOWED);
  }

  @Test
  void ecr_docsDigestIsTruncated_400_fullDigestAccepted() {
    final String registry = "123456789012.dkr.ecr.us-west-2.amazonaws.com";
    final Source ecr = source(SourceType.ECR, registry);
    // The AWS sample's digest has 60 hex digits, not 64.
    rejected(post(ecr, Req.example("ecr-eventbridge-image-action-push-awsdocs.json")), SourceResult.Reason.INVALID_DIGEST);
    final ObjectNode e = json(Req.example("ecr-eventbridge-image-action-push-awsdocs.json"));
    ((ObjectNode) e.get("detail")).put("image-digest", DIGEST_A).put("manifest-media-type", "application/vnd.oci.image.manifest.v1+json")
        .put("artifact-media-type", "application/vnd.example+type");
    final ArtifactPushed p = single(post(ecr, e.toString()));
    assertThat(key(p)).isEqualTo(registry + "/my-repository-name@" + DIGEST_A);
    assertThat(p.getArtifact().getTag()).isEqualTo("latest");
    assertThat(p.getEventId()).isEqualTo("ecr:13cde686-328b-6117-af20-0e5566167482");
    assertThat(p.getAttributes()).containsEntry("artifactMediaType", "application/vnd.example+type");
    ((ObjectNode) e.get("detail")).put("action-type", "DELETE");
    assertThat(accepted(post(ecr, e.toString())).deleted()).isEqualTo(1);
    e.put("detail-type", "ECR Image Scan");
    assertThat(accepted(post(ecr, e.toString())).ignored()).isEqualTo(1);
    final ObjectNode hostile = json(Req.example("ecr-eventbridge-image-action-push-awsdocs.json"));
    hostile.put("region", "us-west-2.evil.com/");
    rejected(post(ecr, hostile.toString()), SourceResult.Reason.INVALID_FIELD);
  }

  static String pubsub(final String data, final String messageId) {
    final ObjectNode push = Json.MAPPER.createObjectNode();
    push.putObject("message").put("data", Base64.getEncoder().encodeToString(data.getBytes(StandardCharsets.UTF_8)))
        .put("messageId", messageId).put("publishTime", "2026-01-01T00:00:00.123Z");
    push.put("subscription", "projects/my-project/subscriptions/sigstream");
    return push.toString();
  }

  @Test
  void gar_pubsubPush() {
    final Source gar = source(SourceType.GAR, "us-west1-docker.pkg.dev");
    // The documented data carries "sha256:..." placeholders.
    rejected(post(gar, pubsub(Req.example("gar-pubsub-data-insert-digest-only.json"), "1")), SourceResult.Reason.INVALID_DIGEST);
    rejected(post(gar, pubsub(Req.example("gar-pubsub-data-insert-digest-and-tag.json"), "2")), SourceResult.Reason.INVALID_DIGEST);
    assertThat(accepted(post(gar, pubsub(Req.example("gar-pubsub-data-delete-tag.json"), "3"))).deleted()).isEqualTo(1);
    final String real = Req.example("gar-pubsub-data-insert-digest-and-tag.json").replace("sha256:...", DIGEST_A);
    final ArtifactPushed p = single(post(gar, pubsub(real, "4")));
    assertThat(key(p)).isEqualTo("us-west1-docker.pkg.dev/my-project/my-repo/hello-world@" + DIGEST_A);
    assertThat(p.getArtifact().getTag()).isEqualTo("1.1");
    assertThat(p.getEventId()).isEqualTo("gar:4");
    final String digestOnly = Req.example("gar-pubsub-data-insert-digest-only.json").replace("sha256:...", DIGEST_A);
    assertThat(single(post(gar, pubsub(digestOnly, "5"))).getArtifact().getTag()).isNull();
  }

  @Test
  void gar_badEnvelope_400() {
    final Source gar = source(SourceType.GAR, "us-west1-docker.pkg.dev");
    rejected(post(gar, "{\"message\":{\"data\":\"***\",\"messageId\":\"1\"}}"), SourceResult.Reason.INVALID_FIELD);
    rejected(post(gar, "{\"subscription\":\"x\"}"), SourceResult.Reason.MISSING_FIELD);
    final String mismatched = "{\"action\":\"INSERT\",\"digest\":\"us-west1-docker.pkg.dev/p/r/a@" + DIGEST_A
        + "\",\"tag\":\"us-west1-docker.pkg.dev/p/r/b:1\"}";
    rejected(post(gar, pubsub(mismatched, "6")), SourceResult.Reason.INVALID_FIELD);
  }
}
