package dev.sigstream.verifier.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sigstream.schemas.avro.ArtifactClass;
import dev.sigstream.schemas.avro.ArtifactRef;
import dev.sigstream.schemas.avro.Outcome;
import dev.sigstream.schemas.avro.ReasonCode;
import dev.sigstream.schemas.avro.ReferrersSummary;
import dev.sigstream.schemas.avro.Verdict;
import dev.sigstream.verifier.topology.PendingWork;
import java.time.Instant;
import java.util.ArrayList;
import dev.sigstream.oci.Reference;
import dev.sigstream.verifier.core.ArtifactReport;
import dev.sigstream.verifier.core.Reason;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;

/** Admission answers: only a current PASS (or SKIPPED) is let through; everything else carries an error. */
class GatekeeperProviderTest {

  private static final String DIGEST = "sha256:" + "a".repeat(64);
  private static final String KEY = "registry.test/team/app@" + DIGEST;

  private final Map<String, Verdict> verdicts = new HashMap<>();
  private final Map<String, PendingWork> pending = new HashMap<>();
  private final List<String> reverified = new ArrayList<>();
  private String trustVersion = "sha256:v1";

  private final VerdictQueries queries = new VerdictQueries() {
    @Override
    public Optional<Verdict> verdict(final String artifactKey) {
      return Optional.ofNullable(verdicts.get(artifactKey));
    }

    @Override
    public List<Verdict> verdicts(final Predicate<Verdict> filter, final int limit) {
      return verdicts.values().stream().filter(filter).limit(limit).toList();
    }

    @Override
    public Optional<PendingWork> pending(final String artifactKey) {
      return Optional.ofNullable(pending.get(artifactKey));
    }

    @Override
    public String trustVersion() {
      return trustVersion;
    }

    @Override
    public void reverify(final String artifactKey) {
      reverified.add(artifactKey);
    }

    @Override
    public CompletableFuture<Optional<ArtifactReport>> verifyNow(final Reference artifact) {
      return onDemandAnswers.getOrDefault(artifact.digest().toString(), new CompletableFuture<>());
    }
  };
  private final Map<String, CompletableFuture<Optional<ArtifactReport>>> onDemandAnswers = new HashMap<>();
  private final GatekeeperProvider provider = new GatekeeperProvider(queries);

  @Test
  void currentPass_isAllowed() {
    verdicts.put(KEY, verdict(Outcome.PASS, ReasonCode.OK, "sha256:v1"));

    final ObjectNode item = provider.item(KEY);

    assertThat(item.has("error")).isFalse();
    assertThat(item.path("value").path("outcome").asText()).isEqualTo("PASS");
  }

  @Test
  void fail_isDeniedWithItsReason() {
    verdicts.put(KEY, verdict(Outcome.FAIL, ReasonCode.NO_SIGNATURE, "sha256:v1"));

    assertThat(provider.item(KEY).path("error").asText()).startsWith("FAIL NO_SIGNATURE");
  }

  @Test
  void passUnderOtherTrustMaterial_isDenied_andReverified() {
    verdicts.put(KEY, verdict(Outcome.PASS, ReasonCode.OK, "sha256:v0"));

    assertThat(provider.item(KEY).path("error").asText()).startsWith("stale");
    assertThat(reverified).containsExactly(KEY);
  }

  @Test
  void pending_unknown_tagged_andUnqualified_areDenied() {
    pending.put(KEY, new PendingWork(new byte[0], PendingWork.State.AWAITING_SIGNATURE, 0, 0, 0, "NO_SIGNATURE"));

    assertThat(provider.item(KEY).path("error").asText()).startsWith("pending: awaiting_signature");
    assertThat(provider.item("registry.test/team/other@" + DIGEST).path("error").asText()).startsWith("no verdict");
    assertThat(provider.item("registry.test/team/app:v1").path("error").asText()).contains("by digest");
    assertThat(provider.item("nginx:latest").path("error").asText()).startsWith("not a fully qualified");
    assertThat(provider.item("x".repeat(5000)).path("error").asText()).isEqualTo("reference too long");
  }

  @Test
  void unseenImage_withOnDemandOn_isVerifiedNow_passAllowed_failDenied_slowDenied() {
    final GatekeeperProvider onDemand = new GatekeeperProvider(queries, Duration.ofMillis(300));
    final String pass = "registry.test/team/app@sha256:" + "b".repeat(64);
    final String fail = "registry.test/team/app@sha256:" + "c".repeat(64);
    final String slow = "registry.test/team/app@sha256:" + "d".repeat(64);
    onDemandAnswers.put("sha256:" + "b".repeat(64), CompletableFuture.completedFuture(Optional.of(
        report(ArtifactReport.Outcome.PASS, Reason.OK))));
    onDemandAnswers.put("sha256:" + "c".repeat(64), CompletableFuture.completedFuture(Optional.of(
        report(ArtifactReport.Outcome.FAIL, Reason.UNTRUSTED_CHAIN))));

    final List<ObjectNode> items = onDemand.items(List.of(pass, fail, slow));

    assertThat(items.get(0).has("error")).as(items.get(0).toString()).isFalse();
    assertThat(items.get(0).path("value").path("onDemand").asBoolean()).isTrue();
    assertThat(items.get(1).path("error").asText()).startsWith("FAIL UNTRUSTED_CHAIN");
    assertThat(items.get(2).path("error").asText()).contains("did not finish in time");
    assertThat(items).allSatisfy(i -> assertThat(i.has("_unseen")).isFalse());
  }

