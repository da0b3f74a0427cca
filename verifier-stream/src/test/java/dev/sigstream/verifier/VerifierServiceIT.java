package dev.sigstream.verifier;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sigstream.notary.sign.EnvelopeFormat;
import dev.sigstream.oci.Descriptor;
import dev.sigstream.oci.Reference;
import dev.sigstream.oci.memory.InMemoryRegistry;
import dev.sigstream.schemas.Topics;
import dev.sigstream.schemas.avro.ArtifactPushed;
import dev.sigstream.schemas.avro.ArtifactRef;
import dev.sigstream.schemas.avro.Outcome;
import dev.sigstream.schemas.avro.Verdict;
import dev.sigstream.testing.kafka.KafkaBroker;
import dev.sigstream.testing.kafka.KafkaBrokerExtension;
import dev.sigstream.testing.pki.CertSpec;
import dev.sigstream.testing.pki.Issued;
import dev.sigstream.testing.pki.KeyType;
import dev.sigstream.testing.pki.TestPki;
import dev.sigstream.verifier.api.VerdictApi;
import dev.sigstream.verifier.core.ArtifactReport;
import dev.sigstream.verifier.core.ArtifactVerifier;
import dev.sigstream.verifier.core.Reason;
import dev.sigstream.verifier.core.SignedFixtures;
import dev.sigstream.verifier.core.VerifierFactory;
import dev.sigstream.verifier.topology.ArtifactCheck;
import dev.sigstream.verifier.topology.StreamPolicy;
import dev.sigstream.verifier.topology.VerifierCheck;
import io.javalin.Javalin;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The verifier service on a real broker, exactly-once: events in, verdicts read by {@code read_committed}
 * consumers, the query API and the Gatekeeper provider over HTTP, and a restart mid-stream that loses and
 * duplicates no verdict.
 */
@Tag("integration")
@Timeout(240)
@ExtendWith(KafkaBrokerExtension.class)
class VerifierServiceIT {

  private static final String REGISTRY = "registry.test";
  private static final Reference REPO = Reference.repository(REGISTRY, "team/app");
  private static final Clock CLOCK = Clock.systemUTC();

  private static TestPki pki;
  private static Issued signer;
  private static ExecutorService pool;

  @BeforeAll
  static void pki() {
    pki = TestPki.start(CLOCK);
    final var root = pki.root("CN=Root,O=Sigstream,C=US", KeyType.EC_P256);
    signer = root.leaf(CertSpec.leaf("CN=signer,O=Sigstream,ST=WA,C=US").keyType(KeyType.EC_P256));
    rootCert = root.certificate();
    pool = VerifierFactory.boundedExecutor("it-verify", 2, 64);
  }

  private static java.security.cert.X509Certificate rootCert;

  @AfterAll
  static void stop() {
    pki.close();
    pool.shutdownNow();
  }

