package dev.sigstream.ingest.source;

import static dev.sigstream.ingest.source.Results.accepted;
import static dev.sigstream.ingest.source.Results.json;
import static dev.sigstream.ingest.source.Results.key;
import static dev.sigstream.ingest.source.Results.rejected;
import static dev.sigstream.ingest.source.Results.single;
import static dev.sigstream.ingest.source.Results.tree;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sigstream.schemas.avro.ArtifactPushed;
import java.util.List;
import org.junit.jupiter.api.Test;

class EventGridSourceTest {

  static final String KEY = "eventgrid-query-key-0123456789";
  static final String ACR = "jolovcr.azurecr.io";
  static final String CHART_REGISTRY = "charts.azurecr.io";
  static final String CE = "application/cloudevents+json; charset=utf-8";
  static final String EG = "application/json; charset=utf-8";

  private final Source source = new Source("acr", SourceType.EVENTGRID, Authenticators.queryKey("code", KEY),
      List.of(CHART_REGISTRY, ACR));

  private SourceResult post(final String contentType, final String body) {
    return source.handle(Req.post(contentType, body).query("code", KEY).header("aeg-event-type", "Notification").build());
  }

  @Test
  void eventGridSchema_imagePushed() {
    final ArtifactPushed e = single(post(EG, "[" + Req.example("acr-eventgrid-schema-image-pushed.json") + "]"));
    assertThat(key(e)).isEqualTo(ACR + "/samples/nginx@sha256:57a94fc99816c6aa225678b738ac40d85422e75dbb96115f1bb9b6ed77176166");
    assertThat(e.getArtifact().getTag()).isEqualTo("latest");
    assertThat(e.getArtifact().getSize()).isEqualTo(1153L);
    assertThat(e.getSource()).isEqualTo("acr-eventgrid");
    assertThat(e.getEventId()).isEqualTo("acr-eventgrid:c25fdb80-ebbd-4dd0-a29c-a7349e6388f6");
    assertThat(e.getAttributes()).containsEntry("location", "westus").containsEntry("connectedRegistry", "edge1")
        .containsEntry("mediaType", "application/vnd.docker.distribution.manifest.v2+json");
  }

  @Test
  void eventGridSchema_singleObjectAlsoAccepted() {
    assertThat(single(post(EG, Req.example("acr-eventgrid-schema-image-pushed.json"))).getArtifact().getRepository())
        .isEqualTo("samples/nginx");
  }

  @Test
  void eventGridSchema_chartPushed_usesConfiguredRegistry() {
    // Chart events carry no request.host: the source's first registry is used.
    final ArtifactPushed e = single(post(EG, Req.example("acr-eventgrid-schema-chart-pushed.json")));
    assertThat(key(e)).isEqualTo(CHART_REGISTRY + "/repo@sha256:7f060075264b5ba7c14c23672698152ae6a3ebac1c47916e4efe19cd624d5fab");
    assertThat(e.getArtifact().getTag()).isEqualTo("mychart-1.0.0.tgz");
    assertThat(e.getAttributes()).containsEntry("chartName", "mychart").containsEntry("chartVersion", "1.0.0")
        .containsEntry("mediaType", "application/vnd.acr.helm.chart");
  }

  @Test
  void eventGridSchema_deletesRecordedNotPublished() {
    for (final String f : List.of("acr-eventgrid-schema-image-deleted.json", "acr-eventgrid-schema-chart-deleted.json")) {
      final var a = accepted(post(EG, Req.example(f)));
      assertThat(a.events()).as(f).isEmpty();
      assertThat(a.deleted()).as(f).isEqualTo(1);
    }
  }

  @Test
  void eventGridSchema_batch() {
    final String body = "[" + Req.example("acr-eventgrid-schema-image-pushed.json") + ","
        + Req.example("acr-eventgrid-schema-chart-pushed.json") + "," + Req.example("acr-eventgrid-schema-image-deleted.json") + "]";
    final var a = accepted(post(EG, body));
    assertThat(a.events()).hasSize(2);
    assertThat(a.deleted()).isEqualTo(1);
  }

  @Test
  void cloudEventsSchema_imagePushed() {
    final ArtifactPushed e = single(post(CE, Req.example("acr-cloudevents-schema-image-pushed.json")));
    assertThat(key(e)).isEqualTo(ACR + "/samples/nginx@sha256:57a94fc99816c6aa225678b738ac40d85422e75dbb96115f1bb9b6ed77176166");
    assertThat(e.getAttributes()).containsEntry("connectedRegistry", "edge1");
  }

  @Test
  void cloudEventsSchema_chartPushedAndDeleted() {
    assertThat(single(post(CE, Req.example("acr-cloudevents-schema-chart-pushed.json"))).getArtifact().getTag())
        .isEqualTo("mychart-1.0.0.tgz");
    assertThat(accepted(post(CE, Req.example("acr-cloudevents-schema-chart-deleted.json"))).deleted()).isEqualTo(1);
  }

  @Test
  void cloudEventsSchema_batch() {
    final String body = "[" + Req.example("acr-cloudevents-schema-image-pushed.json") + ","
        + Req.example("acr-cloudevents-schema-chart-pushed.json") + "]";
    assertThat(accepted(post("application/cloudevents-batch+json; charset=utf-8", body)).events()).hasSize(2);
  }

