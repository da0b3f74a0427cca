package dev.sigstream.notifier;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.patch;
import static com.github.tomakehurst.wiremock.client.WireMock.patchRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlMatching;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import dev.sigstream.notifier.delivery.DeadLetter;
import dev.sigstream.notifier.route.RoutingConfig;
import dev.sigstream.schemas.avro.Outcome;
import dev.sigstream.schemas.avro.ReasonCode;
import dev.sigstream.schemas.avro.Verdict;
import dev.sigstream.testing.kafka.KafkaBroker;
import dev.sigstream.testing.kafka.KafkaBrokerExtension;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** The notifier on the real (in-JVM KRaft) broker, with WireMock standing in for the targets. */
@Tag("integration")
@Timeout(120)
@ExtendWith(KafkaBrokerExtension.class)
class NotifierIT {

  @RegisterExtension
  static WireMockExtension wm = WireMockExtension.newInstance().options(wireMockConfig().dynamicPort()).build();

  @TempDir
  Path stateDir;

  private String bootstrap;
  private String verdicts;
  private String dlq;
  private String app;

  @BeforeEach
  void topics(final KafkaBroker broker, final TestInfo info) throws Exception {
    bootstrap = broker.bootstrapServers();
    final String unique = info.getTestMethod().orElseThrow().getName() + "-" + Long.toHexString(System.nanoTime());
    verdicts = "verdicts-" + unique;
    dlq = "dlq-" + unique;
    app = "notifier-" + unique;
    try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap))) {
      admin.createTopics(List.of(new NewTopic(verdicts, 2, (short) 1), new NewTopic(dlq, 1, (short) 1))).all().get();
    }
  }

  private NotifierConfig config(final String yaml, final Map<String, String> env) {
    return new NotifierConfig(RoutingConfig.parse(yaml, env), app, verdicts, dlq, stateDir);
  }

  private NotifierService start(final NotifierConfig c) {
    return NotifierService.start(c, bootstrap, new SimpleMeterRegistry());
  }

  private void produce(final Verdict... vs) throws Exception {
    try (KafkaProducer<String, byte[]> p = new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
        ProducerConfig.ACKS_CONFIG, "all"), new StringSerializer(), new ByteArraySerializer())) {
      for (final Verdict v : vs) {
        final String key = Verdicts.key(v.getArtifact().getRepository(), v.getArtifact().getDigest());
        p.send(new ProducerRecord<>(verdicts, key, Verdicts.bytes(v))).get();
      }
    }
  }

  private static Verdict v(final String repo, final Outcome o, final ReasonCode r) {
    return Verdicts.verdict(repo, Verdicts.DIGEST, o, r, Instant.now());
  }

  private String github(final String extra) {
    return """
        lifecycle: {repeatInterval: 4h, reopenWindow: 1h}
        destinations:
          gh: {type: github, baseUrl: "%s", repository: acme/security, token: "env:GH_TOKEN", initialBackoff: 50ms %s}
        rules:
          - name: failures-and-passes
            destinations: [gh]
        """.formatted(wm.baseUrl(), extra);
  }

  @Test
  void failFailPassFail_givesOneTicket_closedThenReopened() throws Exception {
    // Given
    wm.stubFor(post("/repos/acme/security/issues").willReturn(aResponse().withStatus(201).withBody("{\"number\":101}")));
    wm.stubFor(patch(urlEqualTo("/repos/acme/security/issues/101")).willReturn(okJson("{\"number\":101}")));
    try (NotifierService svc = start(config(github(""), Map.of("GH_TOKEN", "ghp_it")))) {
      // When
      produce(v("prod/app", Outcome.FAIL, ReasonCode.CERT_REVOKED), v("prod/app", Outcome.FAIL, ReasonCode.CERT_REVOKED),
          v("prod/app", Outcome.PASS, ReasonCode.OK), v("prod/app", Outcome.FAIL, ReasonCode.CERT_REVOKED));

      // Then
      await().atMost(Duration.ofSeconds(60)).untilAsserted(() ->
          assertThat(wm.findAll(patchRequestedFor(urlEqualTo("/repos/acme/security/issues/101")))).hasSize(2));
      wm.verify(1, postRequestedFor(urlEqualTo("/repos/acme/security/issues")));
      final ObjectMapper json = new ObjectMapper();
      final var patches = wm.findAll(patchRequestedFor(urlEqualTo("/repos/acme/security/issues/101")));
      assertThat(json.readTree(patches.get(0).getBodyAsString()).path("state").asText()).isEqualTo("closed");
      assertThat(json.readTree(patches.get(1).getBodyAsString()).path("state").asText()).isEqualTo("open");
      wm.verify(0, postRequestedFor(urlMatching("/repos/acme/security/issues/101/comments")));
    }
  }

  @Test
  void restartAfterAnUnconfirmedCreate_findsTheTicket_andCreatesNoDuplicate() throws Exception {
    // Given GitHub creates the issue but answers after our timeout, and the only attempt is used up
    wm.stubFor(post("/repos/acme/security/issues").willReturn(aResponse().withStatus(201).withBody("{\"number\":7}").withFixedDelay(3000)));
    wm.stubFor(get(urlPathEqualTo("/search/issues")).willReturn(okJson("{\"total_count\":1,\"items\":[{\"number\":7}]}")));
    wm.stubFor(patch(urlEqualTo("/repos/acme/security/issues/7")).willReturn(okJson("{\"number\":7}")));
    final NotifierConfig c = config(github(", timeout: 1s, maxAttempts: 1"), Map.of("GH_TOKEN", "ghp_it"));
    try (NotifierService first = start(c)) {
      produce(v("prod/app", Outcome.FAIL, ReasonCode.NO_SIGNATURE));
      await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> assertThat(deadLetters()).hasSize(1));
    }
    wm.verify(1, postRequestedFor(urlEqualTo("/repos/acme/security/issues")));

    // When the notifier restarts (state restored from the changelog) and the failure is seen again, then passes
    try (NotifierService second = start(c)) {
      produce(v("prod/app", Outcome.FAIL, ReasonCode.NO_SIGNATURE), v("prod/app", Outcome.PASS, ReasonCode.OK));

      // Then the pending create is recovered by label search and that issue is the one closed; no second create
      await().atMost(Duration.ofSeconds(60)).untilAsserted(() ->
          assertThat(wm.findAll(patchRequestedFor(urlEqualTo("/repos/acme/security/issues/7")))).hasSize(1));
      wm.verify(1, postRequestedFor(urlEqualTo("/repos/acme/security/issues")));
      wm.verify(getRequestedFor(urlPathEqualTo("/search/issues")));
    }
  }

  @Test
  void permanentFailure_goesToTheDeadLetterTopic_andReplayDeliversIt() throws Exception {
    // Given a Slack webhook that rejects the payload
    wm.stubFor(post("/services/T/B/X").willReturn(aResponse().withStatus(400).withBody("invalid_payload")));
    final String yaml = """
        destinations:
          slack: {type: slack-webhook, url: "env:SLACK_URL"}
        rules: [{name: all, destinations: [slack]}]
        """;
    final NotifierConfig c = config(yaml, Map.of("SLACK_URL", wm.baseUrl() + "/services/T/B/X"));
    try (NotifierService svc = start(c)) {
      // When
      produce(v("prod/app", Outcome.FAIL, ReasonCode.UNTRUSTED_IDENTITY));

      // Then
      await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> assertThat(deadLetters()).hasSize(1));
    }
    final DeadLetter letter = deadLetters().get(0);
    assertThat(letter.destination()).isEqualTo("slack");
    assertThat(letter.action()).isEqualTo("OPEN");
    assertThat(letter.attempts()).isEqualTo(1);
    assertThat(letter.lastStatus()).isEqualTo(400);
    assertThat(letter.lastReason()).contains("invalid_payload");
    assertThat(letter.verdict()).isNotEmpty();
    wm.verify(1, postRequestedFor(urlEqualTo("/services/T/B/X")));

    // When the destination is fixed and the DLQ replayed
    wm.stubFor(post("/services/T/B/X").willReturn(aResponse().withStatus(200).withBody("ok")));
    final DlqReplay.Result r = DlqReplay.replay(c, bootstrap, Optional.of("slack"), Instant.EPOCH, new SimpleMeterRegistry());

    // Then
    assertThat(r.delivered()).isEqualTo(1);
    assertThat(r.failedAgain()).isZero();
    wm.verify(2, postRequestedFor(urlEqualTo("/services/T/B/X")));
  }

  @Test
  void slowDestination_doesNotDelayTheOthers() throws Exception {
    // Given one endpoint taking 2 s per request and one answering at once
    wm.stubFor(post("/slow").willReturn(aResponse().withStatus(200).withFixedDelay(2000)));
    wm.stubFor(post("/fast").willReturn(aResponse().withStatus(200)));
    final String yaml = """
        destinations:
          slow: {type: webhook, url: "%s/slow", secret: "env:WH", timeout: 10s, ratePerSecond: 0}
          fast: {type: webhook, url: "%s/fast", secret: "env:WH", ratePerSecond: 0}
        rules: [{name: all, destinations: [slow, fast]}]
        """.formatted(wm.baseUrl(), wm.baseUrl());
    try (NotifierService svc = start(config(yaml, Map.of("WH", dev.sigstream.notifier.channel.Fixtures.WEBHOOK_SECRET)))) {
      // When ten different artifacts fail
      final List<Verdict> vs = new ArrayList<>();
      for (int i = 0; i < 10; i++) {
        vs.add(v("prod/app-" + i, Outcome.FAIL, ReasonCode.NO_SIGNATURE));
      }
      produce(vs.toArray(Verdict[]::new));

      // Then the fast destination has all ten while the slow one (20 s of work) is still far behind
      await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(wm.findAll(postRequestedFor(urlEqualTo("/fast")))).hasSize(10));
      assertThat(wm.findAll(postRequestedFor(urlEqualTo("/slow"))).size()).isLessThan(10);
    }
  }

  @Test
  void aWebhookAnswering410_isDisabled_noFurtherRequests_andEverythingIsDeadLettered() throws Exception {
    // Given a webhook endpoint that is gone
    wm.stubFor(post("/gone").willReturn(aResponse().withStatus(410)));
    final String yaml = """
        destinations:
          hook: {type: webhook, url: "%s/gone", secret: "env:WH", ratePerSecond: 0}
        rules: [{name: all, destinations: [hook]}]
        """.formatted(wm.baseUrl());
    final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    try (NotifierService svc = NotifierService.start(config(yaml, Map.of("WH", dev.sigstream.notifier.channel.Fixtures.WEBHOOK_SECRET)), bootstrap,
        registry)) {
      // When four artifacts fail
      produce(v("prod/a", Outcome.FAIL, ReasonCode.NO_SIGNATURE));
      await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> assertThat(svc.health().get("hook")).startsWith("disabled: permanent: 410"));
      produce(v("prod/b", Outcome.FAIL, ReasonCode.NO_SIGNATURE), v("prod/c", Outcome.FAIL, ReasonCode.NO_SIGNATURE),
          v("prod/d", Outcome.FAIL, ReasonCode.NO_SIGNATURE));

      // Then one request only; all four are dead-lettered (nothing lost), the later three without a request
      await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> assertThat(deadLetters()).hasSize(4));
      wm.verify(1, postRequestedFor(urlEqualTo("/gone")));
      assertThat(deadLetters().stream().filter(d -> d.lastReason().startsWith("destination disabled: permanent: 410"))).hasSize(3);
      assertThat(svc.disabled()).containsOnlyKeys("hook");
      assertThat(registry.get("sigstream.notifications.disabled").tag("destination", "hook").gauge().value()).isEqualTo(1.0);
      assertThat(registry.get("sigstream.notifications").tag("destination", "hook").tag("result", "disabled").counter().count()).isEqualTo(3.0);
    }
  }

  private List<DeadLetter> deadLetters() throws Exception {
    final List<DeadLetter> out = new ArrayList<>();
    try (KafkaConsumer<String, byte[]> c = new KafkaConsumer<>(Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap),
        new StringDeserializer(), new ByteArrayDeserializer())) {
      final TopicPartition tp = new TopicPartition(dlq, 0);
      c.assign(List.of(tp));
      c.seekToBeginning(List.of(tp));
      final long end = c.endOffsets(List.of(tp)).get(tp);
      while (c.position(tp) < end) {
        for (final var r : c.poll(Duration.ofMillis(200))) {
          out.add(KafkaDeadLetters.decode(r.value()));
        }
      }
    }
    return out;
  }
}