  @Test
  void signedImage_passes_lateSignature_passesWithoutViolation_andTheApisAnswerFromTheIndex(
      final KafkaBroker broker, final TestInfo info, @TempDir final Path state) throws Exception {
    // Given: the real verification path over an in-memory registry
    final Topics topics = StreamKit.topics(broker, info.getTestMethod().orElseThrow().getName());
    final InMemoryRegistry registry = new InMemoryRegistry();
    final SignedFixtures fx = new SignedFixtures(registry, REPO, CLOCK);
    final ArtifactVerifier verifier = ArtifactVerifier.builder().registry(registry)
        .notary(SignedFixtures.notary(REGISTRY + "/team/app", rootCert, CLOCK)).clock(CLOCK).executor(pool).build();
    final Descriptor signed = fx.image("v1");
    fx.sign(signed, EnvelopeFormat.JWS, signer);
    final Descriptor late = fx.image("v2");
    final Descriptor unsigned = fx.image("v3");

    try (VerifierService service = VerifierService.start(settings(info, state, topics,
            StreamPolicy.DEFAULTS.withGraceWindow(Duration.ofSeconds(8))), new VerifierCheck(verifier, registry),
            broker.bootstrapServers(), new SimpleMeterRegistry());
        KafkaProducer<String, ArtifactPushed> producer = StreamKit.producer(broker, topics)) {
      final Javalin http = Javalin.create(c -> new VerdictApi(service).routes(c)).start("127.0.0.1", 0);
      // When: the signed image, the late one, and a never-signed one are pushed; two seconds later CI signs "late"
      send(producer, topics, signed);
      send(producer, topics, late);
      send(producer, topics, unsigned);
      Thread.sleep(2000);
      final Descriptor lateSig = fx.sign(late, EnvelopeFormat.COSE, signer);
      send(producer, topics, lateSig);

      // Then
      final Map<String, List<Verdict>> verdicts = new ConcurrentHashMap<>();
      final Map<String, List<Verdict>> violations = new ConcurrentHashMap<>();
      try (KafkaConsumer<String, Verdict> vc = StreamKit.committed(broker, topics.verdicts());
          KafkaConsumer<String, Verdict> xc = StreamKit.committed(broker, topics.violations())) {
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
          poll(vc, verdicts);
          poll(xc, violations);
          assertThat(verdicts.keySet()).contains(fx.key(signed), fx.key(late), fx.key(unsigned));
        });
        // The grace window has passed for "unsigned" by now; give the stream one more second to be sure.
        Thread.sleep(1000);
        poll(vc, verdicts);
        poll(xc, violations);
      }
      assertThat(verdicts.get(fx.key(signed))).extracting(Verdict::getOutcome).containsExactly(Outcome.PASS);
      assertThat(verdicts.get(fx.key(late))).extracting(Verdict::getOutcome).containsExactly(Outcome.PASS);
      assertThat(verdicts.get(fx.key(unsigned))).extracting(Verdict::getOutcome).containsExactly(Outcome.FAIL);
      assertThat(violations.keySet()).containsExactly(fx.key(unsigned));
      // The signature itself gets no verdict: it only made its subject be checked again.
      assertThat(verdicts).doesNotContainKey(fx.key(lateSig));

      // The query API and admission answer from the verdict index.
      await().atMost(Duration.ofSeconds(20)).until(() -> service.verdict(fx.key(late)).isPresent());
      final String base = "http://127.0.0.1:" + http.port();
      final JsonNode one = get(base + "/v1/verdicts/" + fx.key(late));
      assertThat(one.path("state").asText()).isEqualTo("decided");
      assertThat(one.path("verdict").path("outcome").asText()).isEqualTo("PASS");
      assertThat(get(base + "/v1/verdicts?outcome=FAIL").path("verdicts")).hasSize(1);
      final JsonNode admission = post(base + "/v1/admission/gatekeeper", "{\"apiVersion\":"
          + "\"externaldata.gatekeeper.sh/v1beta1\",\"kind\":\"ProviderRequest\",\"request\":{\"keys\":[\""
          + fx.key(signed) + "\",\"" + fx.key(unsigned) + "\",\"" + REGISTRY + "/team/app:v1\"]}}");
      final JsonNode items = admission.path("response").path("items");
      assertThat(items.get(0).has("error")).as(items.toString()).isFalse();
      assertThat(items.get(1).path("error").asText()).startsWith("FAIL NO_SIGNATURE");
      assertThat(items.get(2).path("error").asText()).contains("by digest");
      http.stop();

