package dev.sigstream.notifier.channel;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.assertj.core.api.Assertions.assertThat;

import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import dev.sigstream.notifier.channel.pagerduty.PagerDutyChannel;
import dev.sigstream.notifier.channel.webhook.StandardWebhookSigner;
import dev.sigstream.notifier.channel.webhook.WebhookChannel;
import dev.sigstream.notifier.delivery.DeliveryResult;
import dev.sigstream.notifier.route.Step;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class PagerDutyAndWebhookTest {

  @RegisterExtension
  static WireMockExtension wm = WireMockExtension.newInstance().options(wireMockConfig().dynamicPort()).build();

  static final String SECRET = Fixtures.WEBHOOK_SECRET;

  @Test
  void pagerDuty_triggersAndResolvesWithTheDedupKey_inTheDocumentedShape() {
    // Given
    wm.stubFor(post("/v2/enqueue").willReturn(aResponse().withStatus(202)
        .withBody("{\"status\":\"success\",\"message\":\"Event processed\",\"dedup_key\":\"x\"}")));
    final PagerDutyChannel ch = new PagerDutyChannel(wm.baseUrl() + "/v2/enqueue", "R0UT1NGKEY0123456789012345678901", Fixtures.http(), Fixtures.render());
    final Step open = Fixtures.open();

    // When
    final DeliveryResult t = ch.send(open, 1, false);
    final DeliveryResult r = ch.send(Fixtures.step(Step.Action.RESOLVE, "prod/app", Optional.of(open.key().value())), 1, false);

    // Then
    assertThat(t).isEqualTo(DeliveryResult.ok(open.key().value()));
    assertThat(r).isInstanceOf(DeliveryResult.Delivered.class);
    final var reqs = wm.findAll(postRequestedFor(urlEqualTo("/v2/enqueue")));
    final var trigger = Fixtures.json(reqs.get(0).getBodyAsString());
    Fixtures.assertSameShape(Fixtures.example("pagerduty-events-v2-trigger.json"), trigger,
        Set.of("images", "payload.custom_details.ping time", "payload.custom_details.load avg"));
    assertThat(trigger.path("event_action").asText()).isEqualTo("trigger");
    assertThat(trigger.path("payload").path("severity").asText()).isEqualTo("critical");
    assertThat(trigger.path("dedup_key").asText()).isEqualTo(open.key().value());
    assertThat(reqs.get(0).getHeader("Authorization")).isNull();
    final var resolve = Fixtures.json(reqs.get(1).getBodyAsString());
    Fixtures.assertSameShape(Fixtures.example("pagerduty-events-v2-resolve.json"), resolve, Set.of());
    assertThat(resolve.path("event_action").asText()).isEqualTo("resolve");
    assertThat(resolve.path("dedup_key").asText()).isEqualTo(open.key().value());
  }

  @Test
  void pagerDuty_400IsPermanent_429Retries() {
    final PagerDutyChannel ch = new PagerDutyChannel(wm.baseUrl() + "/pd", "k", Fixtures.http(), Fixtures.render());
    wm.stubFor(post("/pd").willReturn(aResponse().withStatus(400).withBody("{\"status\":\"invalid event\"}")));
    assertThat(ch.send(Fixtures.open(), 1, false)).isInstanceOf(DeliveryResult.Permanent.class);
    wm.stubFor(post("/pd").willReturn(aResponse().withStatus(429)));
    assertThat(ch.send(Fixtures.open(), 1, false)).isInstanceOf(DeliveryResult.Retry.class);
  }

  @Test
  void webhook_sendsStandardWebhooksHeaders_thatVerify() {
    // Given
    wm.stubFor(post("/hook").willReturn(aResponse().withStatus(204)));
    final WebhookChannel ch = new WebhookChannel(wm.baseUrl() + "/hook", new StandardWebhookSigner(SECRET), Fixtures.http(), Fixtures.render());
    final Step s = Fixtures.open();

    // When
    assertThat(ch.send(s, 1, false)).isInstanceOf(DeliveryResult.Delivered.class);
    assertThat(ch.send(s, 2, false)).isInstanceOf(DeliveryResult.Delivered.class);

    // Then: the receiver's check (HMAC over id.timestamp.body) passes and the id is stable across retries
    final var reqs = wm.findAll(postRequestedFor(urlEqualTo("/hook")));
    for (final var req : reqs) {
      final String id = req.getHeader("webhook-id");
      final long ts = Long.parseLong(req.getHeader("webhook-timestamp"));
      assertThat(req.getHeader("webhook-signature")).isEqualTo(new StandardWebhookSigner(SECRET).sign(id, ts, req.getBody()));
      assertThat(ts).isEqualTo(Fixtures.T0.getEpochSecond());
      final var body = Fixtures.json(req.getBodyAsString());
      assertThat(body.path("type").asText()).isEqualTo("sigstream.verdict.open");
      assertThat(body.path("data").path("dedupeKey").asText()).isEqualTo(s.key().value());
    }
    assertThat(reqs.get(0).getHeader("webhook-id")).isEqualTo(reqs.get(1).getHeader("webhook-id")).startsWith("msg_");
  }

  @Test
  void webhook_classification_410Permanent_502Retry_3xxNotFollowed() {
    final WebhookChannel ch = new WebhookChannel(wm.baseUrl() + "/h", new StandardWebhookSigner(SECRET), Fixtures.http(), Fixtures.render());
    wm.stubFor(post("/h").willReturn(aResponse().withStatus(410)));
    assertThat(ch.send(Fixtures.open(), 1, false)).isInstanceOfSatisfying(DeliveryResult.Permanent.class, p -> assertThat(p.gone()).isTrue());
    wm.stubFor(post("/h").willReturn(aResponse().withStatus(502)));
    assertThat(ch.send(Fixtures.open(), 1, false)).isInstanceOf(DeliveryResult.Retry.class);
    wm.stubFor(post("/h").willReturn(aResponse().withStatus(302).withHeader("Location", "http://169.254.169.254/")));
    assertThat(ch.send(Fixtures.open(), 1, false)).isInstanceOf(DeliveryResult.Permanent.class);
    wm.verify(0, postRequestedFor(urlEqualTo("/")));
  }
}
