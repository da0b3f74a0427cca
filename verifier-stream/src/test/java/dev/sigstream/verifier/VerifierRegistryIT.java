package dev.sigstream.verifier;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.sigstream.notary.sign.EnvelopeFormat;
import dev.sigstream.oci.Descriptor;
import dev.sigstream.oci.Reference;
import dev.sigstream.oci.RegistryClient;
import dev.sigstream.oci.auth.Credentials;
import dev.sigstream.oci.client.OciRegistryHttpClient;
import dev.sigstream.oci.client.RegistryConfig;
import dev.sigstream.oci.client.RegistryEntry;
import dev.sigstream.oci.sbom.SbomPolicy;
import dev.sigstream.schemas.Topics;
import dev.sigstream.schemas.avro.ArtifactClass;
import dev.sigstream.schemas.avro.ArtifactPushed;
import dev.sigstream.schemas.avro.ArtifactRef;
import dev.sigstream.schemas.avro.Outcome;
import dev.sigstream.schemas.avro.ReasonCode;
import dev.sigstream.schemas.avro.Verdict;
import dev.sigstream.testing.kafka.KafkaBroker;
import dev.sigstream.testing.kafka.KafkaBrokerExtension;
import dev.sigstream.testing.pki.CertSpec;
import dev.sigstream.testing.pki.Issued;
import dev.sigstream.testing.pki.KeyType;
import dev.sigstream.testing.pki.Pem;
import dev.sigstream.testing.pki.TestPki;
import dev.sigstream.testing.registry.RegistryExtension;
import dev.sigstream.testing.registry.TestRegistry;
import dev.sigstream.verifier.core.ArtifactPolicy;
import dev.sigstream.verifier.core.RegistrySettings;
import dev.sigstream.verifier.topology.VerifierMetrics;
import dev.sigstream.notary.timestamp.HttpTsaClient;
import dev.sigstream.testing.net.TcpProxy;
import dev.sigstream.testing.pki.Tsa;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import dev.sigstream.verifier.core.SignedFixtures;
import dev.sigstream.verifier.core.TrustSettings;
import dev.sigstream.verifier.core.VerifierFactory;
import dev.sigstream.verifier.core.VerifierSettings;
import dev.sigstream.verifier.core.VerifyLimits;
import dev.sigstream.verifier.topology.StreamPolicy;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
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
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * End to end on the real broker and the real docker-registry, through the service built from settings as in
 * production (trust policy and store read from files, the HTTP registry client behind the throttling and caching
 * readers): one verdict per artifact with its reason code.
 */
@Tag("integration")
@Timeout(240)
@ExtendWith({KafkaBrokerExtension.class, RegistryExtension.class})
class VerifierRegistryIT {

  private static final Clock CLOCK = Clock.systemUTC();

