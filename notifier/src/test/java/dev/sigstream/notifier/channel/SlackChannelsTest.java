package dev.sigstream.notifier.channel;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.assertj.core.api.Assertions.assertThat;

import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import dev.sigstream.notifier.channel.slack.SlackApiChannel;
import dev.sigstream.notifier.channel.slack.SlackBlocks;
import dev.sigstream.notifier.channel.slack.SlackWebhookChannel;
import dev.sigstream.notifier.delivery.DeliveryResult;
import dev.sigstream.notifier.route.Step;
import java.time.Duration;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class SlackChannelsTest {

  @RegisterExtension
  static WireMockExtension wm = WireMockExtension.newInstance().options(wireMockConfig().dynamicPort()).build();

  private SlackWebhookChannel webhook() {
    return new SlackWebhookChannel(wm.baseUrl() + "/services/T000/B000/XXXX", Fixtures.http(), Fixtures.render());
  }

  @Test
  void incomingWebhook_postsBlockKitAsDocumented_andEscapesUserStrings() {
    // Given
    wm.stubFor(post("/services/T000/B000/XXXX").willReturn(aResponse().withStatus(200).withBody("ok")));

    // When
    final DeliveryResult r = webhook().send(Fixtures.step(Step.Action.OPEN, Fixtures.EVIL_REPO, Optional.empty()), 1, false);

    // Then
    assertThat(r).isInstanceOf(DeliveryResult.Delivered.class);
    final var req = wm.findAll(postRequestedFor(urlEqualTo("/services/T000/B000/XXXX"))).get(0);
    assertThat(req.getHeader("Authorization")).isNull();
    assertThat(req.getHeader("Content-Type")).startsWith("application/json");
    final var body = Fixtures.json(req.getBodyAsString());
    Fixtures.assertSameShape(Fixtures.example("slack-incoming-webhook-blockkit.json"), body, Set.of());
    assertThat(SlackBlocks.validate(body)).isEmpty();
    assertThat(req.getBodyAsString()).doesNotContain("<!channel>").contains("&lt;!channel&gt;");
  }

  @Test
  void incomingWebhook_classifiesSlackAnswers() {
    wm.stubFor(post("/services/T000/B000/XXXX").willReturn(aResponse().withStatus(404).withBody("no_team")));
    assertThat(webhook().send(Fixtures.open(), 1, false)).isInstanceOfSatisfying(DeliveryResult.Permanent.class,
        p -> assertThat(p.reason()).contains("no_team"));

    wm.stubFor(post("/services/T000/B000/XXXX").willReturn(aResponse().withStatus(200).withBody("invalid_token")));
    assertThat(webhook().send(Fixtures.open(), 1, false)).isInstanceOf(DeliveryResult.Permanent.class);

    wm.stubFor(post("/services/T000/B000/XXXX").willReturn(aResponse().withStatus(429).withHeader("Retry-After", "7")
        .withBody("{\"retry_after\":7,\"ok\":false,\"error\":\"rate_limited\"}")));
    assertThat(webhook().send(Fixtures.open(), 1, false)).isInstanceOfSatisfying(DeliveryResult.Retry.class,
        rt -> assertThat(rt.retryAfter()).contains(Duration.ofSeconds(7)));
  }

  @Test
  void postMessage_usesTheBotToken_keepsTs_andResolvesByUpdate() {
    // Given
    wm.stubFor(post("/api/chat.postMessage").willReturn(okJson("{\"ok\":true,\"channel\":\"C0SECURITY\",\"ts\":\"1767225600.000100\"}")));
    wm.stubFor(post("/api/chat.update").willReturn(okJson("{\"ok\":true,\"channel\":\"C0SECURITY\",\"ts\":\"1767225600.000100\"}")));
    final SlackApiChannel ch = new SlackApiChannel(wm.baseUrl() + "/api", "C0SECURITY", "xoxb-test", Fixtures.http(), Fixtures.render());

    // When
    final DeliveryResult opened = ch.send(Fixtures.open(), 1, false);
    final DeliveryResult resolved = ch.send(Fixtures.step(Step.Action.RESOLVE, "prod/app", Optional.of("1767225600.000100")), 1, false);

    // Then
    assertThat(opened).isEqualTo(DeliveryResult.ok("1767225600.000100"));
    assertThat(resolved).isInstanceOf(DeliveryResult.Delivered.class);
    wm.verify(postRequestedFor(urlEqualTo("/api/chat.postMessage")).withHeader("Authorization", equalTo("Bearer xoxb-test")));
    final var post = Fixtures.json(wm.findAll(postRequestedFor(urlEqualTo("/api/chat.postMessage"))).get(0).getBodyAsString());
    Fixtures.assertSameShape(Fixtures.example("slack-chat-postMessage-blocks.json"), post, Set.of("blocks[]"));
    assertThat(post.path("blocks").get(0).path("text").path("type").asText()).isEqualTo("mrkdwn");
    assertThat(post.path("text").asText()).isNotBlank();
    final var update = Fixtures.json(wm.findAll(postRequestedFor(urlEqualTo("/api/chat.update"))).get(0).getBodyAsString());
    assertThat(update.path("ts").asText()).isEqualTo("1767225600.000100");
    assertThat(update.path("channel").asText()).isEqualTo("C0SECURITY");
  }

  @Test
  void postMessage_okFalseIsPermanent_butRatelimitedRetries() {
    final SlackApiChannel ch = new SlackApiChannel(wm.baseUrl() + "/api", "C1", "xoxb-test", Fixtures.http(), Fixtures.render());
    wm.stubFor(post("/api/chat.postMessage").willReturn(okJson("{\"ok\":false,\"error\":\"channel_not_found\"}")));
    assertThat(ch.send(Fixtures.open(), 1, false)).isInstanceOfSatisfying(DeliveryResult.Permanent.class,
        p -> assertThat(p.reason()).contains("channel_not_found"));
    wm.stubFor(post("/api/chat.postMessage").willReturn(okJson("{\"ok\":false,\"error\":\"ratelimited\"}").withHeader("Retry-After", "3")));
    assertThat(ch.send(Fixtures.open(), 1, false)).isInstanceOfSatisfying(DeliveryResult.Retry.class,
        rt -> assertThat(rt.retryAfter()).contains(Duration.ofSeconds(3)));
  }

  @Test
  void blockValidation_rejectsOverlongSections() {
    final var msg = Fixtures.JSON.createObjectNode().put("text", "t");
    msg.putArray("blocks").addObject().put("type", "section").putObject("text").put("type", "mrkdwn").put("text", "x".repeat(3001));
    assertThat(SlackBlocks.validate(msg)).anyMatch(p -> p.contains("longer than 3000"));
  }
}
