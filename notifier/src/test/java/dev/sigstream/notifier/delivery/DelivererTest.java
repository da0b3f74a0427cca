package dev.sigstream.notifier.delivery;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static com.github.tomakehurst.wiremock.stubbing.Scenario.STARTED;
import static org.assertj.core.api.Assertions.assertThat;

import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import dev.sigstream.notifier.channel.Channel;
import dev.sigstream.notifier.channel.Fixtures;
import dev.sigstream.notifier.channel.github.GitHubIssuesChannel;
import dev.sigstream.notifier.channel.webhook.StandardWebhookSigner;
import dev.sigstream.notifier.channel.webhook.WebhookChannel;
import dev.sigstream.notifier.route.DeliverySettings;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Failure modes of the one delivery loop, against real HTTP answers from WireMock. Waits are recorded, not slept. */
class DelivererTest {

  @RegisterExtension
  static WireMockExtension wm = WireMockExtension.newInstance().options(wireMockConfig().dynamicPort()).build();

  private final List<Duration> slept = new ArrayList<>();
  private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
  private final DeliverySettings settings = new DeliverySettings(0, 1, 4, Duration.ofMillis(200), Duration.ofSeconds(5), Duration.ofSeconds(60),
      Duration.ofMillis(500));

  private Deliverer deliverer(final DeliverySettings s) {
    return new Deliverer("dest", s, new TokenBucket(s.ratePerSecond(), s.burst(), System::nanoTime), slept::add, new SplittableRandom(7),
        new NotifierMetrics(registry));
  }

  private Channel webhook() {
    return webhook(Duration.ofSeconds(10));
  }

  private Channel webhook(final Duration timeout) {
    return new WebhookChannel(wm.baseUrl() + "/hook", new StandardWebhookSigner(Fixtures.WEBHOOK_SECRET), Fixtures.http(timeout),
        Fixtures.render());
  }

  private Deliverer.Outcome run(final Channel ch) throws InterruptedException {
    return deliverer(settings).deliver(false, (n, recover) -> ch.send(Fixtures.open(), n, recover));
  }

  @Test
  void tooManyRequests_waitsForRetryAfter_thenDelivers() throws Exception {
    wm.stubFor(post("/hook").inScenario("s").whenScenarioStateIs(STARTED).willSetStateTo("ok")
        .willReturn(aResponse().withStatus(429).withHeader("Retry-After", "3")));
    wm.stubFor(post("/hook").inScenario("s").whenScenarioStateIs("ok").willReturn(aResponse().withStatus(200)));

    final Deliverer.Outcome o = run(webhook());

    assertThat(o.delivered()).isTrue();
    assertThat(o.attempts()).isEqualTo(2);
    assertThat(slept).singleElement().satisfies(d -> assertThat(d).isBetween(Duration.ofSeconds(3), Duration.ofMillis(3250)));
    assertThat(registry.counter(NotifierMetrics.ATTEMPTS, "destination", "dest", "result", "rate_limited").count()).isEqualTo(1);
  }

  @Test
  void serverError_thenSuccess_backsOffExponentiallyWithJitter() throws Exception {
    wm.stubFor(post("/hook").inScenario("s").whenScenarioStateIs(STARTED).willSetStateTo("second")
        .willReturn(aResponse().withStatus(503)));
    wm.stubFor(post("/hook").inScenario("s").whenScenarioStateIs("second").willSetStateTo("ok").willReturn(aResponse().withStatus(500)));
    wm.stubFor(post("/hook").inScenario("s").whenScenarioStateIs("ok").willReturn(aResponse().withStatus(204)));

    final Deliverer.Outcome o = run(webhook());

    assertThat(o.delivered()).isTrue();
    assertThat(o.attempts()).isEqualTo(3);
    assertThat(slept).hasSize(2);
    assertThat(slept.get(0)).isBetween(Duration.ofMillis(100), Duration.ofMillis(200));
    assertThat(slept.get(1)).isBetween(Duration.ofMillis(100), Duration.ofMillis(400));
    wm.verify(3, postRequestedFor(urlEqualTo("/hook")));
  }

