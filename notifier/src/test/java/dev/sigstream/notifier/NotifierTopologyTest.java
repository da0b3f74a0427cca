package dev.sigstream.notifier;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sigstream.notifier.channel.Channel;
import dev.sigstream.notifier.delivery.DeadLetter;
import dev.sigstream.notifier.delivery.Deliverer;
import dev.sigstream.notifier.delivery.DeliveryResult;
import dev.sigstream.notifier.delivery.NotifierMetrics;
import dev.sigstream.notifier.delivery.TokenBucket;
import dev.sigstream.notifier.route.DeliverySettings;
import dev.sigstream.notifier.route.LifecyclePolicy;
import dev.sigstream.notifier.route.LifecycleState;
import dev.sigstream.notifier.route.Match;
import dev.sigstream.notifier.route.Router;
import dev.sigstream.notifier.route.Rule;
import dev.sigstream.notifier.route.Severity;
import dev.sigstream.notifier.route.Step;
import dev.sigstream.schemas.AvroSerde;
import dev.sigstream.schemas.avro.Outcome;
import dev.sigstream.schemas.avro.ReasonCode;
import dev.sigstream.schemas.avro.Verdict;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.SplittableRandom;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class NotifierTopologyTest {

  static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");

  private final List<Step> sent = new ArrayList<>();
  /** What the recording channel answers; null: delivered with a remote id. */
  private DeliveryResult answer;
  private final List<DeadLetter> dead = new ArrayList<>();
  private TopologyTestDriver driver;
  private TestInputTopic<String, byte[]> in;

  /** A channel that records what it is asked to send, of the given type, answering with the given remote id. */
  private Channel recording(final String type) {
    return new Channel() {
      @Override
      public String type() {
        return type;
      }

      @Override
      public DeliveryResult send(final Step step, final int attempt, final boolean recover) {
        sent.add(step);
        return answer != null ? answer : DeliveryResult.ok("remote-" + sent.size());
      }
    };
  }

  private void start(final String type, final Duration groupWait) {
    final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    final NotifierMetrics metrics = new NotifierMetrics(registry);
    final DeliverySettings s = DeliverySettings.defaults(0);
    final Deliverer deliverer = new Deliverer("d", s, new TokenBucket(0, 1, System::nanoTime), d -> { }, new SplittableRandom(1), metrics);
    final DestinationWorker worker = new DestinationWorker("d", recording(type), deliverer, dead::add, metrics, Clock.systemUTC());
    final Router router = new Router(List.of(new Rule("all", Match.any(), List.of(new Rule.Target("d", Severity.INFO, dev.sigstream.notifier.route.TemplateSpec.NONE)), false)));
    final var topology = NotifierTopology.build("verdicts.v1", "d", router, new LifecyclePolicy(Duration.ofHours(4), Duration.ofHours(24), groupWait),
        worker, dead::add, AvroSerde.of(Verdict.class).deserializer(), metrics, Clock.systemUTC());
    final Properties p = new Properties();
    p.put(StreamsConfig.APPLICATION_ID_CONFIG, "notifier-topology-test");
    p.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "dummy:9092");
    driver = new TopologyTestDriver(topology, p, T0);
    in = driver.createInputTopic("verdicts.v1", new StringSerializer(), new ByteArraySerializer());
  }

  @AfterEach
  void close() {
    if (driver != null) {
      driver.close();
    }
  }

  private void pipe(final String repo, final Outcome o, final ReasonCode r) {
    final Verdict v = Verdicts.verdict(repo, Verdicts.DIGEST, o, r, T0);
    in.pipeInput(Verdicts.key(repo, Verdicts.DIGEST), Verdicts.bytes(v));
  }

  @Test
  void burstOfOneFailure_isOneDigestMessage() {
    // Given a message destination collecting bursts for 1 s
    start("slack-webhook", Duration.ofSeconds(1));

    // When one revoked signer fails five images, and another image fails differently
    for (int i = 0; i < 5; i++) {
      pipe("prod/app-" + i, Outcome.FAIL, ReasonCode.CERT_REVOKED);
    }
    // (the same artifact failing again inside the window is listed once)
    pipe("prod/app-2", Outcome.FAIL, ReasonCode.CERT_REVOKED);
    pipe("prod/other", Outcome.FAIL, ReasonCode.NO_SIGNATURE);
    assertThat(sent).isEmpty();
    driver.advanceWallClockTime(Duration.ofSeconds(2));

    // Then two messages: a digest of five, and the single other failure
    assertThat(sent).hasSize(2);
    assertThat(sent.get(0).failureClass()).isEqualTo("CERT_REVOKED");
    assertThat(sent.get(0).grouped()).hasSize(4);
    assertThat(sent.get(1).grouped()).isEmpty();
    // Every artifact of the digest is now OPEN: an unchanged failure is not sent again
    final var store = driver.<String, LifecycleState>getKeyValueStore(NotifierTopology.LIFECYCLE_STORE);
    assertThat(store.get(Verdicts.key("prod/app-3", Verdicts.DIGEST)).status()).isEqualTo(LifecycleState.Status.OPEN);
    pipe("prod/app-3", Outcome.FAIL, ReasonCode.CERT_REVOKED);
    driver.advanceWallClockTime(Duration.ofSeconds(2));
    assertThat(sent).hasSize(2);
  }

  @Test
  void anUndeliverableDigest_deadLettersEveryArtifactOfIt() {
    // Given a message destination that rejects the digest
    start("webhook", Duration.ofSeconds(1));
    answer = new DeliveryResult.Permanent("bad request", 400);

    // When three images fail alike and the window ends
    for (int i = 0; i < 3; i++) {
      pipe("prod/app-" + i, Outcome.FAIL, ReasonCode.CERT_REVOKED);
    }
    driver.advanceWallClockTime(Duration.ofSeconds(2));

    // Then one attempt, and a dead letter per artifact (each with its own verdict), so a replay loses none
    assertThat(sent).singleElement().satisfies(s -> assertThat(s.grouped()).hasSize(2));
    assertThat(dead).extracting(DeadLetter::artifactKey).containsExactlyInAnyOrder(
        Verdicts.key("prod/app-0", Verdicts.DIGEST), Verdicts.key("prod/app-1", Verdicts.DIGEST), Verdicts.key("prod/app-2", Verdicts.DIGEST));
    assertThat(dead).allSatisfy(d -> assertThat(d.verdict()).isNotEmpty());
    // and the open digest is gone from the store: it is not sent again
    driver.advanceWallClockTime(Duration.ofSeconds(2));
    assertThat(sent).hasSize(1);
    assertThat(driver.getKeyValueStore(NotifierTopology.DIGEST_STORE).approximateNumEntries()).isZero();
  }

  @Test
  void aVeryLargeBurst_isSentInDigestsOfBoundedSize() {
    start("webhook", Duration.ofMinutes(5));
    for (int i = 0; i < NotifyProcessor.MAX_DIGEST + 5; i++) {
      pipe("prod/app-" + i, Outcome.FAIL, ReasonCode.CERT_REVOKED);
    }
    assertThat(sent).singleElement().satisfies(s -> assertThat(s.grouped()).hasSize(NotifyProcessor.MAX_DIGEST - 1));
    driver.advanceWallClockTime(Duration.ofMinutes(6));
    assertThat(sent).hasSize(2);
    assertThat(sent.get(1).grouped()).hasSize(4);
  }

  @Test
  void ticketDestination_keepsTheRemoteIdInTheStore_andResolvesThatTicket() {
    start("github", Duration.ofSeconds(1));
    pipe("prod/app", Outcome.FAIL, ReasonCode.CERT_REVOKED);
    final var store = driver.<String, LifecycleState>getKeyValueStore(NotifierTopology.LIFECYCLE_STORE);
    assertThat(store.get(Verdicts.key("prod/app", Verdicts.DIGEST)).remoteId()).contains("remote-1");
    pipe("prod/app", Outcome.PASS, ReasonCode.OK);
    assertThat(sent).extracting(Step::action).containsExactly(Step.Action.OPEN, Step.Action.RESOLVE);
    assertThat(sent.get(1).remoteId()).contains("remote-1");
  }

  @Test
  void undecodableVerdict_isDeadLettered_notSkipped() {
    start("console", Duration.ZERO);
    in.pipeInput("registry.example.com/x@sha256:1", new byte[] {1, 2, 3});
    assertThat(dead).singleElement().satisfies(d -> {
      assertThat(d.action()).isEqualTo("DECODE");
      assertThat(d.verdict()).containsExactly(1, 2, 3);
    });
    assertThat(sent).isEmpty();
  }
}