  @Test
  void cloudEventsSchema_upstreamImageDeletedSample_camelCaseSpecVersion_isRefused() {
    // The upstream sample spells "specVersion" (a documentation error); CloudEvents requires "specversion".
    final var r = rejected(post(CE, Req.example("acr-cloudevents-schema-image-deleted.json")),
        SourceResult.Reason.MISSING_FIELD);
    assertThat(r.message()).isEqualTo("event.specversion is required");
    // Corrected, it is a delete.
    final ObjectNode fixed = json(Req.example("acr-cloudevents-schema-image-deleted.json"));
    fixed.remove("specVersion");
    fixed.put("specversion", "1.0");
    assertThat(accepted(post(CE, fixed.toString())).deleted()).isEqualTo(1);
  }

  @Test
  void subscriptionValidation_answersWithTheCode_beforeAuth() {
    // Given: the documented validation request, without the query key
    final SourceResult r = source.handle(Req.post(EG, Req.example("eventgrid-subscription-validation-event.json"))
        .header("aeg-event-type", "SubscriptionValidation").build());
    // Then: 200 with exactly the documented response body
    assertThat(r).isInstanceOf(SourceResult.Handshake.class);
    final var h = (SourceResult.Handshake) r;
    assertThat(h.status()).isEqualTo(200);
    assertThat(tree(h.jsonBody())).isEqualTo(tree(Req.example("eventgrid-subscription-validation-response.json")));
  }

  @Test
  void subscriptionValidation_withoutValidationEvent_fallsBackToAuth() {
    rejected(source.handle(Req.post(EG, Req.example("acr-eventgrid-schema-image-pushed.json"))
        .header("aeg-event-type", "SubscriptionValidation").build()), SourceResult.Reason.UNAUTHENTICATED);
    rejected(source.handle(Req.post(EG, Req.example("acr-eventgrid-schema-image-pushed.json")).query("code", KEY)
        .header("aeg-event-type", "SubscriptionValidation").build()), SourceResult.Reason.MISSING_FIELD);
  }

  @Test
  void validationEventWithoutHeader_isNotAHandshake_andPublishesNothing() {
    final var a = accepted(post(EG, Req.example("eventgrid-subscription-validation-event.json")));
    assertThat(a.events()).isEmpty();
    assertThat(a.ignored()).isEqualTo(1);
  }

  @Test
  void cloudEventsOptionsHandshake_echoesOrigin() {
    final SourceResult r = source.handle(Req.options().header("WebHook-Request-Origin", "eventgrid.azure.net")
        .header("WebHook-Request-Rate", "120").build());
    final var h = (SourceResult.Handshake) r;
    assertThat(h.status()).isEqualTo(200);
    assertThat(h.headers()).containsEntry("WebHook-Allowed-Origin", "eventgrid.azure.net")
        .containsEntry("WebHook-Allowed-Rate", "*").containsKey("Allow");
  }

  @Test
  void optionsHandshake_withoutOrigin_400_andHostileOrigin_400() {
    rejected(source.handle(Req.options().build()), SourceResult.Reason.MISSING_FIELD);
    rejected(source.handle(Req.options().header("WebHook-Request-Origin", "evil.com\r\nSet-Cookie: x").build()),
        SourceResult.Reason.INVALID_FIELD);
  }

  @Test
  void missingOrWrongKey_401() {
    rejected(source.handle(Req.post(EG, Req.example("acr-eventgrid-schema-image-pushed.json")).build()), SourceResult.Reason.UNAUTHENTICATED);
    rejected(source.handle(Req.post(EG, Req.example("acr-eventgrid-schema-image-pushed.json")).query("code", "nope").build()),
        SourceResult.Reason.UNAUTHENTICATED);
  }

  @Test
  void otherRegistry_403() {
    final ObjectNode e = json(Req.example("acr-eventgrid-schema-image-pushed.json"));
    ((ObjectNode) e.get("data").get("request")).put("host", "attacker.azurecr.io");
    rejected(post(EG, e.toString()), SourceResult.Reason.REGISTRY_NOT_ALLOWED);
  }

  @Test
  void missingAndWrongFields_400() {
    final ObjectNode noData = json(Req.example("acr-eventgrid-schema-image-pushed.json"));
    noData.remove("data");
    assertThat(rejected(post(EG, noData.toString()), SourceResult.Reason.INVALID_FIELD).message()).contains("Event Grid");
    final ObjectNode noDigest = json(Req.example("acr-eventgrid-schema-image-pushed.json"));
    ((ObjectNode) noDigest.get("data").get("target")).remove("digest");
    assertThat(rejected(post(EG, noDigest.toString()), SourceResult.Reason.MISSING_FIELD).message()).contains("data.target.digest");
    final ObjectNode wrongSize = json(Req.example("acr-eventgrid-schema-image-pushed.json"));
    ((ObjectNode) wrongSize.get("data").get("target")).put("size", "large");
    rejected(post(EG, wrongSize.toString()), SourceResult.Reason.INVALID_FIELD);
    final ArrayNode arr = Json.MAPPER.createArrayNode().add(1);
    rejected(post(EG, arr.toString()), SourceResult.Reason.INVALID_FIELD);
    rejected(post(EG, "[{"), SourceResult.Reason.MALFORMED_JSON);
  }

  @Test
  void wrongContentType_415() {
    rejected(post("text/xml", Req.example("acr-eventgrid-schema-image-pushed.json")), SourceResult.Reason.UNSUPPORTED_MEDIA_TYPE);
  }
}