  @Test
  void permanentClientError_isNotRetried() throws Exception {
    wm.stubFor(post("/hook").willReturn(aResponse().withStatus(400).withBody("{\"error\":\"bad payload\"}")));

    final Deliverer.Outcome o = run(webhook());

    assertThat(o.delivered()).isFalse();
    assertThat(o.attempts()).isEqualTo(1);
    assertThat(o.reason()).startsWith("permanent: 400");
    assertThat(slept).isEmpty();
  }

  @Test
  void persistentServerErrors_giveUpAfterMaxAttempts() throws Exception {
    wm.stubFor(post("/hook").willReturn(aResponse().withStatus(502)));
    final Deliverer.Outcome o = run(webhook());
    assertThat(o.delivered()).isFalse();
    assertThat(o.attempts()).isEqualTo(4);
    assertThat(o.reason()).contains("gave up after 4 attempts").contains("502");
    wm.verify(4, postRequestedFor(urlEqualTo("/hook")));
  }

  @Test
  void retryAfterBeyondTheCap_goesStraightToTheDeadLetterTopic() throws Exception {
    wm.stubFor(post("/hook").willReturn(aResponse().withStatus(429).withHeader("Retry-After", "3600")));
    final Deliverer.Outcome o = run(webhook());
    assertThat(o.delivered()).isFalse();
    assertThat(o.attempts()).isEqualTo(1);
    assertThat(o.reason()).contains("rate limited for PT1H");
  }

  @Test
  void slowEndpoint_timesOut_andIsRetried() throws Exception {
    wm.stubFor(post("/hook").inScenario("s").whenScenarioStateIs(STARTED).willSetStateTo("fast")
        .willReturn(aResponse().withStatus(200).withFixedDelay(2000)));
    wm.stubFor(post("/hook").inScenario("s").whenScenarioStateIs("fast").willReturn(aResponse().withStatus(200)));

    final Deliverer.Outcome o = run(webhook(Duration.ofMillis(500)));

    assertThat(o.delivered()).isTrue();
    assertThat(o.attempts()).isEqualTo(2);
    assertThat(registry.counter(NotifierMetrics.ATTEMPTS, "destination", "dest", "result", "retry").count()).isEqualTo(1);
  }

  @Test
  void timeoutOnCreate_retriesWithRecovery_soTheTicketIsNotCreatedTwice() throws Exception {
    // Given GitHub creates the issue but answers too late; afterwards its search finds it
    wm.stubFor(post("/repos/acme/sec/issues").willReturn(aResponse().withStatus(201).withBody("{\"number\":5}").withFixedDelay(2000)));
    wm.stubFor(get(urlPathEqualTo("/search/issues")).willReturn(okJson("{\"total_count\":1,\"items\":[{\"number\":5}]}")));
    final Channel gh = new GitHubIssuesChannel(wm.baseUrl(), "acme/sec", "t", List.of(), Fixtures.http(Duration.ofMillis(500)), Fixtures.render());

    // When
    final Deliverer.Outcome o = run(gh);

    // Then one create was sent, the retry found it
    assertThat(o.delivered()).isTrue();
    assertThat(o.remoteId()).contains("5");
    wm.verify(1, postRequestedFor(urlEqualTo("/repos/acme/sec/issues")));
  }

  @Test
  void tokenBucket_pacesToTheConfiguredRate() {
    final long[] now = {0};
    final TokenBucket b = new TokenBucket(2, 2, () -> now[0]);
    assertThat(b.tryAcquire()).isZero();
    assertThat(b.tryAcquire()).isZero();
    assertThat(b.tryAcquire()).isEqualTo(500_000_000L);
    now[0] += 500_000_000L;
    assertThat(b.tryAcquire()).isZero();
  }
}
