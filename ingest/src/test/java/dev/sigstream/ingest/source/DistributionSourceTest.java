package dev.sigstream.ingest.source;

import static dev.sigstream.ingest.source.Results.DIGEST_A;
import static dev.sigstream.ingest.source.Results.accepted;
import static dev.sigstream.ingest.source.Results.json;
import static dev.sigstream.ingest.source.Results.key;
import static dev.sigstream.ingest.source.Results.rejected;
import static dev.sigstream.ingest.source.Results.single;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sigstream.schemas.avro.ArtifactPushed;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

class DistributionSourceTest {

  static final String AUTH = "Bearer probe-secret";
  static final String V1 = MediaTypes.DISTRIBUTION_V1;

  private final Source source = new Source("local", SourceType.DISTRIBUTION, Authenticators.header("Authorization", AUTH),
      List.of("127.0.0.1:5055", "registrycluster.local", "127.0.0.1:5000"));

  private SourceResult post(final String contentType, final String body) {
    return source.handle(Req.post(contentType, body).header("Authorization", AUTH).build());
  }

  @Test
  void capturedRealPush_becomesOneArtifactPushed() {
    // When
    final ArtifactPushed e = single(post(V1, Req.example("distribution-real-push.json")));
    // Then
    assertThat(key(e)).isEqualTo("127.0.0.1:5055/probe/app@sha256:9394e9171bce5a5d4edef10261fbf9250753360b3e5b33ffd2c8c32a32ae5725");
    assertThat(e.getArtifact().getTag()).isEqualTo("v1");
    assertThat(e.getArtifact().getMediaType()).isEqualTo("application/vnd.oci.image.manifest.v1+json");
    assertThat(e.getArtifact().getSize()).isEqualTo(394L);
    assertThat(e.getEventId()).isEqualTo("distribution:3bd5f246-3f98-417d-bc3f-f257e332e384");
    assertThat(e.getSource()).isEqualTo("distribution");
    assertThat(e.getOccurredAt()).isEqualTo(java.time.Instant.parse("2026-11-25T02:31:30.579829317Z").truncatedTo(java.time.temporal.ChronoUnit.MILLIS));
    assertThat(e.getReceivedAt()).isEqualTo(Req.NOW);
    assertThat(e.getAttributes()).containsEntry("mediaType", "application/vnd.oci.image.manifest.v1+json")
        .containsEntry("requestId", "9d102de5-b817-46ce-aae1-72b278b15e04").containsEntry("references", "2");
  }

  @Test
  void capturedHeaders_matchWhatTheSourceExpects() {
    // The captured delivery's headers name the content type and the configured Authorization we authenticate.
    final String headers = Req.example("distribution-real-push.headers.txt");
    assertThat(headers).contains("Content-Type: " + V1).contains("Authorization: " + AUTH);
  }

  @Test
  void v2Envelope_isAccepted() {
    assertThat(single(post(MediaTypes.DISTRIBUTION_V2, Req.example("distribution-real-push.json"))).getArtifact().getRepository())
        .isEqualTo("probe/app");
  }

  @Test
  void eventTestFixture_hasPlaceholderDigest_rejectedNamingIt() {
    final var r = rejected(post(V1, Req.example("distribution-v3-push-envelope-eventtest-fixture.json")), SourceResult.Reason.INVALID_DIGEST);
    assertThat(r.message()).contains("events[0]").contains("digest").contains("sha256:0123456789abcdef0");
  }

  @Test
  void batch_keepsManifestPush_ignoresLayerPushes() {
    // Given: the upstream three-event envelope with a real-length digest on the manifest event
    final ObjectNode env = json(Req.example("distribution-v3-push-envelope-eventtest-fixture.json"));
    ((ObjectNode) env.get("events").get(0).get("target")).put("digest", DIGEST_A);
    // When
    final var a = accepted(post(V1, env.toString()));
    // Then
    assertThat(a.events()).hasSize(1);
    assertThat(key(a.events().get(0))).isEqualTo("registrycluster.local/library/test@" + DIGEST_A);
    assertThat(a.events().get(0).getActor()).isEqualTo("test-actor");
    assertThat(a.ignored()).isEqualTo(2);
  }

  @Test
  void batchOfManifestPushes_allPublished() {
    final ObjectNode env = json(Req.example("distribution-real-push.json"));
    final ArrayNode events = (ArrayNode) env.get("events");
    final ObjectNode second = events.get(0).deepCopy();
    second.put("id", "second");
    ((ObjectNode) second.get("target")).put("digest", DIGEST_A).remove("tag");
    events.add(second);
    final var a = accepted(post(V1, env.toString()));
    assertThat(a.events()).extracting(Results::key).containsExactly(
        "127.0.0.1:5055/probe/app@sha256:9394e9171bce5a5d4edef10261fbf9250753360b3e5b33ffd2c8c32a32ae5725",
        "127.0.0.1:5055/probe/app@" + DIGEST_A);
  }

  @Test
  void pull_isIgnored() {
    final ObjectNode env = json(Req.example("distribution-pull-manifest-docs.json"));
    // the docs example's host is not ours; pulls are dropped before the allowlist anyway
    final var a = accepted(post(V1, env.toString()));
    assertThat(a.events()).isEmpty();
    assertThat(a.ignored()).isEqualTo(1);
  }

  @Test
  void delete_isCountedNotPublished() {
    final ObjectNode env = json(Req.example("distribution-real-push.json"));
    ((ObjectNode) env.get("events").get(0)).put("action", "delete");
    final var a = accepted(post(V1, env.toString()));
    assertThat(a.events()).isEmpty();
    assertThat(a.deleted()).isEqualTo(1);
  }

