package dev.sigstream.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sigstream.schemas.avro.ArtifactPushed;
import dev.sigstream.testing.Reference;
import dev.sigstream.testing.kafka.KafkaBroker;
import dev.sigstream.testing.kafka.KafkaBrokerExtension;
import java.io.ByteArrayInputStream;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.ExtensionContext;

/** The HTTP contract on the real in-JVM broker: 2xx only after acks, nothing produced on any refusal. */
@Tag("integration")
@Timeout(value = 3, unit = TimeUnit.MINUTES)
@ExtendWith(KafkaBrokerExtension.class)
class IngestHttpIT {

  static final String AUTH = "Bearer local-registry-token";
  static final String V1 = "application/vnd.docker.distribution.events.v1+json";
  static final String GH_SECRET = "github-secret-0123456789abcdef";
  static final ObjectMapper JSON = new ObjectMapper();

  private final KafkaBroker broker;
  private IngestHarness ingest;

  IngestHttpIT(final KafkaBroker broker) {
    this.broker = broker;
  }

  @BeforeEach
  void start(final TestInfo info) throws Exception {
    final String topic = "ingest-http-" + info.getTestMethod().orElseThrow().getName() + "-" + Long.toHexString(System.nanoTime());
    IngestHarness.createTopic(broker.bootstrapServers(), topic, 3);
    ingest = new IngestHarness(broker.bootstrapServers(), topic, Map.ofEntries(
        Map.entry("SIGSTREAM_INGEST_SOURCES", "local,gh,acr"),
        Map.entry("SIGSTREAM_INGEST_SOURCE_ACR_TYPE", "eventgrid"),
        Map.entry("SIGSTREAM_INGEST_SOURCE_ACR_REGISTRIES", "jolovcr.azurecr.io"),
        Map.entry("SIGSTREAM_INGEST_SOURCE_ACR_AUTH", "query-key"),
        Map.entry("SIGSTREAM_INGEST_SOURCE_ACR_QUERY_PARAM", "code"),
        Map.entry("SIGSTREAM_INGEST_SOURCE_ACR_SECRET", "eventgrid-key-0123456789"),
        Map.entry("SIGSTREAM_INGEST_SOURCE_LOCAL_TYPE", "distribution"),
        Map.entry("SIGSTREAM_INGEST_SOURCE_LOCAL_REGISTRIES", "127.0.0.1:5055"),
        Map.entry("SIGSTREAM_INGEST_SOURCE_LOCAL_AUTH", "header"),
        Map.entry("SIGSTREAM_INGEST_SOURCE_LOCAL_SECRET", AUTH),
        Map.entry("SIGSTREAM_INGEST_SOURCE_GH_TYPE", "github"),
        Map.entry("SIGSTREAM_INGEST_SOURCE_GH_REGISTRIES", "ghcr.io"),
        Map.entry("SIGSTREAM_INGEST_SOURCE_GH_AUTH", "hmac-sha256"),
        Map.entry("SIGSTREAM_INGEST_SOURCE_GH_SECRET", GH_SECRET),
        Map.entry("SIGSTREAM_INGEST_MAX_BODY_BYTES", "65536")));
    await().atMost(Duration.ofSeconds(30)).until(ingest.service::ready);
  }

  @AfterEach
  void stop() {
    ingest.close();
  }

  static String example(final String name) throws Exception {
    return Files.readString(Reference.resolve("webhooks/examples/" + name));
  }

  static String withDigest(final String body, final int n) throws Exception {
    final ObjectNode env = (ObjectNode) JSON.readTree(body);
    final ObjectNode e = (ObjectNode) env.get("events").get(0);
    e.put("id", "evt-" + n);
    ((ObjectNode) e.get("target")).put("digest", "sha256:" + String.format("%064x", n));
    return env.toString();
  }

