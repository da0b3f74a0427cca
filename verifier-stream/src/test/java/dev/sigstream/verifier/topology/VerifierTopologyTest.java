package dev.sigstream.verifier.topology;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sigstream.notary.policy.VerificationLevel;
import dev.sigstream.oci.Digest;
import dev.sigstream.oci.classify.ArtifactClass;
import dev.sigstream.oci.Reference;
import dev.sigstream.schemas.Topics;
import dev.sigstream.schemas.avro.ArtifactPushed;
import dev.sigstream.schemas.avro.ArtifactRef;
import dev.sigstream.schemas.avro.Outcome;
import dev.sigstream.schemas.avro.ReasonCode;
import dev.sigstream.schemas.avro.Verdict;
import dev.sigstream.verifier.core.ArtifactReport;
import dev.sigstream.verifier.core.Reason;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.errors.LogAndContinueProcessingExceptionHandler;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The stream's logic with {@link TopologyTestDriver}: waiting for late signatures, retries with backoff, dedupe,
 * referrer rechecks and poison records. The verification path is scripted per artifact here (what it decides is
 * tested in verifier-core); the driver's wall clock drives the punctuations.
 */
class VerifierTopologyTest {

  private static final Instant START = Instant.parse("2026-06-01T00:00:00Z");
  private static final String REGISTRY = "registry.test";
  private static final String REPO = "team/app";

  private final Topics topics = Topics.withPartitions(1);
  private final Scripted check = new Scripted();
  private TopologyTestDriver driver;
  private TestInputTopic<String, ArtifactPushed> events;
  private TestOutputTopic<String, Verdict> verdicts;
  private TestOutputTopic<String, Verdict> violations;
  private TestOutputTopic<String, ArtifactPushed> rechecks;

  @BeforeEach
  void setUp() {
    start(StreamPolicy.DEFAULTS);
  }

  private void start(final StreamPolicy policy) {
    if (driver != null) {
      driver.close();
    }
    final Properties p = new Properties();
    p.put(StreamsConfig.APPLICATION_ID_CONFIG, "verifier-topology-test");
    p.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
    p.put(StreamsConfig.PROCESSING_EXCEPTION_HANDLER_CLASS_CONFIG, LogAndContinueProcessingExceptionHandler.class);
    p.put(StreamsConfig.ERRORS_DEAD_LETTER_QUEUE_TOPIC_NAME_CONFIG, Topics.ARTIFACT_EVENTS_DLQ);
    driver = new TopologyTestDriver(VerifierTopology.build(topics, check, policy, "test", VerifierMetrics.none()), p,
        START);
    events = driver.createInputTopic(Topics.ARTIFACT_EVENTS, Serdes.String().serializer(),
        topics.artifactEvents().valueSerde().serializer());
    verdicts = driver.createOutputTopic(Topics.VERDICTS, Serdes.String().deserializer(),
        topics.verdicts().valueSerde().deserializer());
    violations = driver.createOutputTopic(Topics.VIOLATIONS, Serdes.String().deserializer(),
        topics.violations().valueSerde().deserializer());
    rechecks = driver.createOutputTopic(Topics.ARTIFACT_EVENTS, Serdes.String().deserializer(),
        topics.artifactEvents().valueSerde().deserializer());
  }

  @AfterEach
  void tearDown() {
    driver.close();
  }

  @Test
  void signedImage_getsOnePassVerdict_andNoViolation() {
    // Given
    final Digest image = digest("signed");
    check.decide(image, ArtifactReport.Outcome.PASS, Reason.OK);

    // When
    push(image);
    tick(Duration.ofMillis(20));

    // Then
    assertThat(verdicts.readKeyValuesToList()).singleElement().satisfies(kv -> {
      assertThat(kv.key).isEqualTo(key(image));
      assertThat(kv.value.getOutcome()).isEqualTo(Outcome.PASS);
    });
    assertThat(violations.isEmpty()).isTrue();
  }

