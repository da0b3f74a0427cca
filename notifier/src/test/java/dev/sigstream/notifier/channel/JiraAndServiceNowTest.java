package dev.sigstream.notifier.channel;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.patch;
import static com.github.tomakehurst.wiremock.client.WireMock.patchRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.assertj.core.api.Assertions.assertThat;

import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import dev.sigstream.notifier.channel.jira.JiraChannel;
import dev.sigstream.notifier.channel.servicenow.ServiceNowChannel;
import dev.sigstream.notifier.delivery.DeliveryResult;
import dev.sigstream.notifier.route.Step;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class JiraAndServiceNowTest {

  @RegisterExtension
  static WireMockExtension wm = WireMockExtension.newInstance().options(wireMockConfig().dynamicPort()).build();

  private JiraChannel jira(final JiraChannel.Flavour f) {
    return new JiraChannel(f, wm.baseUrl(), "bot@example.com", "api-token", "SEC", "Bug", "Done", "Reopen", Fixtures.http(), Fixtures.render());
  }

  @Test
  void jiraCloud_createsWithAdfAndBasicAuth_asDocumented() {
    // Given
    wm.stubFor(post("/rest/api/3/issue").willReturn(aResponse().withStatus(201)
        .withBody("{\"id\":\"10000\",\"key\":\"SEC-24\",\"self\":\"https://x/rest/api/3/issue/10000\"}")));

    // When
    final DeliveryResult r = jira(JiraChannel.Flavour.CLOUD).send(Fixtures.step(Step.Action.OPEN, Fixtures.EVIL_REPO, Optional.empty()), 1, false);

    // Then
    assertThat(r).isEqualTo(DeliveryResult.ok("SEC-24"));
    final String basic = "Basic " + Base64.getEncoder().encodeToString("bot@example.com:api-token".getBytes(StandardCharsets.UTF_8));
    wm.verify(postRequestedFor(urlEqualTo("/rest/api/3/issue")).withHeader("Authorization", equalTo(basic))
        .withHeader("Content-Type", equalTo("application/json")));
    final var body = Fixtures.json(wm.findAll(postRequestedFor(urlEqualTo("/rest/api/3/issue"))).get(0).getBodyAsString());
    final var example = Fixtures.example("jira-cloud-v3-create-issue.json").path("fields");
    // The documented types of the fields we send: ADF description, string summary, string labels
    assertThat(body.path("fields").path("description").path("type").asText()).isEqualTo(example.path("description").path("type").asText()).isEqualTo("doc");
    assertThat(body.path("fields").path("description").path("version").asInt()).isEqualTo(example.path("description").path("version").asInt());
    Fixtures.assertSameShape(example.path("description").path("content").get(0),
        body.path("fields").path("description").path("content").get(0), Set.of("content[].marks"));
    assertThat(body.path("fields").path("summary").isTextual()).isTrue();
    assertThat(body.path("fields").path("summary").asText().length()).isLessThanOrEqualTo(255);
    assertThat(body.path("fields").path("labels").isArray()).isEqualTo(example.path("labels").isArray());
    assertThat(body.path("fields").path("project").path("key").asText()).isEqualTo("SEC");
    assertThat(body.path("fields").path("issuetype").path("name").asText()).isEqualTo("Bug");
  }

  @Test
  void jiraDataCenter_createsWithAPlainDescriptionAndBearerPat() {
    wm.stubFor(post("/rest/api/2/issue").willReturn(aResponse().withStatus(201).withBody("{\"id\":\"1\",\"key\":\"TEST-1\",\"self\":\"x\"}")));
    assertThat(jira(JiraChannel.Flavour.DATA_CENTER).send(Fixtures.step(Step.Action.OPEN, Fixtures.EVIL_REPO, Optional.empty()), 1, false))
        .isEqualTo(DeliveryResult.ok("TEST-1"));
    wm.verify(postRequestedFor(urlEqualTo("/rest/api/2/issue")).withHeader("Authorization", equalTo("Bearer api-token")));
    final var body = Fixtures.json(wm.findAll(postRequestedFor(urlEqualTo("/rest/api/2/issue"))).get(0).getBodyAsString());
    Fixtures.assertSameShape(Fixtures.example("jira-dc-v2-create-issue.json"), body, Set.of("fields.project.key"));
    // Wiki markup from the repository name is escaped
    assertThat(body.path("fields").path("description").asText()).contains("\\[x\\]");
  }

  @Test
  void jira_resolvesThroughTheNamedTransition_andRecoversBySearch() {
    wm.stubFor(get("/rest/api/3/issue/SEC-24/transitions").willReturn(okJson("{\"transitions\":[{\"id\":\"11\",\"name\":\"To Do\"},{\"id\":\"31\",\"name\":\"Done\"}]}")));
    wm.stubFor(post("/rest/api/3/issue/SEC-24/transitions").willReturn(aResponse().withStatus(204)));
    assertThat(jira(JiraChannel.Flavour.CLOUD).send(Fixtures.step(Step.Action.RESOLVE, "prod/app", Optional.of("SEC-24")), 1, false))
        .isInstanceOf(DeliveryResult.Delivered.class);
    final var t = Fixtures.json(wm.findAll(postRequestedFor(urlEqualTo("/rest/api/3/issue/SEC-24/transitions"))).get(0).getBodyAsString());
    assertThat(t.path("transition").path("id").asText()).isEqualTo("31");

    wm.stubFor(post("/rest/api/3/search/jql").willReturn(okJson("{\"issues\":[{\"id\":\"10000\",\"key\":\"SEC-24\"}]}")));
    assertThat(jira(JiraChannel.Flavour.CLOUD).send(Fixtures.open(), 2, true)).isEqualTo(DeliveryResult.ok("SEC-24"));
    wm.verify(0, postRequestedFor(urlEqualTo("/rest/api/3/issue")));
    final var search = Fixtures.json(wm.findAll(postRequestedFor(urlEqualTo("/rest/api/3/search/jql"))).get(0).getBodyAsString());
    Fixtures.assertSameShape(Fixtures.example("jira-cloud-v3-search-jql.json"), search, Set.of());
    assertThat(search.path("jql").asText()).contains("labels = \"sigstream-" + Fixtures.open().key().value() + "\"").contains("statusCategory != Done");
  }

  @Test
  void jira_429WithRetryAfterRetries_400IsPermanent_missingTransitionIsPermanent() {
    wm.stubFor(post("/rest/api/3/issue").willReturn(aResponse().withStatus(429).withHeader("Retry-After", "4").withHeader("RateLimit-Reason", "jira-burst-based")));
    assertThat(jira(JiraChannel.Flavour.CLOUD).send(Fixtures.open(), 1, false)).isInstanceOfSatisfying(DeliveryResult.Retry.class,
        r -> assertThat(r.retryAfter()).contains(Duration.ofSeconds(4)));
    wm.stubFor(post("/rest/api/3/issue").willReturn(aResponse().withStatus(400).withBody("{\"errors\":{\"summary\":\"required\"}}")));
    assertThat(jira(JiraChannel.Flavour.CLOUD).send(Fixtures.open(), 1, false)).isInstanceOf(DeliveryResult.Permanent.class);
    wm.stubFor(get("/rest/api/3/issue/SEC-9/transitions").willReturn(okJson("{\"transitions\":[{\"id\":\"11\",\"name\":\"Erledigt\"}]}")));
    assertThat(jira(JiraChannel.Flavour.CLOUD).send(Fixtures.step(Step.Action.RESOLVE, "prod/app", Optional.of("SEC-9")), 1, false))
        .isInstanceOfSatisfying(DeliveryResult.Permanent.class, p -> assertThat(p.reason()).contains("no transition named 'Done'"));
  }

  private ServiceNowChannel servicenow() {
    return new ServiceNowChannel(wm.baseUrl(), "admin", "pw", Map.of("resolvedState", "6", "reopenState", "2", "closeCode", "Solution provided",
        "urgency", "2", "impact", "2", "assignmentGroup", "a1b2c3d4e5f60718293a4b5c6d7e8f90"), Fixtures.http(), Fixtures.render());
  }

  @Test
  void serviceNow_createsAnIncidentWithCorrelationId_andResolvesIt() {
    // Given
    wm.stubFor(post("/api/now/table/incident").willReturn(aResponse().withStatus(201)
        .withHeader("Location", wm.baseUrl() + "/api/now/table/incident/0f1e2d3c4b5a69788796a5b4c3d2e1f0")
        .withBody("{\"result\":{\"sys_id\":\"0f1e2d3c4b5a69788796a5b4c3d2e1f0\",\"number\":\"INC0000042\"}}")));
    wm.stubFor(patch(urlEqualTo("/api/now/table/incident/0f1e2d3c4b5a69788796a5b4c3d2e1f0")).willReturn(okJson("{\"result\":{}}")));
    final Step open = Fixtures.open();

    // When
    final DeliveryResult r = servicenow().send(open, 1, false);
    servicenow().send(Fixtures.step(Step.Action.RESOLVE, "prod/app", Optional.of("0f1e2d3c4b5a69788796a5b4c3d2e1f0")), 1, false);

    // Then
    assertThat(r).isEqualTo(DeliveryResult.ok("0f1e2d3c4b5a69788796a5b4c3d2e1f0"));
    final String basic = "Basic " + Base64.getEncoder().encodeToString("admin:pw".getBytes(StandardCharsets.UTF_8));
    wm.verify(postRequestedFor(urlEqualTo("/api/now/table/incident")).withHeader("Authorization", equalTo(basic))
        .withHeader("Accept", equalTo("application/json")).withHeader("Content-Type", equalTo("application/json")));
    final var body = Fixtures.json(wm.findAll(postRequestedFor(urlEqualTo("/api/now/table/incident"))).get(0).getBodyAsString());
    Fixtures.assertSameShape(Fixtures.example("servicenow-incident-create.json"), body, Set.of());
    assertThat(body.path("correlation_id").asText()).isEqualTo(open.key().value());
    final var p = Fixtures.json(wm.findAll(patchRequestedFor(urlEqualTo("/api/now/table/incident/0f1e2d3c4b5a69788796a5b4c3d2e1f0"))).get(0).getBodyAsString());
    assertThat(p.path("state").asText()).isEqualTo("6");
    assertThat(p.path("close_code").asText()).isEqualTo("Solution provided");
  }

  @Test
  void serviceNow_recoveryQueriesByCorrelationId() {
    wm.stubFor(get(urlPathEqualTo("/api/now/table/incident")).willReturn(okJson("{\"result\":[{\"sys_id\":\"abc\",\"number\":\"INC1\",\"state\":\"1\"}]}")));
    assertThat(servicenow().send(Fixtures.open(), 2, true)).isEqualTo(DeliveryResult.ok("abc"));
    wm.verify(0, postRequestedFor(urlEqualTo("/api/now/table/incident")));
    final var q = wm.findAll(getRequestedFor(urlPathEqualTo("/api/now/table/incident"))).get(0);
    assertThat(q.queryParameter("sysparm_query").firstValue()).isEqualTo("correlation_id=" + Fixtures.open().key().value() + "^active=true");
    assertThat(q.queryParameter("sysparm_limit").firstValue()).isEqualTo("1");
  }

  @Test
  void serviceNow_429RetriesAfterRetryAfter() {
    wm.stubFor(post("/api/now/table/incident").willReturn(aResponse().withStatus(429).withHeader("Retry-After", "9")
        .withBody("{\"error\":{\"message\":\"Rate limit exceeded\"},\"status\":\"failure\"}")));
    assertThat(servicenow().send(Fixtures.open(), 1, false)).isInstanceOfSatisfying(DeliveryResult.Retry.class,
        r -> assertThat(r.retryAfter()).contains(Duration.ofSeconds(9)));
  }
}
