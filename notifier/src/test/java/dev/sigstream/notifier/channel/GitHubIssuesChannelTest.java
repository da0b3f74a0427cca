package dev.sigstream.notifier.channel;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
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
import dev.sigstream.notifier.channel.github.GitHubIssuesChannel;
import dev.sigstream.notifier.delivery.DeliveryResult;
import dev.sigstream.notifier.route.Step;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class GitHubIssuesChannelTest {

  @RegisterExtension
  static WireMockExtension wm = WireMockExtension.newInstance().options(wireMockConfig().dynamicPort()).build();

  private GitHubIssuesChannel channel() {
    return new GitHubIssuesChannel(wm.baseUrl(), "acme/security", "ghp_test", List.of("sigstream"), Fixtures.http(), Fixtures.render());
  }

  @Test
  void createsAnIssueAsDocumented_withTheDedupeLabel_andClosesIt() {
    // Given
    wm.stubFor(post("/repos/acme/security/issues").willReturn(aResponse().withStatus(201).withBody("{\"number\":1347,\"state\":\"open\"}")));
    wm.stubFor(patch(urlEqualTo("/repos/acme/security/issues/1347")).willReturn(okJson("{\"number\":1347,\"state\":\"closed\"}")));
    final Step open = Fixtures.step(Step.Action.OPEN, Fixtures.EVIL_REPO, Optional.empty());

    // When
    final DeliveryResult created = channel().send(open, 1, false);
    final DeliveryResult closed = channel().send(Fixtures.step(Step.Action.RESOLVE, "prod/app", Optional.of("1347")), 1, false);

    // Then
    assertThat(created).isEqualTo(DeliveryResult.ok("1347"));
    assertThat(closed).isInstanceOf(DeliveryResult.Delivered.class);
    wm.verify(postRequestedFor(urlEqualTo("/repos/acme/security/issues"))
        .withHeader("Authorization", equalTo("Bearer ghp_test"))
        .withHeader("Accept", equalTo("application/vnd.github+json"))
        .withHeader("X-GitHub-Api-Version", equalTo("2022-11-28")));
    final var body = Fixtures.json(wm.findAll(postRequestedFor(urlEqualTo("/repos/acme/security/issues"))).get(0).getBodyAsString());
    Fixtures.assertSameShape(Fixtures.example("github-create-issue.json"), body, Set.of("assignees", "milestone"));
    assertThat(body.path("labels").toString()).contains("verdict:" + open.key().value());
    // Markdown and mentions from the repository name are neutralised in the body
    assertThat(body.path("body").asText()).contains("\\[x\\]").doesNotContain("@admins");
    final var patchBody = Fixtures.json(wm.findAll(patchRequestedFor(urlEqualTo("/repos/acme/security/issues/1347"))).get(0).getBodyAsString());
    assertThat(patchBody.path("state").asText()).isEqualTo("closed");
    assertThat(patchBody.path("state_reason").asText()).isEqualTo("completed");
  }

  @Test
  void recovery_findsTheIssueByLabel_andCreatesNothing() {
    wm.stubFor(get(urlPathEqualTo("/search/issues")).willReturn(okJson("{\"total_count\":1,\"items\":[{\"number\":77}]}")));
    final DeliveryResult r = channel().send(Fixtures.open(), 2, true);
    assertThat(r).isEqualTo(DeliveryResult.ok("77"));
    wm.verify(0, postRequestedFor(urlEqualTo("/repos/acme/security/issues")));
    final String q = wm.getAllServeEvents().get(0).getRequest().queryParameter("q").firstValue();
    assertThat(q).isEqualTo("repo:acme/security is:issue is:open label:\"verdict:" + Fixtures.open().key().value() + "\"");
  }

  @Test
  void rateLimits_primaryAndSecondary_areRetriedAfterTheirWait_otherForbiddensArePermanent() {
    final long reset = Fixtures.T0.getEpochSecond() + 42;
    wm.stubFor(post("/repos/acme/security/issues").willReturn(aResponse().withStatus(403)
        .withHeader("x-ratelimit-remaining", "0").withHeader("x-ratelimit-reset", Long.toString(reset))));
    assertThat(channel().send(Fixtures.open(), 1, false)).isInstanceOfSatisfying(DeliveryResult.Retry.class,
        r -> assertThat(r.retryAfter()).contains(Duration.ofSeconds(42)));

    wm.stubFor(post("/repos/acme/security/issues").willReturn(aResponse().withStatus(403)
        .withBody("{\"message\":\"You have exceeded a secondary rate limit. Please wait a few minutes before you try again.\"}")));
    assertThat(channel().send(Fixtures.open(), 1, false)).isInstanceOfSatisfying(DeliveryResult.Retry.class,
        r -> assertThat(r.retryAfter()).contains(Duration.ofSeconds(60)));

    wm.stubFor(post("/repos/acme/security/issues").willReturn(aResponse().withStatus(429).withHeader("retry-after", "5")));
    assertThat(channel().send(Fixtures.open(), 1, false)).isInstanceOfSatisfying(DeliveryResult.Retry.class,
        r -> assertThat(r.retryAfter()).contains(Duration.ofSeconds(5)));

    wm.stubFor(post("/repos/acme/security/issues").willReturn(aResponse().withStatus(403).withBody("{\"message\":\"Resource not accessible by integration\"}")));
    assertThat(channel().send(Fixtures.open(), 1, false)).isInstanceOf(DeliveryResult.Permanent.class);

    wm.stubFor(post("/repos/acme/security/issues").willReturn(aResponse().withStatus(410).withBody("{\"message\":\"Issues are disabled for this repo\"}")));
    assertThat(channel().send(Fixtures.open(), 1, false)).isInstanceOf(DeliveryResult.Permanent.class);
  }
}