  @Test
  void unsignedImage_isHeldForTheGraceWindow_thenFails() {
    final Digest image = digest("unsigned");
    check.decide(image, ArtifactReport.Outcome.FAIL, Reason.NO_SIGNATURE);

    push(image);
    tick(Duration.ofSeconds(60));
    assertThat(verdicts.isEmpty()).as("held while CI may still sign it").isTrue();

    tick(Duration.ofSeconds(61));

    assertThat(verdicts.readValuesToList()).singleElement().satisfies(v ->
        assertThat(v.getReasonCode()).isEqualTo(ReasonCode.NO_SIGNATURE));
    assertThat(violations.readValuesToList()).hasSize(1);
    // Checked on arrival and once more when the window ended.
    assertThat(check.calls(image)).isEqualTo(2);
  }

  @Test
  void signaturePushedSecondsLater_givesOnePass_andNoViolation() {
    final Digest image = digest("late");
    final Digest signature = digest("late-signature");
    check.decide(image, ArtifactReport.Outcome.FAIL, Reason.NO_SIGNATURE);
    check.referrer(signature, image);

    push(image);
    tick(Duration.ofSeconds(5));
    // CI signs: the signature's push event arrives, and now the image verifies.
    check.decide(image, ArtifactReport.Outcome.PASS, Reason.OK);
    push(signature);
    tick(Duration.ofMillis(20));
    // The driver does not loop sinks back to sources: feed the recheck the way the broker would.
    final var recheck = rechecks.readKeyValue();
    assertThat(recheck.key).isEqualTo(key(image));
    assertThat(recheck.value.getAttributes()).containsEntry(VerifyProcessor.RECHECK_ATTRIBUTE, "referrer");
    events.pipeInput(recheck.key, recheck.value, START.plusSeconds(5));
    tick(Duration.ofMillis(20));

    assertThat(verdicts.readValuesToList()).singleElement().satisfies(v ->
        assertThat(v.getOutcome()).isEqualTo(Outcome.PASS));
    assertThat(violations.isEmpty()).isTrue();
    tick(Duration.ofMinutes(3));
    assertThat(verdicts.isEmpty()).as("no FAIL once the window ends").isTrue();
  }

  @Test
  void signatureAfterTheFail_givesANewPassForTheSameKey() {
    final Digest image = digest("very-late");
    final Digest signature = digest("very-late-signature");
    check.decide(image, ArtifactReport.Outcome.FAIL, Reason.NO_SIGNATURE);
    check.referrer(signature, image);
    push(image);
    tick(Duration.ofSeconds(121));
    assertThat(violations.readValuesToList()).hasSize(1);

    check.decide(image, ArtifactReport.Outcome.PASS, Reason.OK);
    push(signature);
    tick(Duration.ofMillis(20));
    final var recheck = rechecks.readKeyValue();
    events.pipeInput(recheck.key, recheck.value);
    tick(Duration.ofMillis(20));

    assertThat(verdicts.readKeyValuesToList()).extracting(kv -> kv.key + " " + kv.value.getOutcome())
        .containsExactly(key(image) + " FAIL", key(image) + " PASS");
  }

  @Test
  void tamperedImage_failsAtOnce_withoutWaiting() {
    final Digest image = digest("tampered");
    check.decide(image, ArtifactReport.Outcome.FAIL, Reason.DIGEST_MISMATCH);

    push(image);
    tick(Duration.ofMillis(20));

    assertThat(violations.readValuesToList()).singleElement().satisfies(v ->
        assertThat(v.getReasonCode()).isEqualTo(ReasonCode.DIGEST_MISMATCH));
  }

  @Test
  void registryOutage_isRetriedWithBackoff_andPassesOnceTheRegistryIsBack() {
    final Digest image = digest("outage");
    check.decide(image, ArtifactReport.Outcome.ERROR, Reason.REGISTRY_UNAVAILABLE);

    push(image);
    for (int i = 0; i < 8; i++) {
      tick(Duration.ofSeconds(5));
    }
    assertThat(verdicts.isEmpty()).isTrue();
    final int attempts = check.calls(image);
    // Backoff: 1, 2, 4, 8, 16 s... so far fewer attempts than ticks of 5 s over 40 s would allow unthrottled.
    assertThat(attempts).isBetween(3, 7);

    check.decide(image, ArtifactReport.Outcome.PASS, Reason.OK);
    tick(Duration.ofSeconds(61));

    assertThat(verdicts.readValuesToList()).singleElement().satisfies(v ->
        assertThat(v.getOutcome()).isEqualTo(Outcome.PASS));
    assertThat(violations.isEmpty()).isTrue();
  }