  @Test
  void missingRepository_400NamesTheField() {
    final ObjectNode env = json(Req.example("distribution-real-push.json"));
    ((ObjectNode) env.get("events").get(0).get("target")).remove("repository");
    assertThat(rejected(post(V1, env.toString()), SourceResult.Reason.MISSING_FIELD).message())
        .isEqualTo("events[0].target.repository is required");
  }

  @Test
  void wrongType_400NamesTheField() {
    assertThat(rejected(post(V1, "{\"events\":{}}"), SourceResult.Reason.INVALID_FIELD).message())
        .contains("body.events").contains("array");
    final ObjectNode env = json(Req.example("distribution-real-push.json"));
    ((ObjectNode) env.get("events").get(0).get("target")).put("size", "big");
    assertThat(rejected(post(V1, env.toString()), SourceResult.Reason.INVALID_FIELD).message())
        .contains("events[0].target.size").contains("integer");
  }

  @Test
  void malformedJson_400() {
    assertThat(rejected(post(V1, "{\"events\": [ {"), SourceResult.Reason.MALFORMED_JSON).message()).contains("not valid JSON");
    rejected(post(V1, ""), SourceResult.Reason.MALFORMED_JSON);
    rejected(post(V1, "{\"events\":[]} trailing"), SourceResult.Reason.MALFORMED_JSON);
    rejected(post(V1, "[".repeat(5000)), SourceResult.Reason.MALFORMED_JSON);
  }

  @Test
  void wrongContentType_415() {
    rejected(post("text/plain", Req.example("distribution-real-push.json")), SourceResult.Reason.UNSUPPORTED_MEDIA_TYPE);
    rejected(source.handle(Req.post(null, "{}").header("Authorization", AUTH).build()), SourceResult.Reason.UNSUPPORTED_MEDIA_TYPE);
  }

  @ParameterizedTest
  @ValueSource(strings = {"../etc/passwd", "probe/../../x", "/probe/app", "probe//app", "Probe/App", "probe/app\n",
      "probe/app\u0000", "probe/app%2F..", "probe\\app", "probe/app/", ".hidden/app", "probe/app "})
  void hostileRepository_rejectedAtTheEdge(final String repo) {
    final ObjectNode env = json(Req.example("distribution-real-push.json"));
    ((ObjectNode) env.get("events").get(0).get("target")).put("repository", repo);
    assertThat(rejected(post(V1, env.toString()), SourceResult.Reason.INVALID_NAME).message())
        .contains("events[0] repository").doesNotContain("\n").doesNotContain("\u0000");
  }

  @Test
  void overlongRepository_rejected() {
    final ObjectNode env = json(Req.example("distribution-real-push.json"));
    ((ObjectNode) env.get("events").get(0).get("target")).put("repository", "a/".repeat(200) + "b");
    rejected(post(V1, env.toString()), SourceResult.Reason.INVALID_NAME);
  }

  @ParameterizedTest
  @ValueSource(strings = {"evil.example.com", "127.0.0.1:5056"})
  void registryNotAllowed_403(final String host) {
    final ObjectNode env = json(Req.example("distribution-real-push.json"));
    ((ObjectNode) env.get("events").get(0).get("request")).put("host", host);
    assertThat(rejected(post(V1, env.toString()), SourceResult.Reason.REGISTRY_NOT_ALLOWED).message()).contains(host);
  }

  @ParameterizedTest
  @ValueSource(strings = {"evil.com/../x", "host\r\nX-Injected: 1", "a..b", "-bad.com", "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx.com"})
  void hostileRegistryHost_400(final String host) {
    final ObjectNode env = json(Req.example("distribution-real-push.json"));
    ((ObjectNode) env.get("events").get(0).get("request")).put("host", host);
    rejected(post(V1, env.toString()), SourceResult.Reason.INVALID_NAME);
  }

  @Test
  void hostileTag_rejected() {
    final ObjectNode env = json(Req.example("distribution-real-push.json"));
    ((ObjectNode) env.get("events").get(0).get("target")).put("tag", "v1;rm -rf");
    rejected(post(V1, env.toString()), SourceResult.Reason.INVALID_NAME);
  }

  @Test
  void oneBadEventInBatch_refusesTheWholeBatch() {
    final ObjectNode env = json(Req.example("distribution-real-push.json"));
    final ArrayNode events = (ArrayNode) env.get("events");
    final ObjectNode bad = events.get(0).deepCopy();
    ((ObjectNode) bad.get("target")).put("repository", "../x");
    events.add(bad);
    rejected(post(V1, env.toString()), SourceResult.Reason.INVALID_NAME);
  }

  @Test
  void missingOrWrongSecret_401() {
    rejected(source.handle(Req.post(V1, Req.example("distribution-real-push.json")).build()), SourceResult.Reason.UNAUTHENTICATED);
    final var r = rejected(source.handle(Req.post(V1, Req.example("distribution-real-push.json"))
        .header("Authorization", "Bearer probe-secreT").build()), SourceResult.Reason.UNAUTHENTICATED);
    assertThat(r.message()).doesNotContain("probe-secre");
  }

  @Test
  void authIsCheckedBeforeParsing() {
    // An unauthenticated sender learns nothing about the parser.
    rejected(source.handle(Req.post("text/plain", "garbage").build()), SourceResult.Reason.UNAUTHENTICATED);
  }

  @Test
  void noOptionsHandshake_405() {
    final SourceResult r = source.handle(Req.options().header("WebHook-Request-Origin", "eventgrid.azure.net").build());
    assertThat(r).isInstanceOf(SourceResult.Handshake.class);
    assertThat(((SourceResult.Handshake) r).status()).isEqualTo(405);
  }
}
