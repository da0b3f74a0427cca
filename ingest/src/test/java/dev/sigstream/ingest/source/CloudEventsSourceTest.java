package dev.sigstream.ingest.source;

import static dev.sigstream.ingest.source.Results.DIGEST_A;
import static dev.sigstream.ingest.source.Results.DIGEST_B;
import static dev.sigstream.ingest.source.Results.accepted;
import static dev.sigstream.ingest.source.Results.json;
import static dev.sigstream.ingest.source.Results.key;
import static dev.sigstream.ingest.source.Results.rejected;
import static dev.sigstream.ingest.source.Results.single;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sigstream.schemas.avro.ArtifactPushed;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Generic CloudEvents (structured, batched, binary), Harbor (both formats) and Zot. */
class CloudEventsSourceTest {

  static final String TOKEN = "Bearer ce-token-0123456789";
  static final String REG = "registry.example.com";

  private final Source ce = new Source("ce", SourceType.CLOUDEVENTS, Authenticators.header("Authorization", TOKEN), List.of(REG));
  private final Source harbor = new Source("harbor", SourceType.HARBOR, Authenticators.header("Authorization", TOKEN),
      List.of("hub.harbor.com", "harbor.dev"));
  private final Source zot = new Source("zot", SourceType.ZOT, Authenticators.basic("zot", "zot-password-123456"), List.of("zot.example.com:5000"));

  static String generic(final String id, final String digest) {
    final ObjectNode e = Json.MAPPER.createObjectNode().put("specversion", "1.0").put("id", id).put("source", "/ci/pipeline")
        .put("type", CloudEventsParser.GENERIC_PUSHED).put("time", "2026-01-01T00:00:00Z");
    e.putObject("data").put("repository", "team/app").put("digest", digest).put("tag", "v2")
        .put("mediaType", "application/vnd.oci.image.manifest.v1+json").put("artifactType", "application/vnd.example.sbom")
        .putObject("subject").put("digest", DIGEST_B);
    return e.toString();
  }

  @Test
  void structured_genericPush() {
    final ArtifactPushed e = single(ce.handle(Req.post("application/cloudevents+json", generic("1", DIGEST_A)).header("Authorization", TOKEN).build()));
    assertThat(key(e)).isEqualTo(REG + "/team/app@" + DIGEST_A);
    assertThat(e.getAttributes()).containsEntry("artifactType", "application/vnd.example.sbom").containsEntry("subject", DIGEST_B);
    assertThat(e.getEventId()).startsWith("cloudevents:1@");
    assertThat(e.getSource()).isEqualTo("cloudevents");
  }

  @Test
  void batch_genericPushes() {
    final String body = "[" + generic("1", DIGEST_A) + "," + generic("2", DIGEST_B) + "]";
    final var a = accepted(ce.handle(Req.post("application/cloudevents-batch+json", body).header("Authorization", TOKEN).build()));
    assertThat(a.events()).extracting(Results::key).containsExactly(REG + "/team/app@" + DIGEST_A, REG + "/team/app@" + DIGEST_B);
    // a batch must be an array, a structured event an object
    rejected(ce.handle(Req.post("application/cloudevents-batch+json", generic("1", DIGEST_A)).header("Authorization", TOKEN).build()),
        SourceResult.Reason.INVALID_FIELD);
    rejected(ce.handle(Req.post("application/cloudevents+json", body).header("Authorization", TOKEN).build()),
        SourceResult.Reason.INVALID_FIELD);
  }

  @Test
  void binary_genericPush_percentDecodedHeaders() {
    final String data = "{\"repository\":\"team/app\",\"digest\":\"" + DIGEST_A + "\"}";
    final ArtifactPushed e = single(ce.handle(Req.post("application/json", data).header("Authorization", TOKEN)
        .header("ce-specversion", "1.0").header("ce-id", "abc%2B1").header("ce-source", "%2Fci")
        .header("ce-type", CloudEventsParser.GENERIC_PUSHED).header("ce-time", "2026-01-01T00:00:00Z").build()));
    assertThat(e.getEventId()).startsWith("cloudevents:abc+1@");
    assertThat(key(e)).isEqualTo(REG + "/team/app@" + DIGEST_A);
  }

  @Test
  void binary_missingAttributes_400() {
    assertThat(rejected(ce.handle(Req.post("application/json", "{}").header("Authorization", TOKEN).header("ce-specversion", "1.0")
        .header("ce-source", "/x").header("ce-type", "t").build()), SourceResult.Reason.MISSING_FIELD).message()).contains("ce-id");
    rejected(ce.handle(Req.post("application/json", "{}").header("Authorization", TOKEN).header("ce-specversion", "0.3")
        .header("ce-id", "1").header("ce-source", "/x").header("ce-type", "t").build()), SourceResult.Reason.INVALID_FIELD);
    rejected(ce.handle(Req.post("application/json", "{}").header("Authorization", TOKEN).header("ce-specversion", "1.0")
        .header("ce-id", "%G1").header("ce-source", "/x").header("ce-type", "t").build()), SourceResult.Reason.INVALID_FIELD);
  }