  @Test
  void registryOutage_pastTheRetryDeadline_isPublishedAsError() {
    start(StreamPolicy.DEFAULTS.withRetryDeadline(Duration.ofMinutes(2)));
    final Digest image = digest("down");
    check.decide(image, ArtifactReport.Outcome.ERROR, Reason.REGISTRY_UNAVAILABLE);

    push(image);
    for (int i = 0; i < 10; i++) {
      tick(Duration.ofSeconds(30));
    }

    assertThat(violations.readValuesToList()).singleElement().satisfies(v -> {
      assertThat(v.getOutcome()).isEqualTo(Outcome.ERROR);
      assertThat(v.getReasonCode()).isEqualTo(ReasonCode.REGISTRY_UNAVAILABLE);
    });
  }

  @Test
  void configurationError_isPublishedAtOnce_notRetried() {
    final Digest image = digest("no-creds");
    check.decide(image, ArtifactReport.Outcome.ERROR, Reason.REGISTRY_UNAUTHORIZED);

    push(image);
    tick(Duration.ofMillis(20));

    assertThat(violations.readValuesToList()).hasSize(1);
    assertThat(check.calls(image)).isEqualTo(1);
  }

  @Test
  void secondEventForTheSameDigest_withinTheWindow_isNotVerifiedAgain() {
    final Digest image = digest("dup");
    check.decide(image, ArtifactReport.Outcome.PASS, Reason.OK);

    push(image);
    tick(Duration.ofMillis(20));
    push(image);
    tick(Duration.ofMillis(20));

    assertThat(verdicts.readValuesToList()).hasSize(1);
    assertThat(check.calls(image)).isEqualTo(1);
  }

  @Test
  void newTrustMaterial_verifiesAgain_andTheVerdictNamesItsVersion() {
    final Digest image = digest("trust");
    check.decide(image, ArtifactReport.Outcome.PASS, Reason.OK);
    check.trustVersion = "sha256:v1";
    push(image);
    tick(Duration.ofMillis(20));

    check.trustVersion = "sha256:v2";
    push(image);
    tick(Duration.ofMillis(20));

    assertThat(verdicts.readValuesToList()).extracting(Verdict::getTrustVersion)
        .containsExactly("sha256:v1", "sha256:v2");
    assertThat(check.calls(image)).isEqualTo(2);
  }

  @Test
  void slowVerification_doesNotHoldTheOthers() {
    final Digest slow = digest("slow");
    final Digest fast = digest("fast");
    check.never(slow);
    check.decide(fast, ArtifactReport.Outcome.PASS, Reason.OK);

    push(slow);
    push(fast);
    tick(Duration.ofMillis(20));

    assertThat(verdicts.readKeyValuesToList()).extracting(kv -> kv.key).containsExactly(key(fast));
  }

  @Test
  void eventNamingNoValidReference_goesToTheDeadLetterQueue_andTheStreamGoesOn() {
    final Digest image = digest("after-poison");
    check.decide(image, ArtifactReport.Outcome.PASS, Reason.OK);
    final ArtifactPushed poison = event(image);
    poison.getArtifact().setRepository("../../etc/passwd");

    events.pipeInput("poison", poison);
    push(image);
    tick(Duration.ofMillis(20));

    final var dlq = driver.createOutputTopic(Topics.ARTIFACT_EVENTS_DLQ, Serdes.String().deserializer(),
        Serdes.ByteArray().deserializer());
    assertThat(dlq.readKeyValuesToList()).singleElement().satisfies(kv -> assertThat(kv.key).isEqualTo("poison"));
    assertThat(verdicts.readValuesToList()).hasSize(1);
  }