  @Test
  void push_200_afterTheRecordIsOnTheTopic() throws Exception {
    // When
    final HttpResponse<String> r = ingest.post("/v1/events/local", V1, example("distribution-real-push.json"), "Authorization", AUTH);
    // Then
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    assertThat(JSON.readTree(r.body()).get("accepted").asInt()).isEqualTo(1);
    final List<ConsumerRecord<String, ArtifactPushed>> records = ingest.records(Duration.ofMillis(300));
    assertThat(records).singleElement().satisfies(rec -> {
      assertThat(rec.key()).isEqualTo("127.0.0.1:5055/probe/app@sha256:9394e9171bce5a5d4edef10261fbf9250753360b3e5b33ffd2c8c32a32ae5725");
      assertThat(rec.value().getEventId()).isEqualTo("distribution:3bd5f246-3f98-417d-bc3f-f257e332e384");
    });
    assertThat(ingest.metrics.get(IngestMetrics.EVENTS).tag("source", "local").tag("result", "accepted").counter().count()).isEqualTo(1.0);
    assertThat(ingest.metrics.get(IngestMetrics.PRODUCE).tag("result", "acked").timer().count()).isEqualTo(1);
  }

  @Test
  void trailingSlash_isServedByTheJavalinRoute_withTheSameEndpoint() throws Exception {
    // POST /v1/events/local is served by WebhookJettyHandler in front of Javalin; with a trailing slash the request
    // goes on to Javalin's route over the same WebhookEndpoint: same checks, same answers.
    final String push = example("distribution-real-push.json");
    assertRefused(ingest.post("/v1/events/local/", V1, push), 401, "UNAUTHENTICATED");
    assertRefused(ingest.post("/v1/events/local/", "text/plain", push, "Authorization", AUTH), 415, "UNSUPPORTED_MEDIA_TYPE");
    final HttpResponse<String> viaJavalin = ingest.post("/v1/events/local/", V1, push, "Authorization", AUTH);
    final HttpResponse<String> viaJetty = ingest.post("/v1/events/local", V1, push, "Authorization", AUTH);
    assertThat(viaJavalin.statusCode()).as(viaJavalin.body()).isEqualTo(200);
    assertThat(viaJavalin.body()).isEqualTo("{\"accepted\":1,\"ignored\":0,\"deleted\":0,\"duplicates\":0}");
    assertThat(viaJetty.statusCode()).isEqualTo(200);
    assertThat(viaJetty.body()).isEqualTo("{\"accepted\":0,\"ignored\":0,\"deleted\":0,\"duplicates\":1}");
    assertThat(viaJetty.headers().firstValue("Content-Type")).contains("application/json");
    assertThat(ingest.records(Duration.ofMillis(300))).hasSize(1);
    // other methods on the path are Javalin's: no route, 404
    assertThat(ingest.http.send(java.net.http.HttpRequest.newBuilder(ingest.uri("/v1/events/local")).GET().build(),
        HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(404);
  }

  @Test
  void replayedDelivery_200_producedOnce() throws Exception {
    final String body = example("distribution-real-push.json");
    assertThat(ingest.post("/v1/events/local", V1, body, "Authorization", AUTH).statusCode()).isEqualTo(200);
    final HttpResponse<String> again = ingest.post("/v1/events/local", V1, body, "Authorization", AUTH);
    assertThat(again.statusCode()).isEqualTo(200);
    assertThat(JSON.readTree(again.body()).get("duplicates").asInt()).isEqualTo(1);
    assertThat(ingest.records(Duration.ofMillis(500))).hasSize(1);
  }

  @Test
  void githubDeliveryReplay_acknowledgedNotProducedAgain_forgedSignature401() throws Exception {
    final String body = example("github-package-published-docker-octokit.json");
    final Mac mac = Mac.getInstance("HmacSHA256");
    mac.init(new SecretKeySpec(GH_SECRET.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
    final String sig = "sha256=" + HexFormat.of().formatHex(mac.doFinal(body.getBytes(StandardCharsets.UTF_8)));
    final String[] headers = {"X-GitHub-Event", "package", "X-GitHub-Delivery", "d-1", "X-Hub-Signature-256", sig};
    assertThat(ingest.post("/v1/events/gh", "application/json", body, headers).statusCode()).isEqualTo(200);
    final HttpResponse<String> replay = ingest.post("/v1/events/gh", "application/json", body, headers);
    assertThat(replay.statusCode()).isEqualTo(200);
    final HttpResponse<String> forged = ingest.post("/v1/events/gh", "application/json", body.replace("Codertocat", "Attacker"), headers);
    assertThat(forged.statusCode()).isEqualTo(401);
    assertThat(JSON.readTree(forged.body()).get("error").asText()).isEqualTo("BAD_SIGNATURE");
    assertThat(ingest.records(Duration.ofMillis(500))).hasSize(1);
  }

  @Test
  void batch_allPublishedInOneRequest() throws Exception {
    final ObjectNode env = (ObjectNode) JSON.readTree(example("distribution-real-push.json"));
    final JsonNode first = env.get("events").get(0);
    for (int i = 1; i <= 4; i++) {
      final ObjectNode e = first.deepCopy();
      e.put("id", "batch-" + i);
      ((ObjectNode) e.get("target")).put("digest", "sha256:" + String.format("%064x", i));
      ((com.fasterxml.jackson.databind.node.ArrayNode) env.get("events")).add(e);
    }
    final HttpResponse<String> r = ingest.post("/v1/events/local", V1, env.toString(), "Authorization", AUTH);
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    assertThat(ingest.records(Duration.ofMillis(300))).hasSize(5);
  }

  @Test
  void refusals_areJson_andProduceNothing() throws Exception {
    final String push = example("distribution-real-push.json");
    // 401 without / with a wrong secret
    assertRefused(ingest.post("/v1/events/local", V1, push), 401, "UNAUTHENTICATED");
    assertRefused(ingest.post("/v1/events/local", V1, push, "Authorization", "Bearer guess"), 401, "UNAUTHENTICATED");
    // 403 for another registry
    assertRefused(ingest.post("/v1/events/local", V1, push.replace("\"host\": \"127.0.0.1:5055\"", "\"host\": \"evil.example.com\""),
        "Authorization", AUTH), 403, "REGISTRY_NOT_ALLOWED");
    // 415, 400s
    assertRefused(ingest.post("/v1/events/local", "text/plain", push, "Authorization", AUTH), 415, "UNSUPPORTED_MEDIA_TYPE");
    assertRefused(ingest.post("/v1/events/local", V1, "{\"events\":[{]}", "Authorization", AUTH), 400, "MALFORMED_JSON");
    assertRefused(ingest.post("/v1/events/local", V1, push.replace("\"repository\": \"probe/app\"", "\"repository\": \"../../etc\""),
        "Authorization", AUTH), 400, "INVALID_NAME");
    final HttpResponse<String> missing = ingest.post("/v1/events/local", V1, push.replace("\"digest\": \"sha256:9394", "\"dijest\": \"sha256:9394"),
        "Authorization", AUTH);
    assertRefused(missing, 400, "MISSING_FIELD");
    assertThat(JSON.readTree(missing.body()).get("message").asText()).isEqualTo("events[0].target.digest is required");
    // batch all-or-nothing: a good event beside a bad one is not produced
    final ObjectNode env = (ObjectNode) JSON.readTree(withDigest(push, 7));
    final ObjectNode bad = env.get("events").get(0).deepCopy();
    ((ObjectNode) bad.get("target")).put("repository", "UPPER/case");
    ((com.fasterxml.jackson.databind.node.ArrayNode) env.get("events")).add(bad);
    assertRefused(ingest.post("/v1/events/local", V1, env.toString(), "Authorization", AUTH), 400, "INVALID_NAME");
    // 404 for an unknown source
    assertRefused(ingest.post("/v1/events/nope", V1, push, "Authorization", AUTH), 404, "UNKNOWN_SOURCE");
    assertThat(ingest.records(Duration.ofMillis(500))).isEmpty();
    assertThat(ingest.metrics.get(IngestMetrics.REJECTED).tag("source", "local").tag("reason", "UNAUTHENTICATED").counter().count()).isEqualTo(2.0);
  }

  @Test
  void hugeBodies_413_declaredOrStreamed() throws Exception {
    final String huge = "{\"events\":[" + "{\"x\":\"" + "a".repeat(70_000) + "\"}]}";
    assertRefused(ingest.post("/v1/events/local", V1, huge, "Authorization", AUTH), 413, "PAYLOAD_TOO_LARGE");
    // chunked, no Content-Length: the cap applies while reading
    final HttpRequest chunked = HttpRequest.newBuilder(ingest.uri("/v1/events/local")).header("Content-Type", V1)
        .header("Authorization", AUTH)
        .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(huge.getBytes(StandardCharsets.UTF_8)))).build();
    assertRefused(ingest.http.send(chunked, HttpResponse.BodyHandlers.ofString()), 413, "PAYLOAD_TOO_LARGE");
    assertThat(ingest.records(Duration.ofMillis(300))).isEmpty();
  }

  @Test
  void eventGridHandshakes_overHttp_andCloudEventsPush() throws Exception {
    // Event Grid schema validation: 200 with the code, nothing produced
    final HttpResponse<String> validation = ingest.post("/v1/events/acr", "application/json",
        example("eventgrid-subscription-validation-event.json"), "aeg-event-type", "SubscriptionValidation");
    assertThat(validation.statusCode()).isEqualTo(200);
    assertThat(JSON.readTree(validation.body())).isEqualTo(JSON.readTree(example("eventgrid-subscription-validation-response.json")));
    // CloudEvents abuse protection
    final HttpResponse<String> options = ingest.http.send(HttpRequest.newBuilder(ingest.uri("/v1/events/acr?code=eventgrid-key-0123456789"))
        .method("OPTIONS", HttpRequest.BodyPublishers.noBody()).header("WebHook-Request-Origin", "eventgrid.azure.net")
        .header("WebHook-Request-Rate", "120").build(), HttpResponse.BodyHandlers.ofString());
    assertThat(options.statusCode()).isEqualTo(200);
    assertThat(options.headers().firstValue("WebHook-Allowed-Origin")).contains("eventgrid.azure.net");
    assertThat(options.headers().firstValue("WebHook-Allowed-Rate")).contains("*");
    // then a CloudEvents delivery with the key
    final HttpResponse<String> push = ingest.post("/v1/events/acr?code=eventgrid-key-0123456789", "application/cloudevents+json; charset=utf-8",
        example("acr-cloudevents-schema-image-pushed.json"));
    assertThat(push.statusCode()).as(push.body()).isEqualTo(200);
    assertThat(ingest.records(Duration.ofMillis(300))).singleElement()
        .satisfies(r -> assertThat(r.value().getSource()).isEqualTo("acr-eventgrid"));
    // OPTIONS on a source without the handshake
    final HttpResponse<String> noHandshake = ingest.http.send(HttpRequest.newBuilder(ingest.uri("/v1/events/local"))
        .method("OPTIONS", HttpRequest.BodyPublishers.noBody()).header("WebHook-Request-Origin", "x.example.com").build(),
        HttpResponse.BodyHandlers.ofString());
    assertThat(noHandshake.statusCode()).isEqualTo(405);
  }

  @Test
  void healthAndReadiness() throws Exception {
    final var health = ingest.http.send(HttpRequest.newBuilder(ingest.uri("/healthz")).build(), HttpResponse.BodyHandlers.ofString());
    final var ready = ingest.http.send(HttpRequest.newBuilder(ingest.uri("/readyz")).build(), HttpResponse.BodyHandlers.ofString());
    assertThat(health.statusCode()).isEqualTo(200);
    assertThat(ready.statusCode()).isEqualTo(200);
  }

  static void assertRefused(final HttpResponse<String> r, final int status, final String code) throws Exception {
    assertThat(r.statusCode()).as(r.body()).isEqualTo(status);
    assertThat(r.headers().firstValue("Content-Type")).get().asString().startsWith("application/json");
    final JsonNode body = JSON.readTree(r.body());
    assertThat(body.get("error").asText()).isEqualTo(code);
    assertThat(body.get("message").asText()).isNotBlank().doesNotContain("Exception").doesNotContain("\tat ");
  }
}