      // Admission with on-demand verification: an image signed but never announced is verified while Gatekeeper
      // waits, admitted, and then gets its verdict through the stream like any other.
      final Descriptor unannounced = fx.image("v4");
      fx.sign(unannounced, EnvelopeFormat.COSE, signer);
      final Javalin onDemand = Javalin.create(c -> new VerdictApi(service, Duration.ofSeconds(3)).routes(c))
          .start("127.0.0.1", 0);
      final JsonNode now = post("http://127.0.0.1:" + onDemand.port() + "/v1/admission/gatekeeper", "{\"apiVersion\":"
          + "\"externaldata.gatekeeper.sh/v1beta1\",\"kind\":\"ProviderRequest\",\"request\":{\"keys\":[\""
          + fx.key(unannounced) + "\"]}}").path("response").path("items");
      assertThat(now.get(0).has("error")).as(now.toString()).isFalse();
      assertThat(now.get(0).path("value").path("onDemand").asBoolean()).isTrue();
      await().atMost(Duration.ofSeconds(30)).until(() -> service.verdict(fx.key(unannounced)).isPresent());
      onDemand.stop();
    }
  }

  @Test
  void restartMidStream_losesAndDuplicatesNoVerdict(final KafkaBroker broker, final TestInfo info,
      @TempDir final Path state) throws Exception {
    // Given: 60 artifacts whose verification takes 50-150 ms each
    final Topics topics = StreamKit.topics(broker, info.getTestMethod().orElseThrow().getName());
    final ArtifactCheck slow = ScriptedVerifierMain.slowCheck();
    final List<String> keys = new ArrayList<>();
    final VerifierService.Settings settings = settings(info, state, topics, StreamPolicy.DEFAULTS);
    try (KafkaProducer<String, ArtifactPushed> producer = StreamKit.producer(broker, topics)) {
      for (int i = 0; i < 60; i++) {
        final Descriptor d = Descriptor.of("application/vnd.oci.image.manifest.v1+json",
            dev.sigstream.oci.Digest.sha256(("restart-" + info.getDisplayName() + i).getBytes()), 100);
        keys.add(send(producer, topics, d));
      }
    }

    // When: the first instance is stopped after some verdicts, a second one (same application) takes over
    final Map<String, List<Verdict>> verdicts = new ConcurrentHashMap<>();
    try (KafkaConsumer<String, Verdict> vc = StreamKit.committed(broker, topics.verdicts())) {
      try (VerifierService first = VerifierService.start(settings, slow, broker.bootstrapServers(),
          new SimpleMeterRegistry())) {
        await().atMost(Duration.ofSeconds(60)).until(() -> {
          poll(vc, verdicts);
          return verdicts.size() >= 10;
        });
      }
      try (VerifierService second = VerifierService.start(settings, slow, broker.bootstrapServers(),
          new SimpleMeterRegistry())) {
        await().atMost(Duration.ofSeconds(90)).untilAsserted(() -> {
          poll(vc, verdicts);
          assertThat(verdicts.keySet()).containsExactlyInAnyOrderElementsOf(keys);
        });
        Thread.sleep(1000);
        poll(vc, verdicts);
      }
    }

    // Then: exactly one committed verdict per artifact
    assertThat(verdicts.values()).allSatisfy(l -> assertThat(l).hasSize(1));
  }

  @Test
  void instanceKilledWithSigkillMidStream_losesAndDuplicatesNoVerdict(final KafkaBroker broker, final TestInfo info,
      @TempDir final Path state) throws Exception {
    // Given: 200 artifacts, a first instance in a process of its own
    final Topics topics = StreamKit.topics(broker, info.getTestMethod().orElseThrow().getName());
    final List<String> keys = new ArrayList<>();
    try (KafkaProducer<String, ArtifactPushed> producer = StreamKit.producer(broker, topics)) {
      for (int i = 0; i < 200; i++) {
        final Descriptor d = Descriptor.of("application/vnd.oci.image.manifest.v1+json",
            dev.sigstream.oci.Digest.sha256(("kill-" + state + i).getBytes()), 100);
        keys.add(send(producer, topics, d));
      }
    }
    final String app = "verifier-" + name(info);
    final String prefix = topics.artifactEvents().name().substring(0, topics.artifactEvents().name().length()
        - Topics.ARTIFACT_EVENTS.length());
    final Process child = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-cp", System.getProperty("java.class.path"), ScriptedVerifierMain.class.getName(), broker.bootstrapServers(),
        prefix, String.valueOf(topics.artifactEvents().partitions()), app, state.resolve("child").toString())
        .redirectErrorStream(true).redirectOutput(state.resolve("child.log").toFile()).start();

    // When: the child is killed (SIGKILL: no close, no commit, no leaving the group) once verdicts flow, and a
    // successor with the same application id takes over
    final Map<String, List<Verdict>> verdicts = new ConcurrentHashMap<>();
    try (KafkaConsumer<String, Verdict> vc = StreamKit.committed(broker, topics.verdicts())) {
      try {
        await().atMost(Duration.ofSeconds(90)).until(() -> {
          poll(vc, verdicts);
          assertThat(child.isAlive()).as("child: %s", Files.readString(state.resolve("child.log"))).isTrue();
          return verdicts.size() >= 20;
        });
      } finally {
        child.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
      }
      assertThat(verdicts.size()).as("killed mid-stream, not after the end").isLessThan(keys.size());
      try (VerifierService successor = VerifierService.start(new VerifierService.Settings(app,
          state.resolve("successor"), topics, StreamPolicy.DEFAULTS, 1, "it"), ScriptedVerifierMain.slowCheck(),
          broker.bootstrapServers(), new SimpleMeterRegistry())) {
        await().atMost(Duration.ofSeconds(150)).untilAsserted(() -> {
          poll(vc, verdicts);
          assertThat(verdicts.keySet()).containsExactlyInAnyOrderElementsOf(keys);
        });
        Thread.sleep(1000);
        poll(vc, verdicts);
      }
    }

    // Then: exactly one committed verdict per artifact (each verification writes a unique detail, so a duplicate
    // could not hide as "unchanged")
    assertThat(verdicts.values()).allSatisfy(l -> assertThat(l).hasSize(1));
  }

  // ------------------------------------------------------------------------------------------------ helpers

  private static VerifierService.Settings settings(final TestInfo info, final Path state, final Topics topics,
      final StreamPolicy policy) {
    return new VerifierService.Settings("verifier-" + name(info), state, topics, policy, 1, "it");
  }

  private static String name(final TestInfo info) {
    return (info.getTestMethod().orElseThrow().getName() + "-" + Long.toHexString(System.nanoTime()))
        .replaceAll("[^A-Za-z0-9._-]", "_");
  }



  private static String send(final KafkaProducer<String, ArtifactPushed> producer, final Topics topics,
      final Descriptor d) throws Exception {
    final ArtifactRef ref = ArtifactRef.newBuilder().setRegistry(REGISTRY).setRepository(REPO.repository())
        .setDigest(d.digest().toString()).setTag(null).setMediaType(d.mediaType()).setSize(d.size()).build();
    final String key = REGISTRY + "/" + REPO.repository() + "@" + d.digest();
    producer.send(new ProducerRecord<>(topics.artifactEvents().name(), key, ArtifactPushed.newBuilder()
        .setEventId(UUID.randomUUID().toString()).setSource("it").setArtifact(ref).setOccurredAt(Instant.now(CLOCK))
        .setReceivedAt(Instant.now(CLOCK)).setActor(null).setAttributes(new HashMap<>()).build())).get();
    return key;
  }


  private static void poll(final KafkaConsumer<String, Verdict> c, final Map<String, List<Verdict>> into) {
    for (final ConsumerRecord<String, Verdict> r : c.poll(Duration.ofMillis(200))) {
      into.computeIfAbsent(r.key(), k -> new java.util.concurrent.CopyOnWriteArrayList<>()).add(r.value());
    }
  }

  private static JsonNode get(final String url) throws Exception {
    final HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(url)).build(),
        HttpResponse.BodyHandlers.ofString());
    return new ObjectMapper().readTree(r.body());
  }

  private static JsonNode post(final String url, final String body) throws Exception {
    final HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(url))
        .POST(HttpRequest.BodyPublishers.ofString(body)).header("Content-Type", "application/json").build(),
        HttpResponse.BodyHandlers.ofString());
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    return new ObjectMapper().readTree(r.body());
  }
}