  @Test
  void referrerRecheck_thatFindsNothingNew_publishesNoSecondVerdict() {
    // The first verification was slow and already saw the signature; the signature's recheck arrives after it.
    final Digest image = digest("seen-already");
    final Digest signature = digest("seen-already-signature");
    check.decide(image, ArtifactReport.Outcome.PASS, Reason.OK);
    check.referrer(signature, image);
    push(image);
    tick(Duration.ofMillis(20));
    assertThat(verdicts.readValuesToList()).hasSize(1);

    push(signature);
    tick(Duration.ofMillis(20));
    final var recheck = rechecks.readKeyValue();
    events.pipeInput(recheck.key, recheck.value);
    tick(Duration.ofMillis(20));

    assertThat(check.calls(image)).as("verified again").isEqualTo(2);
    assertThat(verdicts.isEmpty()).as("but the same verdict is not published twice").isTrue();
  }

  @Test
  void imageIndex_withChildVerdictsOn_sendsEachPlatformManifestToBeVerifiedAsItsChild() {
    start(StreamPolicy.DEFAULTS.withClasses(Map.of(), true));
    final Digest index = digest("index");
    final Digest amd64 = digest("amd64");
    final Digest arm64 = digest("arm64");
    check.index(index, amd64, arm64);
    check.decide(index, ArtifactReport.Outcome.PASS, Reason.OK);
    check.decide(amd64, ArtifactReport.Outcome.PASS, Reason.OK);
    check.decide(arm64, ArtifactReport.Outcome.PASS, Reason.OK);

    push(index);
    tick(Duration.ofMillis(20));

    assertThat(verdicts.readKeyValuesToList()).singleElement().satisfies(kv ->
        assertThat(kv.key).isEqualTo(key(index)));
    final var children = rechecks.readKeyValuesToList();
    assertThat(children).extracting(kv -> kv.key).containsExactly(key(amd64), key(arm64));
    assertThat(children).allSatisfy(kv -> assertThat(kv.value.getAttributes())
        .containsEntry(VerifierTopology.PARENT_ATTRIBUTE, key(index))
        .doesNotContainKey(VerifyProcessor.RECHECK_ATTRIBUTE));

    // The broker would deliver them back: each child is checked with its index and gets its own verdict.
    children.forEach(kv -> events.pipeInput(kv.key, kv.value));
    tick(Duration.ofMillis(20));

    assertThat(verdicts.readKeyValuesToList()).extracting(kv -> kv.key).containsExactlyInAnyOrder(key(amd64),
        key(arm64));
    assertThat(check.parents).containsEntry(amd64, Reference.parse(key(index)))
        .containsEntry(arm64, Reference.parse(key(index)));
  }

  @Test
  void imageIndex_withChildVerdictsOff_getsOneVerdict_andNoChildEvents() {
    final Digest index = digest("index-only");
    check.index(index, digest("platform"));
    check.decide(index, ArtifactReport.Outcome.PASS, Reason.OK);

    push(index);
    tick(Duration.ofMillis(20));

    assertThat(verdicts.readValuesToList()).hasSize(1);
    assertThat(rechecks.isEmpty()).isTrue();
  }

  @Test
  void childHintNamingAnotherRepository_isIgnored_andTheChildStandsAlone() {
    final Digest child = digest("child");
    check.decide(child, ArtifactReport.Outcome.PASS, Reason.OK);
    final ArtifactPushed e = event(child);
    e.getAttributes().put(VerifierTopology.PARENT_ATTRIBUTE, REGISTRY + "/other/repo@" + digest("elsewhere"));

    events.pipeInput(key(child), e);
    tick(Duration.ofMillis(20));

    assertThat(verdicts.readValuesToList()).hasSize(1);
    assertThat(check.parents).isEmpty();
  }

  @Test
  void classWithAGraceWindowOfItsOwn_isHeldForThatWindow() {
    start(StreamPolicy.DEFAULTS.withClasses(Map.of(ArtifactClass.HELM_CHART, Duration.ofMinutes(10)), false));
    final Digest chart = digest("chart");
    final Digest image = digest("image-default-window");
    check.classOf(chart, ArtifactClass.HELM_CHART);
    check.classOf(image, ArtifactClass.CONTAINER_IMAGE);
    check.decide(chart, ArtifactReport.Outcome.FAIL, Reason.NO_SIGNATURE);
    check.decide(image, ArtifactReport.Outcome.FAIL, Reason.NO_SIGNATURE);

    push(chart);
    push(image);
    tick(Duration.ofSeconds(121));

    assertThat(verdicts.readKeyValuesToList()).extracting(kv -> kv.key).containsExactly(key(image));
    tick(Duration.ofMinutes(8));
    assertThat(verdicts.readKeyValuesToList()).extracting(kv -> kv.key).containsExactly(key(chart));
  }