  @Test
  void plainJsonWithoutCeHeaders_415() {
    rejected(ce.handle(Req.post("application/json", "{}").header("Authorization", TOKEN).build()), SourceResult.Reason.UNSUPPORTED_MEDIA_TYPE);
  }

  @Test
  void unknownType_ignored_andHarborPullIgnored() {
    final var a = accepted(ce.handle(Req.post("application/cloudevents+json",
        Req.example("harbor-cloudevents-artifact-pulled-code-comment.json")).header("Authorization", TOKEN).build()));
    assertThat(a.events()).isEmpty();
    assertThat(a.ignored()).isEqualTo(1);
  }

  @Test
  void harborCloudEvents_pushed() {
    // Given: Harbor's CloudEvents sample turned into the push it would send for the same artifact
    final ObjectNode e = json(Req.example("harbor-cloudevents-artifact-pulled-code-comment.json"));
    e.put("type", "harbor.artifact.pushed");
    final ArtifactPushed p = single(harbor.handle(Req.post("application/cloudevents+json", e.toString()).header("Authorization", TOKEN).build()));
    assertThat(key(p)).isEqualTo("harbor.dev/library/busybox@sha256:dde8e930c7b6a490f728e66292bc9bce42efc9bbb5278bae40e4f30f6e00fe8c");
    assertThat(p.getArtifact().getTag()).as("Harbor puts the digest in tag for untagged artifacts").isNull();
    assertThat(p.getActor()).startsWith("robot$library");
    assertThat(p.getSource()).isEqualTo("harbor");
  }

  @Test
  void harborDefault_push() {
    final ArtifactPushed p = single(harbor.handle(Req.post("application/json", Req.example("harbor-default-push-artifact-docs.json"))
        .header("Authorization", TOKEN).build()));
    assertThat(key(p)).isEqualTo("hub.harbor.com/test-webhook/debian@sha256:8a9e9863dbb6e10edb5adfe917c00da84e1700fa76e7ed02476aa6e6fb8ee0d8");
    assertThat(p.getArtifact().getTag()).isEqualTo("latest");
    assertThat(p.getOccurredAt()).isEqualTo(java.time.Instant.ofEpochSecond(1586922308));
    assertThat(p.getActor()).isEqualTo("admin");
    // no id in the payload: derived, and stable across redeliveries
    final ArtifactPushed again = single(harbor.handle(Req.post("application/json", Req.example("harbor-default-push-artifact-docs.json"))
        .header("Authorization", TOKEN).build()));
    assertThat(again.getEventId()).isEqualTo(p.getEventId()).startsWith("harbor:sha256-");
  }

  @Test
  void harborDefault_pullIgnored_missingRepository400() {
    assertThat(accepted(harbor.handle(Req.post("application/json", Req.example("harbor-default-pull-artifact-code-comment.json"))
        .header("Authorization", TOKEN).build())).ignored()).isEqualTo(1);
    final ObjectNode e = json(Req.example("harbor-default-push-artifact-docs.json"));
    ((ObjectNode) e.get("event_data")).remove("repository");
    assertThat(rejected(harbor.handle(Req.post("application/json", e.toString()).header("Authorization", TOKEN).build()),
        SourceResult.Reason.MISSING_FIELD).message()).isEqualTo("event_data.repository is required");
  }

  @Test
  void zotBinary_docsData_placeholderDigestRefused_realDigestAccepted() {
    final String basic = "Basic " + Base64.getEncoder().encodeToString("zot:zot-password-123456".getBytes());
    final Req r = Req.post("application/json", Req.example("zot-image-updated-data-docs.json")).header("Authorization", basic)
        .header("ce-specversion", "1.0").header("ce-id", "7c3f").header("ce-source", "zotregistry.dev")
        .header("ce-type", "zotregistry.image.updated");
    assertThat(rejected(zot.handle(r.build()), SourceResult.Reason.INVALID_DIGEST).message()).contains("sha256:abc...");
    // Given: the same data with a real digest and the raw manifest zot also sends
    final ObjectNode d = json(Req.example("zot-image-updated-data-docs.json"));
    d.put("digest", DIGEST_A);
    d.put("manifest", "{\"schemaVersion\":2,\"artifactType\":\"application/spdx+json\",\"subject\":{\"digest\":\"" + DIGEST_B + "\"}}");
    final ArtifactPushed p = single(zot.handle(r.body(d.toString()).build()));
    assertThat(key(p)).isEqualTo("zot.example.com:5000/space/my-image@" + DIGEST_A);
    assertThat(p.getArtifact().getTag()).isEqualTo("latest");
    assertThat(p.getActor()).isEqualTo("john");
    assertThat(p.getAttributes()).containsEntry("artifactType", "application/spdx+json").containsEntry("subject", DIGEST_B);
    // wrong password
    rejected(zot.handle(r.header("Authorization", "Basic " + Base64.getEncoder().encodeToString("zot:nope".getBytes())).build()),
        SourceResult.Reason.UNAUTHENTICATED);
  }
}