  @Test
  void unseenImage_withOnDemandOff_isDeniedAtOnce_withoutVerifying() {
    onDemandAnswers.put(DIGEST, CompletableFuture.completedFuture(Optional.of(
        report(ArtifactReport.Outcome.PASS, Reason.OK))));

    final List<ObjectNode> items = provider.items(List.of(KEY));

    assertThat(items.get(0).path("error").asText()).startsWith("no verdict");
  }

  /**
   * Over HTTP, as Gatekeeper calls it: the Jetty handler in front of Javalin answers the exact path, Javalin's route
   * the same path with a trailing slash, both through the same provider; the body cap holds before any parsing.
   */
  @Test
  void overHttp_answersProviderRequests_andRefusesWhatIsNotOne() throws Exception {
    verdicts.put(KEY, verdict(Outcome.PASS, ReasonCode.OK, "sha256:v1"));
    final io.javalin.Javalin http = io.javalin.Javalin.create(c -> {
      new VerdictApi(queries).routes(c);
      c.startup.showJavalinBanner = false;
    }).start("127.0.0.1", 0);
    try {
      final String base = "http://127.0.0.1:" + http.port() + "/v1/admission/gatekeeper";
      final String request = "{\"apiVersion\":\"externaldata.gatekeeper.sh/v1beta1\",\"kind\":\"ProviderRequest\","
          + "\"request\":{\"keys\":[\"" + KEY + "\",\"registry.test/team/app:v1\"]}}";
      for (final String url : List.of(base, base + "/")) {
        final java.net.http.HttpResponse<String> r = post(url, request);
        assertThat(r.statusCode()).as(url).isEqualTo(200);
        assertThat(r.headers().firstValue("content-type")).hasValue("application/json");
        final com.fasterxml.jackson.databind.JsonNode items = new com.fasterxml.jackson.databind.ObjectMapper()
            .readTree(r.body()).path("response").path("items");
        assertThat(items.get(0).path("value").path("outcome").asText()).as(r.body()).isEqualTo("PASS");
        assertThat(items.get(0).has("error")).isFalse();
        assertThat(items.get(1).path("error").asText()).contains("by digest");
      }
      final java.net.http.HttpResponse<String> tooLarge = post(base, "{\"pad\":\"" + "x".repeat(300_000) + "\"}");
      assertThat(tooLarge.statusCode()).isEqualTo(413);
      assertThat(tooLarge.body()).contains("larger than");
      assertThat(post(base, "{not json").statusCode()).isEqualTo(400);
      final java.net.http.HttpResponse<String> notProvider = post(base, "{\"kind\":\"Other\"}");
      assertThat(notProvider.statusCode()).isEqualTo(400);
      assertThat(notProvider.body()).contains("expected a ProviderRequest");
      // Other methods and paths are Javalin's.
      final java.net.http.HttpResponse<String> get = java.net.http.HttpClient.newHttpClient().send(
          java.net.http.HttpRequest.newBuilder(java.net.URI.create(base)).GET().build(),
          java.net.http.HttpResponse.BodyHandlers.ofString());
      assertThat(get.statusCode()).isIn(404, 405);
    } finally {
      http.stop();
    }
  }

  private static java.net.http.HttpResponse<String> post(final String url, final String body) throws Exception {
    return java.net.http.HttpClient.newHttpClient().send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(url))
        .header("Content-Type", "application/json").POST(java.net.http.HttpRequest.BodyPublishers.ofString(body))
        .build(), java.net.http.HttpResponse.BodyHandlers.ofString());
  }

  private static ArtifactReport report(final ArtifactReport.Outcome o, final Reason r) {
    return new ArtifactReport(new ArtifactReport.ArtifactId("registry.test", "team/app", DIGEST, null, null, null),
        null, null, o, r, "on demand", List.of(), null, List.of(), null, Instant.parse("2026-06-01T00:00:00Z"));
  }

  private static Verdict verdict(final Outcome o, final ReasonCode r, final String trustVersion) {
    return Verdict.newBuilder().setEventId("e").setArtifact(ArtifactRef.newBuilder().setRegistry("registry.test")
            .setRepository("team/app").setDigest(DIGEST).setTag(null).setMediaType(null).setSize(null).build())
        .setArtifactClass(ArtifactClass.CONTAINER_IMAGE).setClassification(null).setOutcome(o).setReasonCode(r)
        .setDetail("d").setWarnings(List.of()).setPolicy(null).setSignatures(List.of())
        .setReferrers(ReferrersSummary.newBuilder().setSboms(List.of()).setSignatureCount(0).setAttestationCount(0)
            .setOtherCount(0).build())
        .setDecidedAt(Instant.parse("2026-06-01T00:00:00Z")).setVerifierVersion("t").setTrustVersion(trustVersion)
        .build();
  }
}