  // ------------------------------------------------------------------------------------------------ fixtures

  /** A scripted verification path: per digest, a decision, a referrer's subject, or no answer at all. */
  private static final class Scripted implements ArtifactCheck {
    private final Map<Digest, Object> script = new ConcurrentHashMap<>();
    private final Map<Digest, AtomicInteger> calls = new ConcurrentHashMap<>();
    private final Map<Digest, ArtifactClass> classes = new ConcurrentHashMap<>();
    private final Map<Digest, List<Digest>> children = new ConcurrentHashMap<>();
    final Map<Digest, Reference> parents = new ConcurrentHashMap<>();
    volatile String trustVersion;

    void classOf(final Digest d, final ArtifactClass c) {
      classes.put(d, c);
    }

    void index(final Digest index, final Digest... platforms) {
      classes.put(index, ArtifactClass.IMAGE_INDEX);
      children.put(index, List.of(platforms));
    }

    @Override
    public CompletableFuture<ArtifactCheck.Outcome> checkChild(final Reference child, final Reference index) {
      parents.put(child.digest(), index);
      return check(child);
    }

    @Override
    public String trustVersion() {
      return trustVersion;
    }

    void decide(final Digest d, final ArtifactReport.Outcome outcome, final Reason reason) {
      script.put(d, new Object[] {outcome, reason});
    }

    void referrer(final Digest referrer, final Digest subject) {
      script.put(referrer, subject);
    }

    void never(final Digest d) {
      script.put(d, "never");
    }

    int calls(final Digest d) {
      return calls.getOrDefault(d, new AtomicInteger()).get();
    }

    @Override
    public CompletableFuture<ArtifactCheck.Outcome> check(final Reference artifact) {
      return CompletableFuture.completedFuture(null).thenCompose(x -> answer(artifact));
    }

    private CompletableFuture<ArtifactCheck.Outcome> answer(final Reference artifact) {
      calls.computeIfAbsent(artifact.digest(), k -> new AtomicInteger()).incrementAndGet();
      final Object s = script.get(artifact.digest());
      if ("never".equals(s)) {
        return new CompletableFuture<>();
      }
      if (s instanceof Digest subject) {
        return CompletableFuture.completedFuture(new ReferrerOf(Reference.repository(artifact.registry(),
            artifact.repository()).withDigest(subject)));
      }
      final Object[] d = (Object[]) s;
      final ArtifactReport.Outcome o = (ArtifactReport.Outcome) d[0];
      final Reference repo = Reference.repository(artifact.registry(), artifact.repository());
      return CompletableFuture.completedFuture(new Decided(new ArtifactReport(new ArtifactReport.ArtifactId(
          artifact.registry(), artifact.repository(), artifact.digest().toString(), null, null, null),
          classes.get(artifact.digest()), null, o,
          (Reason) d[1], "scripted", List.of(), o == ArtifactReport.Outcome.SKIPPED ? null
          : new ArtifactReport.AppliedPolicy("app", VerificationLevel.STRICT), List.of(), null, START),
          trustVersion, children.getOrDefault(artifact.digest(), List.of()).stream().map(repo::withDigest).toList()));
    }
  }