  @Test
  void verdictsForSignedUnsignedTamperedUntrustedChartAndLateSigned(final KafkaBroker broker,
      final TestRegistry registry, final TestInfo info, @TempDir final Path dir) throws Exception {
    // Given: a test PKI, a trust policy and store on disk, and artifacts pushed to the real registry
    final ExecutorService pool = VerifierFactory.boundedExecutor("it-verify", 2, 64);
    // A served PKI: the production revocation checker fetches OCSP and CRLs from its loopback responders.
    try (TestPki pki = TestPki.start(CLOCK)) {
      final var root = pki.root("CN=Root,O=Sigstream,C=US", KeyType.EC_P256);
      final Issued signer = root.leaf(CertSpec.leaf("CN=ci,O=Sigstream,ST=WA,C=US").keyType(KeyType.EC_P256));
      final Issued stranger = pki.root("CN=Other,O=Else,C=US", KeyType.EC_P256)
          .leaf(CertSpec.leaf("CN=stranger,O=Else,ST=WA,C=US").keyType(KeyType.EC_P256));
      final Path store = dir.resolve("truststore/x509/ca/test");
      Files.createDirectories(store);
      Files.writeString(store.resolve("root.pem"), Pem.certificate(root.certificate()));
      Files.writeString(dir.resolve("trustpolicy.oci.json"), "{\"version\":\"1.0\",\"trustPolicies\":[{\"name\":"
          + "\"all\",\"registryScopes\":[\"*\"],\"signatureVerification\":{\"level\":\"strict\"},"
          + "\"trustStores\":[\"ca:test\"],\"trustedIdentities\":[\"*\"]}]}");
      final RegistryEntry entry = RegistryEntry.insecure(registry.host(), Credentials.ANONYMOUS);
      final RegistryClient client = OciRegistryHttpClient.create(RegistryConfig.of(entry), CLOCK);
      final Reference repo = Reference.repository(registry.host(), RegistryExtension.uniqueRepository(info));
      final SignedFixtures fx = new SignedFixtures(client, repo, CLOCK);
      final Descriptor jws = fx.image("jws");
      fx.sign(jws, EnvelopeFormat.JWS, signer);
      final Descriptor cose = fx.image("cose");
      fx.sign(cose, EnvelopeFormat.COSE, signer);
      final Descriptor unsigned = fx.image("unsigned");
      final Descriptor tampered = fx.image("tampered");
      fx.transplant(jws, tampered, signer);
      final Descriptor untrusted = fx.image("untrusted");
      fx.sign(untrusted, EnvelopeFormat.JWS, stranger);
      final Descriptor chart = fx.chart("chart");
      fx.sign(chart, EnvelopeFormat.JWS, signer);
      final Descriptor late = fx.image("late");

      final Topics topics = StreamKit.topics(broker, info.getTestMethod().orElseThrow().getName());
      final VerifierSettings verifier = new VerifierSettings(new TrustSettings(dir.resolve("trustpolicy.oci.json"),
          dir), RegistrySettings.of(List.of(entry), Duration.ofSeconds(5)), VerifyLimits.DEFAULTS, SbomPolicy.NONE,
          pool, CLOCK);
      final VerifierService.Settings settings = new VerifierService.Settings("verifier-" + UUID.randomUUID(),
          dir.resolve("state"), topics, StreamPolicy.DEFAULTS.withGraceWindow(Duration.ofSeconds(6)), 1, "it");

      try (VerifierService service = VerifierService.start(settings, verifier, Duration.ofMinutes(5),
              broker.bootstrapServers(), new SimpleMeterRegistry());
          KafkaProducer<String, ArtifactPushed> producer = StreamKit.producer(broker, topics);
          KafkaConsumer<String, Verdict> verdicts = StreamKit.committed(broker, topics.verdicts())) {
        // When: every push is announced, and "late" is signed two seconds after its push
        for (final Descriptor d : List.of(jws, cose, unsigned, tampered, untrusted, chart, late)) {
          send(producer, topics, repo, d);
        }
        Thread.sleep(2000);
        send(producer, topics, repo, fx.sign(late, EnvelopeFormat.COSE, signer));

        // Then
        final Map<String, List<Verdict>> got = collect(verdicts, 7, Duration.ofSeconds(90));
        assertThat(only(got, fx, jws)).satisfies(v -> assertThat(v.getOutcome()).isEqualTo(Outcome.PASS));
        assertThat(only(got, fx, cose).getOutcome()).isEqualTo(Outcome.PASS);
        assertThat(only(got, fx, unsigned).getReasonCode()).isEqualTo(ReasonCode.NO_SIGNATURE);
        assertThat(only(got, fx, tampered).getReasonCode()).isEqualTo(ReasonCode.DIGEST_MISMATCH);
        assertThat(only(got, fx, untrusted).getReasonCode()).isEqualTo(ReasonCode.UNTRUSTED_CHAIN);
        assertThat(only(got, fx, chart)).satisfies(v -> {
          assertThat(v.getOutcome()).isEqualTo(Outcome.PASS);
          assertThat(v.getArtifactClass()).isEqualTo(ArtifactClass.HELM_CHART);
        });
        assertThat(only(got, fx, late).getOutcome()).isEqualTo(Outcome.PASS);
        assertThat(got.values()).allSatisfy(l -> assertThat(l.get(0).getTrustVersion()).startsWith("sha256:"));
      }
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void verdictsForExpiryTimestampRevocationSbomsModelAndIndexChildren(final KafkaBroker broker,
      final TestRegistry registry, final TestInfo info, @TempDir final Path dir) throws Exception {
    // Given: a served PKI with a TSA, whose store is in the trust policy, so signatures carry timestamps;
    // verification runs three hours after signing, when one signer has expired
    final ExecutorService pool = VerifierFactory.boundedExecutor("it-verify", 2, 64);
    final Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
    final Clock later = Clock.fixed(now.plus(Duration.ofHours(3)), ZoneOffset.UTC);
    try (TestPki pki = TestPki.start(CLOCK)) {
      final var root = pki.root("CN=Root,O=Sigstream,C=US", KeyType.EC_P256);
      final Issued signer = root.leaf(CertSpec.leaf("CN=ci,O=Sigstream,ST=WA,C=US").keyType(KeyType.EC_P256));
      final Issued shortLived = root.leaf(CertSpec.leaf("CN=short,O=Sigstream,ST=WA,C=US").keyType(KeyType.EC_P256)
          .validity(now.minus(Duration.ofDays(1)), now.plus(Duration.ofHours(1))));
      final Issued revoked = root.leaf(CertSpec.leaf("CN=gone,O=Sigstream,ST=WA,C=US").keyType(KeyType.EC_P256));
      root.revoke(revoked.certificate(), now.minus(Duration.ofMinutes(5)));
      final Tsa tsa = pki.tsa();
      Files.createDirectories(dir.resolve("truststore/x509/ca/test"));
      Files.createDirectories(dir.resolve("truststore/x509/tsa/tsa"));
      Files.writeString(dir.resolve("truststore/x509/ca/test/root.pem"), Pem.certificate(root.certificate()));
      Files.writeString(dir.resolve("truststore/x509/tsa/tsa/root.pem"), Pem.certificate(tsa.rootCertificate()));
      Files.writeString(dir.resolve("trustpolicy.oci.json"), "{\"version\":\"1.0\",\"trustPolicies\":[{\"name\":"
          + "\"all\",\"registryScopes\":[\"*\"],\"signatureVerification\":{\"level\":\"strict\"},"
          + "\"trustStores\":[\"ca:test\",\"tsa:tsa\"],\"trustedIdentities\":[\"*\"]}]}");
      final Path policyFile = dir.resolve("policy.yaml");
      Files.writeString(policyFile, """
          classes:
            container_image: {signedSboms: true}
          sbom:
            deniedLicenses: [AGPL-3.0-only]
          index:
            verifyChildren: true
          """);
      final ArtifactPolicy policy = ArtifactPolicy.load(policyFile);
      final RegistryEntry entry = RegistryEntry.insecure(registry.host(), Credentials.ANONYMOUS);
      final RegistryClient client = OciRegistryHttpClient.create(RegistryConfig.of(entry), CLOCK);
      final Reference repo = Reference.repository(registry.host(), RegistryExtension.uniqueRepository(info));
      final SignedFixtures fx = new SignedFixtures(client, repo, CLOCK);
      final HttpTsaClient tsaClient = new HttpTsaClient(tsa.url(), Duration.ofSeconds(5));
      final Descriptor expiredStamped = fx.image("expired-stamped");
      fx.sign(expiredStamped, EnvelopeFormat.JWS, shortLived, tsaClient);
      final Descriptor expired = fx.image("expired");
      fx.sign(expired, EnvelopeFormat.COSE, shortLived);
      final Descriptor gone = fx.image("revoked");
      fx.sign(gone, EnvelopeFormat.JWS, revoked, tsaClient);
      final Descriptor signedSbom = fx.image("signed-sbom");
      fx.sign(signedSbom, EnvelopeFormat.JWS, signer, tsaClient);
      fx.sign(fx.sbom(signedSbom, "zlib", "Zlib"), EnvelopeFormat.COSE, signer, tsaClient);
      final Descriptor unsignedSbom = fx.image("unsigned-sbom");
      fx.sign(unsignedSbom, EnvelopeFormat.JWS, signer, tsaClient);
      fx.sbom(unsignedSbom, "zlib", "Zlib");
      final Descriptor deniedSbom = fx.image("denied-sbom");
      fx.sign(deniedSbom, EnvelopeFormat.JWS, signer, tsaClient);
      fx.sign(fx.sbom(deniedSbom, "ghostscript", "AGPL-3.0-only"), EnvelopeFormat.COSE, signer, tsaClient);
      final Descriptor model = fx.model("model");
      fx.sign(model, EnvelopeFormat.COSE, signer, tsaClient);
      final Descriptor amd64 = fx.image(null);
      final Descriptor arm64 = fx.image(null);
      final Descriptor index = fx.index("multi", amd64, arm64);
      fx.sign(index, EnvelopeFormat.JWS, signer, tsaClient);

      final Topics topics = StreamKit.topics(broker, info.getTestMethod().orElseThrow().getName());
      final VerifierSettings verifier = new VerifierSettings(new TrustSettings(dir.resolve("trustpolicy.oci.json"),
          dir), RegistrySettings.of(List.of(entry), Duration.ofSeconds(5)), VerifyLimits.DEFAULTS, policy.sbom(),
          pool, later, policy.classes());
      final VerifierService.Settings settings = new VerifierService.Settings("verifier-" + UUID.randomUUID(),
          dir.resolve("state"), topics, StreamPolicy.DEFAULTS.withGraceWindow(Duration.ofSeconds(4))
              .withClasses(policy.graceWindows(), policy.verifyChildren()), 1, "it");

      try (VerifierService service = VerifierService.start(settings, verifier, Duration.ofMinutes(5),
              broker.bootstrapServers(), new SimpleMeterRegistry());
          KafkaProducer<String, ArtifactPushed> producer = StreamKit.producer(broker, topics);
          KafkaConsumer<String, Verdict> verdicts = StreamKit.committed(broker, topics.verdicts())) {
        // When: every push is announced (the index's children are not: the stream finds them in the index)
        for (final Descriptor d : List.of(expiredStamped, expired, gone, signedSbom, unsignedSbom, deniedSbom, model,
            index)) {
          send(producer, topics, repo, d);
        }

        // Then
        final Map<String, List<Verdict>> got = collect(verdicts, 10, Duration.ofSeconds(90));
        assertThat(only(got, fx, expiredStamped)).satisfies(v -> {
          assertThat(v.getOutcome()).as(v.getDetail()).isEqualTo(Outcome.PASS);
          assertThat(v.getSignatures().get(0).getTimestampMillis()).isNotNull();
        });
        // Expired, and no timestamp to prove it signed while valid (with a TSA store in the policy, Notation's
        // reason is the missing timestamp).
        assertThat(only(got, fx, expired).getReasonCode()).isEqualTo(ReasonCode.TIMESTAMP_MISSING);
        assertThat(only(got, fx, gone).getReasonCode()).isEqualTo(ReasonCode.CERT_REVOKED);
        assertThat(only(got, fx, signedSbom)).satisfies(v ->
            assertThat(v.getOutcome()).as(v.getReasonCode() + ": " + v.getDetail()).isEqualTo(Outcome.PASS));
        assertThat(only(got, fx, unsignedSbom).getReasonCode()).isEqualTo(ReasonCode.SBOM_UNSIGNED);
        assertThat(only(got, fx, deniedSbom).getReasonCode()).isEqualTo(ReasonCode.SBOM_DENIED_LICENSE);
        assertThat(only(got, fx, model)).satisfies(v -> {
          assertThat(v.getOutcome()).isEqualTo(Outcome.PASS);
          assertThat(v.getArtifactClass()).isEqualTo(ArtifactClass.AI_MODEL);
        });
        assertThat(only(got, fx, index)).satisfies(v -> {
          assertThat(v.getOutcome()).isEqualTo(Outcome.PASS);
          assertThat(v.getArtifactClass()).isEqualTo(ArtifactClass.IMAGE_INDEX);
        });
        for (final Descriptor child : List.of(amd64, arm64)) {
          assertThat(only(got, fx, child)).satisfies(v -> {
            assertThat(v.getOutcome()).as(v.getDetail()).isEqualTo(Outcome.PASS);
            assertThat(v.getDetail()).contains("image index " + index.digest());
          });
        }
      }
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void registryOutage_isRetried_untilTheRegistryIsBack_orPublishedAsErrorAfterTheDeadline(final KafkaBroker broker,
      final TestRegistry registry, final TestInfo info, @TempDir final Path dir) throws Exception {
    // Given: two routes to the real registry through proxies that are down; one comes back after two seconds
    final ExecutorService pool = VerifierFactory.boundedExecutor("it-verify", 2, 64);
    try (TestPki pki = TestPki.start(CLOCK);
        TcpProxy comesBack = new TcpProxy(registry.host(), Duration.ZERO);
        TcpProxy staysDown = new TcpProxy(registry.host(), Duration.ZERO)) {
      final var root = pki.root("CN=Root,O=Sigstream,C=US", KeyType.EC_P256);
      final Issued signer = root.leaf(CertSpec.leaf("CN=ci,O=Sigstream,ST=WA,C=US").keyType(KeyType.EC_P256));
      Files.createDirectories(dir.resolve("truststore/x509/ca/test"));
      Files.writeString(dir.resolve("truststore/x509/ca/test/root.pem"), Pem.certificate(root.certificate()));
      Files.writeString(dir.resolve("trustpolicy.oci.json"), "{\"version\":\"1.0\",\"trustPolicies\":[{\"name\":"
          + "\"all\",\"registryScopes\":[\"*\"],\"signatureVerification\":{\"level\":\"strict\"},"
          + "\"trustStores\":[\"ca:test\"],\"trustedIdentities\":[\"*\"]}]}");
      final RegistryClient client = OciRegistryHttpClient.create(RegistryConfig.of(RegistryEntry.insecure(
          registry.host(), Credentials.ANONYMOUS)), CLOCK);
      final String repoName = RegistryExtension.uniqueRepository(info);
      final SignedFixtures fx = new SignedFixtures(client, Reference.repository(registry.host(), repoName), CLOCK);
      final Descriptor image = fx.image("v1");
      fx.sign(image, EnvelopeFormat.JWS, signer);
      final Reference viaBack = Reference.repository(comesBack.host(), repoName);
      final Reference viaDown = Reference.repository(staysDown.host(), repoName);

      final Topics topics = StreamKit.topics(broker, info.getTestMethod().orElseThrow().getName());
      final VerifierSettings verifier = new VerifierSettings(new TrustSettings(dir.resolve("trustpolicy.oci.json"),
          dir), RegistrySettings.of(List.of(RegistryEntry.insecure(comesBack.host(), Credentials.ANONYMOUS),
              RegistryEntry.insecure(staysDown.host(), Credentials.ANONYMOUS)), Duration.ofSeconds(2)),
          VerifyLimits.DEFAULTS.withDeadline(Duration.ofSeconds(4)), SbomPolicy.NONE, pool, CLOCK);
      final VerifierService.Settings settings = new VerifierService.Settings("verifier-" + UUID.randomUUID(),
          dir.resolve("state"), topics, StreamPolicy.DEFAULTS.withRetryDeadline(Duration.ofSeconds(5)), 1, "it");
      final SimpleMeterRegistry meters = new SimpleMeterRegistry();

      try (VerifierService service = VerifierService.start(settings, verifier, Duration.ofMinutes(5),
              broker.bootstrapServers(), meters);
          KafkaProducer<String, ArtifactPushed> producer = StreamKit.producer(broker, topics);
          KafkaConsumer<String, Verdict> verdicts = StreamKit.committed(broker, topics.verdicts())) {
        // When
        send(producer, topics, viaBack, image);
        send(producer, topics, viaDown, image);
        await().atMost(Duration.ofSeconds(30)).until(() -> meters.find(VerifierMetrics.RETRIES).counters().stream()
            .mapToDouble(c -> c.count()).sum() >= 2);
        comesBack.start();

        // Then: one verdict each, and no ERROR while the outage was being retried
        final Map<String, List<Verdict>> got = collect(verdicts, 2, Duration.ofSeconds(60));
        assertThat(got.get(viaBack.registry() + "/" + repoName + "@" + image.digest())).singleElement()
            .satisfies(v -> assertThat(v.getOutcome()).as(v.getDetail()).isEqualTo(Outcome.PASS));
        assertThat(got.get(viaDown.registry() + "/" + repoName + "@" + image.digest())).singleElement()
            .satisfies(v -> {
              assertThat(v.getOutcome()).isEqualTo(Outcome.ERROR);
              assertThat(v.getReasonCode()).isEqualTo(ReasonCode.REGISTRY_UNAVAILABLE);
            });
        // Registry latency by host, operation and result.
        assertThat(meters.find(RegistryTimings.METRIC).tags("host", comesBack.host(), "result", "found").timers())
            .isNotEmpty().allSatisfy(t -> assertThat(t.count()).isPositive());
        assertThat(meters.find(RegistryTimings.METRIC).tags("host", staysDown.host(), "result", "unavailable")
            .timers()).isNotEmpty();
      }
    } finally {
      pool.shutdownNow();
    }
  }

  /** Committed verdicts by key, once {@code keys} artifacts have at least one. */
  private static Map<String, List<Verdict>> collect(final KafkaConsumer<String, Verdict> verdicts, final int keys,
      final Duration within) {
    final Map<String, List<Verdict>> got = new ConcurrentHashMap<>();
    await().atMost(within).untilAsserted(() -> {
      for (final ConsumerRecord<String, Verdict> r : verdicts.poll(Duration.ofMillis(200))) {
        got.computeIfAbsent(r.key(), k -> new ArrayList<>()).add(r.value());
      }
      assertThat(got).hasSize(keys);
    });
    return got;
  }

  private static Verdict only(final Map<String, List<Verdict>> got, final SignedFixtures fx, final Descriptor d) {
    assertThat(got.get(fx.key(d))).as(fx.key(d)).hasSize(1);
    return got.get(fx.key(d)).get(0);
  }


  private static void send(final KafkaProducer<String, ArtifactPushed> producer, final Topics topics,
      final Reference repo, final Descriptor d) throws Exception {
    final ArtifactRef ref = ArtifactRef.newBuilder().setRegistry(repo.registry()).setRepository(repo.repository())
        .setDigest(d.digest().toString()).setTag(null).setMediaType(d.mediaType()).setSize(d.size()).build();
    producer.send(new ProducerRecord<>(topics.artifactEvents().name(), repo.registry() + "/" + repo.repository()
        + "@" + d.digest(), ArtifactPushed.newBuilder().setEventId(UUID.randomUUID().toString()).setSource("it")
        .setArtifact(ref).setOccurredAt(Instant.now(CLOCK)).setReceivedAt(Instant.now(CLOCK)).setActor(null)
        .setAttributes(new HashMap<>()).build())).get();
  }


}