  /**
   * The fast tick runs only while there is work: Kafka Streams commits after every punctuation, so a fast tick on an
   * idle task would run an exactly-once transaction every commit interval for nothing.
   */
  @Test
  void fastTick_runsOnlyWhileWorkIsInFlight() {
    final org.apache.kafka.streams.processor.api.MockProcessorContext<String, org.apache.avro.specific.SpecificRecord>
        ctx = new org.apache.kafka.streams.processor.api.MockProcessorContext<>();
    for (final org.apache.kafka.streams.state.KeyValueStore<String, ?> store : List.of(
        org.apache.kafka.streams.state.Stores.keyValueStoreBuilder(org.apache.kafka.streams.state.Stores
            .inMemoryKeyValueStore(VerifierTopology.PENDING_STORE), Serdes.String(), new PendingWorkSerde())
            .withLoggingDisabled().build(),
        org.apache.kafka.streams.state.Stores.keyValueStoreBuilder(org.apache.kafka.streams.state.Stores
            .inMemoryKeyValueStore(VerifierTopology.VERDICT_STORE), Serdes.String(), topics.verdicts().valueSerde())
            .withLoggingDisabled().build())) {
      store.init(ctx.getStateStoreContext(), store);
      ctx.addStateStore(store);
    }
    final Digest image = digest("paced");
    final CompletableFuture<ArtifactCheck.Outcome> answer = new CompletableFuture<>();
    final VerifyProcessor processor = new VerifyProcessor(ref -> answer, StreamPolicy.DEFAULTS, "test",
        VerifierMetrics.none());
    ctx.setCurrentSystemTimeMs(0);
    processor.init(ctx);
    assertThat(activeTicks(ctx)).as("idle after start").containsExactly(VerifyProcessor.IDLE_TICK);

    processor.process(new org.apache.kafka.streams.processor.api.Record<>(key(image), event(image), 0L));
    assertThat(activeTicks(ctx)).as("work in flight").containsExactlyInAnyOrder(VerifyProcessor.IDLE_TICK,
        StreamPolicy.DEFAULTS.tick());
    final org.apache.kafka.streams.processor.Punctuator fast = ctx.scheduledPunctuators().stream()
        .filter(c -> !c.cancelled() && c.getInterval().equals(StreamPolicy.DEFAULTS.tick())).findFirst()
        .orElseThrow().getPunctuator();
    ctx.setCurrentSystemTimeMs(10);
    fast.punctuate(10);
    assertThat(ctx.forwarded()).as("nothing finished yet").isEmpty();
    assertThat(activeTicks(ctx)).as("still in flight").hasSize(2);

    answer.complete(new ArtifactCheck.Decided(new ArtifactReport(new ArtifactReport.ArtifactId(REGISTRY, REPO,
        image.toString(), null, null, null), null, null, ArtifactReport.Outcome.PASS, Reason.OK, "scripted",
        List.of(), new ArtifactReport.AppliedPolicy("app", VerificationLevel.STRICT), List.of(), null, START)));
    ctx.setCurrentSystemTimeMs(20);
    fast.punctuate(20);
    assertThat(ctx.forwarded()).singleElement().satisfies(f -> assertThat(f.record().key()).isEqualTo(key(image)));
    assertThat(activeTicks(ctx)).as("idle again").containsExactly(VerifyProcessor.IDLE_TICK);
  }

  private static List<Duration> activeTicks(final org.apache.kafka.streams.processor.api.MockProcessorContext<?, ?>
      ctx) {
    return ctx.scheduledPunctuators().stream().filter(c -> !c.cancelled())
        .map(org.apache.kafka.streams.processor.api.MockProcessorContext.CapturedPunctuator::getInterval).toList();
  }

  private void push(final Digest d) {
    events.pipeInput(key(d), event(d));
  }

  private void tick(final Duration d) {
    driver.advanceWallClockTime(d);
  }

  private static ArtifactPushed event(final Digest d) {
    return ArtifactPushed.newBuilder().setEventId(UUID.randomUUID().toString()).setSource("test")
        .setArtifact(ArtifactRef.newBuilder().setRegistry(REGISTRY).setRepository(REPO).setDigest(d.toString())
            .setTag(null).setMediaType(null).setSize(null).build())
        .setOccurredAt(START).setReceivedAt(START).setActor(null).setAttributes(new HashMap<>()).build();
  }

  private static String key(final Digest d) {
    return REGISTRY + "/" + REPO + "@" + d;
  }

  private static Digest digest(final String seed) {
    return Digest.sha256(seed.getBytes(StandardCharsets.UTF_8));
  }

  @SuppressWarnings("unused")
  private static List<String> keys(final List<String> l) {
    return new ArrayList<>(l);
  }
}
