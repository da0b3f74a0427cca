package dev.sigstream.verifier.core;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sigstream.notary.NotaryVerifier;
import dev.sigstream.notary.TargetDescriptor;
import dev.sigstream.notary.policy.TrustPolicyDocument;
import dev.sigstream.notary.revocation.RevocationResult;
import dev.sigstream.notary.revocation.RevocationStatus;
import dev.sigstream.notary.sign.EnvelopeFormat;
import dev.sigstream.notary.sign.LocalSigningKey;
import dev.sigstream.notary.sign.NotarySigner;
import dev.sigstream.notary.sign.SignRequest;
import dev.sigstream.notary.sign.SignatureManifest;
import dev.sigstream.notary.sign.SignedEnvelope;
import dev.sigstream.notary.truststore.TrustStore;
import dev.sigstream.notary.truststore.TrustStoreType;
import dev.sigstream.oci.Descriptor;
import dev.sigstream.oci.Digest;
import dev.sigstream.oci.FetchResult;
import dev.sigstream.oci.ForwardingReader;
import dev.sigstream.oci.Manifest;
import dev.sigstream.oci.MediaTypes;
import dev.sigstream.oci.Reference;
import dev.sigstream.oci.Referrers;
import dev.sigstream.oci.RegistryReader;
import dev.sigstream.oci.classify.ArtifactClass;
import dev.sigstream.oci.memory.InMemoryRegistry;
import dev.sigstream.oci.sbom.SbomPolicy;
import dev.sigstream.testing.pki.CertSpec;
import dev.sigstream.testing.pki.Issued;
import dev.sigstream.testing.pki.KeyType;
import dev.sigstream.testing.pki.TestPki;
import dev.sigstream.verifier.core.ArtifactReport.Outcome;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The whole verification path against the in-memory registry, with real notary verification of certificates from
 * the offline test PKI (no server; revocation is a stub that answers OK): a plain unit test.
 */
class ArtifactVerifierTest {

  private static final String REGISTRY = "registry.test";
  private static final String REPO = "team/app";
  private static final Instant NOW = Instant.parse("2026-06-01T00:00:00Z");
  private static final Clock CLOCK = Clock.fixed(NOW, ZoneOffset.UTC);

  private static TestPki pki;
  private static Issued signer;
  private static Issued stranger;
  private static NotaryVerifier notary;

  private static final Reference REPO_REF = Reference.repository(REGISTRY, REPO);

  private InMemoryRegistry registry;
  private RegistryReader reader;
  private Descriptor image;

  @BeforeAll
  static void pki() {
    pki = TestPki.offline(Clock.fixed(NOW.minus(Duration.ofDays(1)), ZoneOffset.UTC));
    final var root = pki.root("CN=Root,O=Sigstream,C=US", KeyType.EC_P384);
    signer = root.intermediate("CN=CA,O=Sigstream,C=US", KeyType.EC_P256)
        .leaf(CertSpec.leaf("CN=signer,O=Sigstream,ST=WA,C=US").keyType(KeyType.EC_P256));
    stranger = pki.root("CN=Other,O=Else,C=US", KeyType.EC_P256)
        .leaf(CertSpec.leaf("CN=stranger,O=Else,ST=WA,C=US").keyType(KeyType.EC_P256));
    notary = NotaryVerifier.builder()
        .trustPolicy(TrustPolicyDocument.parse("{\"version\":\"1.0\",\"trustPolicies\":["
            + "{\"name\":\"app\",\"registryScopes\":[\"" + REGISTRY + "/" + REPO + "\"],"
            + "\"signatureVerification\":{\"level\":\"strict\"},\"trustStores\":[\"ca:test\"],"
            + "\"trustedIdentities\":[\"*\"]},"
            + "{\"name\":\"skipped\",\"registryScopes\":[\"" + REGISTRY + "/team/legacy\"],"
            + "\"signatureVerification\":{\"level\":\"skip\"}}]}"))
        .trustStore(TrustStore.of(Map.of(TrustStoreType.CA, Map.of("test", List.of(root.certificate())))))
        .clock(CLOCK)
        .revocationChecker((chain, purpose, t) -> new RevocationResult(RevocationStatus.OK, "stub", List.of()))
        .build();
  }

  @AfterAll
  static void stop() {
    pki.close();
  }

  @BeforeEach
  void setUp() {
    registry = new InMemoryRegistry();
    reader = registry;
    image = registry.put(REPO_REF, imageManifest(), MediaTypes.OCI_MANIFEST, "v1");
  }

  private ArtifactVerifier verifier() {
    return verifier(VerifyLimits.DEFAULTS, SbomPolicy.NONE);
  }

  private ArtifactVerifier verifier(final VerifyLimits limits, final SbomPolicy sbomPolicy) {
    return ArtifactVerifier.builder().registry(reader).notary(notary).clock(CLOCK).limits(limits)
        .sbomPolicy(sbomPolicy).executor(Runnable::run).build();
  }

  private ArtifactReport verify(final String ref) {
    return verifier().verify(Reference.parse(ref), Map.of()).join();
  }

  // ------------------------------------------------------------------------------------------------ pass

  @Test
  void passes_whenSignedByTrustedKey_andRecordsTagAndDigest() {
    // Given
    final String sig = sign(image, EnvelopeFormat.JWS, signer);

    // When
    final ArtifactReport r = verify(REGISTRY + "/" + REPO + ":v1");

    // Then
    assertThat(r.outcome()).as(r.detail()).isEqualTo(Outcome.PASS);
    assertThat(r.reason()).isEqualTo(Reason.OK);
    assertThat(r.artifact().digest()).isEqualTo(image.digest().toString());
    assertThat(r.artifact().tag()).isEqualTo("v1");
    assertThat(r.artifact().mediaType()).isEqualTo(MediaTypes.OCI_MANIFEST);
    assertThat(r.artifact().size()).isEqualTo(image.size());
    assertThat(r.artifactClass()).isEqualTo(ArtifactClass.CONTAINER_IMAGE);
    assertThat(r.classification().evidence()).contains("config.mediaType=");
    assertThat(r.policy().statement()).isEqualTo("app");
    assertThat(r.signatures()).singleElement().satisfies(s -> {
      assertThat(s.verified()).isTrue();
      assertThat(s.manifestDigest()).isEqualTo(sig);
      assertThat(s.signerSubject()).contains("CN=signer");
    });
    assertThat(r.referrers().signatureCount()).isEqualTo(1);
    assertThat(r.decidedAt()).isEqualTo(NOW);
  }

  @Test
  void passes_forCose_andForSignatureManifestShapeB() {
    final Descriptor other = registry.put(REPO_REF, imageManifest(), MediaTypes.OCI_MANIFEST, "v2");
    sign(image, EnvelopeFormat.COSE, signer);
    signShapeB(other);

    assertThat(verify(ref(image)).outcome()).isEqualTo(Outcome.PASS);
    final ArtifactReport b = verify(ref(other));
    assertThat(b.outcome()).as(b.detail()).isEqualTo(Outcome.PASS);
  }

  @Test
  void passes_whenOneOfSeveralSignaturesVerifies_evenIfAnotherCouldNotBeFetched() {
    // Given: an untrusted signature, one whose envelope cannot be fetched right now, and a good one
    sign(image, EnvelopeFormat.JWS, stranger);
    final String unreachable = sign(image, EnvelopeFormat.JWS, signer);
    registry.failBlob(envelopeDigest(unreachable), new FetchResult.Unavailable<>("connection reset"));
    sign(image, EnvelopeFormat.COSE, signer);

    final ArtifactReport r = verify(ref(image));

    assertThat(r.outcome()).as(r.detail()).isEqualTo(Outcome.PASS);
    assertThat(r.signatures()).hasSize(3);
    assertThat(r.signatures()).filteredOn(SignatureReport::verified).singleElement()
        .satisfies(s -> assertThat(s.envelopeType()).isEqualTo("application/cose"));
  }

  @Test
  void isThreadSafe_manyArtifactsVerifiedConcurrently() {
    // Given: 24 signed artifacts, verified at once on a 4-thread pool
    final List<Descriptor> images = new java.util.ArrayList<>();
    for (int i = 0; i < 24; i++) {
      final Descriptor d = registry.put(REPO_REF, imageManifest(), MediaTypes.OCI_MANIFEST, "t" + i);
      sign(d, i % 2 == 0 ? EnvelopeFormat.JWS : EnvelopeFormat.COSE, signer);
      images.add(d);
    }
    final java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(4);
    try {
      final ArtifactVerifier v = ArtifactVerifier.builder().registry(reader).notary(notary).clock(CLOCK)
          .executor(pool).build();

      // When
      final List<java.util.concurrent.CompletableFuture<ArtifactReport>> fs = images.stream()
          .map(d -> v.verify(Reference.parse(ref(d)), Map.of())).toList();

      // Then
      for (int i = 0; i < fs.size(); i++) {
        final ArtifactReport r = fs.get(i).join();
        assertThat(r.outcome()).as(r.detail()).isEqualTo(Outcome.PASS);
        assertThat(r.artifact().digest()).isEqualTo(images.get(i).digest().toString());
      }
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void moreSignaturesThanTheCap_butOneOfTheTriedVerifies_passesWithAWarning() {
    sign(image, EnvelopeFormat.JWS, signer);
    sign(image, EnvelopeFormat.JWS, stranger);
    sign(image, EnvelopeFormat.JWS, stranger);

    final ArtifactReport r = verifier(VerifyLimits.DEFAULTS.withMaxSignatures(2), SbomPolicy.NONE)
        .verify(Reference.parse(ref(image)), Map.of()).join();

    assertThat(r.outcome()).isEqualTo(Outcome.PASS);
    assertThat(r.warnings()).extracting(CheckReport::reason).contains(Reason.TOO_MANY_SIGNATURES);
    assertThat(r.referrers().signatureCount()).isEqualTo(3);
  }

  // ------------------------------------------------------------------------------------------------ fail

  @Test
  void fails_noSignature() {
    final ArtifactReport r = verify(ref(image));

    assertThat(r.outcome()).isEqualTo(Outcome.FAIL);
    assertThat(r.reason()).isEqualTo(Reason.NO_SIGNATURE);
  }

  @Test
  void fails_untrustedChain_whenSignerIsNotInTheTrustStore() {
    sign(image, EnvelopeFormat.JWS, stranger);

    final ArtifactReport r = verify(ref(image));

    assertThat(r.outcome()).isEqualTo(Outcome.FAIL);
    assertThat(r.reason()).isEqualTo(Reason.UNTRUSTED_CHAIN);
  }

  @Test
  void fails_digestMismatch_whenASignatureOfOtherContentIsAttached() {
    // Given: an envelope over another artifact, placed in a manifest whose subject is this image
    final Descriptor other = registry.put(REPO_REF, imageManifest(), MediaTypes.OCI_MANIFEST, "other");
    final SignedEnvelope env = envelope(other, EnvelopeFormat.JWS, signer);
    attach(image, env.mediaType(), env.envelope());

    final ArtifactReport r = verify(ref(image));

    assertThat(r.outcome()).isEqualTo(Outcome.FAIL);
    assertThat(r.reason()).isEqualTo(Reason.DIGEST_MISMATCH);
  }

  @Test
  void fails_whenUserMetadataIsMissing() {
    sign(image, EnvelopeFormat.JWS, signer);

    final ArtifactReport r = verifier().verify(Reference.parse(ref(image)), Map.of("env", "prod")).join();

    assertThat(r.outcome()).isEqualTo(Outcome.FAIL);
    assertThat(r.reason()).isEqualTo(Reason.USER_METADATA_MISMATCH);
  }

  @Test
  void oversizeEnvelope_isNotDownloaded_andFailsEnvelopeTooLarge() {
    sign(image, EnvelopeFormat.JWS, signer);
    final VerifyLimits tiny = new VerifyLimits(100, 16, 10, 1 << 20, Duration.ofMinutes(1));

    final ArtifactReport r = verifier(tiny, SbomPolicy.NONE).verify(Reference.parse(ref(image)), Map.of()).join();

    assertThat(r.outcome()).isEqualTo(Outcome.FAIL);
    assertThat(r.reason()).isEqualTo(Reason.ENVELOPE_TOO_LARGE);
    assertThat(registry.blobCalls()).isZero();
  }

  @Test
  void signatureManifestForAnotherSubject_listedInTheIndex_isNotTrusted() {
    // A tag-schema index entry is writable by anyone with push rights; the manifest itself must name the subject.
    final Descriptor other = registry.put(REPO_REF, imageManifest(), MediaTypes.OCI_MANIFEST, "other");
    final String sig = sign(other, EnvelopeFormat.JWS, signer);
    final dev.sigstream.oci.Manifest m = registry.manifest(REPO_REF.withDigest(Digest.parse(sig))).join()
        .orElseThrow();
    final Descriptor listed = new Descriptor(m.mediaType(), m.descriptor().digest(), m.bytes().length,
        MediaTypes.NOTARY_SIGNATURE, Map.of(), null);
    reader = new ForwardingReader(registry) {
      @Override
      public CompletableFuture<FetchResult<Referrers>> referrers(final Reference subject, final String type) {
        return CompletableFuture.completedFuture(FetchResult.found(new Referrers(subject.digest(), List.of(listed),
            Referrers.Source.TAG_SCHEMA, false)));
      }
    };

    final ArtifactReport r = verify(ref(image));

    assertThat(r.outcome()).isEqualTo(Outcome.FAIL);
    assertThat(r.reason()).isEqualTo(Reason.CONTENT_MALFORMED);
    assertThat(r.detail()).contains("names subject " + other.digest());
  }

  @Test
  void tooManySignatures_failsWhenNoneOfTheTriedVerifies() {
    sign(image, EnvelopeFormat.JWS, stranger);
    sign(image, EnvelopeFormat.JWS, stranger);
    sign(image, EnvelopeFormat.JWS, signer);

    final ArtifactReport r = verifier(VerifyLimits.DEFAULTS.withMaxSignatures(2), SbomPolicy.NONE)
        .verify(Reference.parse(ref(image)), Map.of()).join();

    assertThat(r.outcome()).isEqualTo(Outcome.FAIL);
    assertThat(r.reason()).isEqualTo(Reason.TOO_MANY_SIGNATURES);
    assertThat(r.signatures()).hasSize(2);
  }

  @Test
  void noApplicablePolicy_fails_beforeTouchingTheManifest() {
    final ArtifactReport r = verify(REGISTRY + "/team/unknown@" + image.digest());

    assertThat(r.outcome()).isEqualTo(Outcome.FAIL);
    assertThat(r.reason()).isEqualTo(Reason.NO_APPLICABLE_POLICY);
    assertThat(registry.manifestCalls()).isZero();
  }

  @Test
  void skipLevel_isSkipped_withoutFetchingAnything() {
    final ArtifactReport r = verify(REGISTRY + "/team/legacy@" + image.digest());

    assertThat(r.outcome()).isEqualTo(Outcome.SKIPPED);
    assertThat(r.reason()).isEqualTo(Reason.POLICY_SKIPPED);
    assertThat(r.policy().statement()).isEqualTo("skipped");
    assertThat(registry.manifestCalls() + registry.referrerCalls() + registry.blobCalls()).isZero();
  }

  // ------------------------------------------------------------------------------------------------ registry errors

  @Test
  void registryFailures_mapToFailOrError_neverPass() {
    sign(image, EnvelopeFormat.JWS, signer);
    final String byDigest = ref(image);

    registry.failManifest(image.digest(), new FetchResult.NotFound<>("NAME_UNKNOWN", "no repo"));
    assertThat(outcomeAndReason(byDigest)).isEqualTo(Outcome.FAIL + " " + Reason.REPOSITORY_NOT_FOUND);
    registry.failManifest(image.digest(), new FetchResult.NotFound<>("MANIFEST_UNKNOWN", "gone"));
    assertThat(outcomeAndReason(byDigest)).isEqualTo(Outcome.FAIL + " " + Reason.ARTIFACT_NOT_FOUND);
    registry.failManifest(image.digest(), new FetchResult.Invalid<>("DIGEST_MISMATCH", "bad bytes"));
    assertThat(outcomeAndReason(byDigest)).isEqualTo(Outcome.FAIL + " " + Reason.CONTENT_DIGEST_MISMATCH);
    registry.failManifest(image.digest(), new FetchResult.Unavailable<>("503"));
    assertThat(outcomeAndReason(byDigest)).isEqualTo(Outcome.ERROR + " " + Reason.REGISTRY_UNAVAILABLE);
    registry.failManifest(image.digest(), new FetchResult.Unauthorized<>("401"));
    assertThat(outcomeAndReason(byDigest)).isEqualTo(Outcome.ERROR + " " + Reason.REGISTRY_UNAUTHORIZED);
    registry.clearFailures();

    registry.failReferrers(image.digest(), new FetchResult.RateLimited<>(Optional.empty(), "429"));
    assertThat(outcomeAndReason(byDigest)).isEqualTo(Outcome.ERROR + " " + Reason.REGISTRY_RATE_LIMITED);
    registry.clearFailures();

    registry.failResolve(new FetchResult.Forbidden<>("403"));
    assertThat(outcomeAndReason(REGISTRY + "/" + REPO + ":v1")).isEqualTo(Outcome.ERROR + " "
        + Reason.REGISTRY_FORBIDDEN);
    registry.failResolve(new FetchResult.NotAllowed<>("evil.example", "not on the allowlist"));
    assertThat(outcomeAndReason(REGISTRY + "/" + REPO + ":v1")).isEqualTo(Outcome.FAIL + " "
        + Reason.REGISTRY_NOT_ALLOWED);
  }

  @Test
  void transientEnvelopeFailure_withNoOtherSignature_isError() {
    final String sig = sign(image, EnvelopeFormat.JWS, signer);
    registry.failBlob(envelopeDigest(sig), new FetchResult.Unavailable<>("timeout"));

    final ArtifactReport r = verify(ref(image));

    assertThat(r.outcome()).isEqualTo(Outcome.ERROR);
    assertThat(r.reason()).isEqualTo(Reason.REGISTRY_UNAVAILABLE);
    assertThat(r.signatures()).singleElement().satisfies(s -> assertThat(s.checks().get(0).check())
        .isEqualTo(CheckType.REGISTRY));
  }

  @Test
  void deadline_givesErrorDeadlineExceeded() {
    registry.hang(true);
    final ArtifactVerifier v = verifier(VerifyLimits.DEFAULTS.withDeadline(Duration.ofMillis(50)), SbomPolicy.NONE);

    final ArtifactReport r = v.verify(Reference.parse(REGISTRY + "/" + REPO + ":v1"), Map.of()).join();

    assertThat(r.outcome()).isEqualTo(Outcome.ERROR);
    assertThat(r.reason()).isEqualTo(Reason.DEADLINE_EXCEEDED);
  }

  @Test
  void bugInTheRegistryAdapter_isInternalError_notAnException() {
    reader = new ForwardingReader(registry) {
      @Override
      public CompletableFuture<FetchResult<Manifest>> manifest(final Reference ref) {
        throw new IllegalStateException("bug");
      }
    };

    final ArtifactReport r = verify(ref(image));

    assertThat(r.outcome()).isEqualTo(Outcome.ERROR);
    assertThat(r.reason()).isEqualTo(Reason.INTERNAL_ERROR);
  }

  // ------------------------------------------------------------------------------------------------ SBOMs

  @Test
  void sbomReferrer_isCheckedAndItsOwnSignatureVerified() {
    sign(image, EnvelopeFormat.JWS, signer);
    final Descriptor sbom = attachSbom(image);
    sign(sbom, EnvelopeFormat.COSE, signer);

    final ArtifactReport r = verify(ref(image));

    assertThat(r.outcome()).as(r.detail()).isEqualTo(Outcome.PASS);
    assertThat(r.referrers().sboms()).singleElement().satisfies(s -> {
      assertThat(s.digest()).isEqualTo(sbom.digest().toString());
      assertThat(s.format()).isEqualTo("spdx-json");
      assertThat(s.packageCount()).isEqualTo(2);
      assertThat(s.signed()).isTrue();
      assertThat(s.passed()).isTrue();
    });
    assertThat(r.referrers().signatureCount()).isEqualTo(1);
  }

  @Test
  void deniedPackage_isAWarningWithoutPolicy_andAFailureWithIt() {
    sign(image, EnvelopeFormat.JWS, signer);
    attachSbom(image);
    final SbomPolicy deny = new SbomPolicy(Set.of(), List.of(new SbomPolicy.PackageRule("zlib", null)), false);

    final ArtifactReport lenient = verify(ref(image));
    final ArtifactReport strict = verifier(VerifyLimits.DEFAULTS, deny).verify(Reference.parse(ref(image)), Map.of())
        .join();

    assertThat(lenient.outcome()).isEqualTo(Outcome.PASS);
    assertThat(strict.outcome()).isEqualTo(Outcome.FAIL);
    assertThat(strict.reason()).isEqualTo(Reason.SBOM_DENIED_PACKAGE);
    assertThat(strict.referrers().sboms().get(0).signed()).isFalse();
  }

  @Test
  void unsignedSbom_failsWhenThePolicyRequiresSignedSboms() {
    sign(image, EnvelopeFormat.JWS, signer);
    attachSbom(image);

    final ArtifactReport r = verifier(VerifyLimits.DEFAULTS, new SbomPolicy(Set.of(), List.of(), true))
        .verify(Reference.parse(ref(image)), Map.of()).join();

    assertThat(r.outcome()).isEqualTo(Outcome.FAIL);
    assertThat(r.reason()).isEqualTo(Reason.SBOM_UNSIGNED);
  }

  @Test
  void unsignedSbom_failsWhenTheClassPolicyRequiresSignedSbomsOfImages() {
    sign(image, EnvelopeFormat.JWS, signer);
    attachSbom(image);

    final ArtifactReport r = ArtifactVerifier.builder().registry(reader).notary(notary).clock(CLOCK)
        .classPolicy(ClassPolicy.of(Map.of(ArtifactClass.CONTAINER_IMAGE, new ClassPolicy.Rule(true, true))))
        .executor(Runnable::run).build().verify(Reference.parse(ref(image)), Map.of()).join();

    assertThat(r.outcome()).isEqualTo(Outcome.FAIL);
    assertThat(r.reason()).isEqualTo(Reason.SBOM_UNSIGNED);
  }

  // ------------------------------------------------------------------------------------------------ helpers

  // ------------------------------------------------------------------------------------------- index children

  @Test
  void indexChild_withoutASignatureOfItsOwn_passesOnTheVerifiedIndexThatListsIt() {
    final Descriptor other = registry.put(REPO_REF, imageManifest(), MediaTypes.OCI_MANIFEST, null);
    final Descriptor index = index(image, other);
    sign(index, EnvelopeFormat.JWS, signer);

    final ArtifactReport r = verifier().verifyChild(Reference.parse(ref(image)), Reference.parse(ref(index)),
        Map.of()).join();

    assertThat(r.outcome()).isEqualTo(Outcome.PASS);
    assertThat(r.artifact().digest()).isEqualTo(image.digest().toString());
    assertThat(r.detail()).contains("image index " + index.digest());
    assertThat(r.signatures()).isNotEmpty();
  }

  @Test
  void indexChild_isNotCoveredByAnIndexThatDoesNotListIt_norByAnUnverifiedIndex() {
    final Descriptor other = registry.put(REPO_REF, imageManifest(), MediaTypes.OCI_MANIFEST, null);
    final Descriptor signedElsewhere = index(other);
    sign(signedElsewhere, EnvelopeFormat.JWS, signer);
    final Descriptor strangers = index(image);
    sign(strangers, EnvelopeFormat.JWS, stranger);

    assertThat(verifier().verifyChild(Reference.parse(ref(image)), Reference.parse(ref(signedElsewhere)), Map.of())
        .join().reason()).isEqualTo(Reason.NO_SIGNATURE);
    assertThat(verifier().verifyChild(Reference.parse(ref(image)), Reference.parse(ref(strangers)), Map.of())
        .join().reason()).isEqualTo(Reason.NO_SIGNATURE);
  }

  @Test
  void indexChild_withABadSignatureOfItsOwn_failsOnIt_evenUnderAVerifiedIndex() {
    final Descriptor index = index(image);
    sign(index, EnvelopeFormat.JWS, signer);
    sign(image, EnvelopeFormat.JWS, stranger);

    final ArtifactReport r = verifier().verifyChild(Reference.parse(ref(image)), Reference.parse(ref(index)),
        Map.of()).join();

    assertThat(r.outcome()).isEqualTo(Outcome.FAIL);
    assertThat(r.reason()).isEqualTo(Reason.UNTRUSTED_CHAIN);
  }

  private Descriptor index(final Descriptor... platforms) {
    final StringBuilder json = new StringBuilder("{\"schemaVersion\":2,\"mediaType\":\"" + MediaTypes.OCI_INDEX
        + "\",\"manifests\":[");
    for (int i = 0; i < platforms.length; i++) {
      json.append(i == 0 ? "" : ",").append("{\"mediaType\":\"").append(MediaTypes.OCI_MANIFEST)
          .append("\",\"digest\":\"").append(platforms[i].digest()).append("\",\"size\":")
          .append(platforms[i].size()).append(",\"platform\":{\"os\":\"linux\",\"architecture\":\"arch")
          .append(i).append("\"}}");
    }
    return registry.put(REPO_REF, json.append("]}").toString().getBytes(StandardCharsets.UTF_8),
        MediaTypes.OCI_INDEX, null);
  }

  private Digest envelopeDigest(final String signatureManifest) {
    return registry.manifest(REPO_REF.withDigest(Digest.parse(signatureManifest))).join().orElseThrow().layers()
        .get(0).digest();
  }

  private String outcomeAndReason(final String ref) {
    final ArtifactReport r = verify(ref);
    return r.outcome() + " " + r.reason();
  }

  private static String ref(final Descriptor d) {
    return REGISTRY + "/" + REPO + "@" + d.digest();
  }

  private static byte[] imageManifest() {
    final String cfg = "sha256:" + Digest.sha256(UUID.randomUUID().toString().getBytes(StandardCharsets.UTF_8)).hex();
    return ("{\"schemaVersion\":2,\"mediaType\":\"" + MediaTypes.OCI_MANIFEST + "\",\"config\":{\"mediaType\":\""
        + MediaTypes.OCI_CONFIG + "\",\"digest\":\"" + cfg + "\",\"size\":100},\"layers\":[{\"mediaType\":"
        + "\"application/vnd.oci.image.layer.v1.tar+gzip\",\"digest\":\"" + cfg + "\",\"size\":10}]}")
        .getBytes(StandardCharsets.UTF_8);
  }

  private static SignedEnvelope envelope(final Descriptor subject, final EnvelopeFormat f, final Issued key) {
    try {
      return NotarySigner.create(new LocalSigningKey(key.privateKey(), key.chain()), CLOCK, null, "test")
          .sign(SignRequest.of(target(subject), f));
    } catch (final Exception e) {
      throw new IllegalStateException(e);
    }
  }

  private static TargetDescriptor target(final Descriptor d) {
    return new TargetDescriptor(d.mediaType(), d.digest().toString(), d.size());
  }

  /** Signs {@code subject} and stores the shape-A signature manifest; returns its digest. */
  private String sign(final Descriptor subject, final EnvelopeFormat f, final Issued key) {
    final SignedEnvelope env = envelope(subject, f, key);
    registry.putBlob(REPO_REF, env.envelope());
    return registry.put(REPO_REF, SignatureManifest.of(target(subject), env).json(), MediaTypes.OCI_MANIFEST, null)
        .digest().toString();
  }

  private void attach(final Descriptor subject, final String mediaType, final byte[] envelope) {
    registry.putBlob(REPO_REF, envelope);
    registry.put(REPO_REF, SignatureManifest.of(target(subject), mediaType, envelope, List.of(), NOW).json(),
        MediaTypes.OCI_MANIFEST, null);
  }

  /** Shape B: no artifactType, config media type {@code application/vnd.cncf.notary.signature}. */
  private void signShapeB(final Descriptor subject) {
    final SignedEnvelope env = envelope(subject, EnvelopeFormat.JWS, signer);
    registry.putBlob(REPO_REF, env.envelope());
    final String json = "{\"schemaVersion\":2,\"mediaType\":\"" + MediaTypes.OCI_MANIFEST + "\",\"config\":{"
        + "\"mediaType\":\"" + MediaTypes.NOTARY_SIGNATURE + "\",\"digest\":\"" + MediaTypes.EMPTY_DIGEST
        + "\",\"size\":2},\"layers\":[{\"mediaType\":\"" + env.mediaType() + "\",\"digest\":\""
        + Digest.sha256(env.envelope()) + "\",\"size\":" + env.envelope().length + "}],\"subject\":{\"mediaType\":\""
        + subject.mediaType() + "\",\"digest\":\"" + subject.digest() + "\",\"size\":" + subject.size() + "}}";
    registry.put(REPO_REF, json.getBytes(StandardCharsets.UTF_8), MediaTypes.OCI_MANIFEST, null);
  }

  private Descriptor attachSbom(final Descriptor subject) {
    final byte[] doc = ("{\"spdxVersion\":\"SPDX-2.3\",\"dataLicense\":\"CC0-1.0\",\"SPDXID\":\"SPDXRef-DOCUMENT\","
        + "\"name\":\"app\",\"documentNamespace\":\"https://example.com/" + UUID.randomUUID() + "\","
        + "\"creationInfo\":{\"created\":\"2026-01-01T00:00:00Z\",\"creators\":[\"Tool: test\"]},"
        + "\"packages\":[{\"name\":\"openssl\",\"SPDXID\":\"SPDXRef-1\",\"versionInfo\":\"3.0.13\","
        + "\"downloadLocation\":\"NOASSERTION\",\"licenseConcluded\":\"Apache-2.0\"},"
        + "{\"name\":\"zlib\",\"SPDXID\":\"SPDXRef-2\",\"versionInfo\":\"1.3\",\"downloadLocation\":\"NOASSERTION\","
        + "\"licenseConcluded\":\"Zlib\"}]}").getBytes(StandardCharsets.UTF_8);
    registry.putBlob(REPO_REF, doc);
    final String json = "{\"schemaVersion\":2,\"mediaType\":\"" + MediaTypes.OCI_MANIFEST + "\",\"artifactType\":"
        + "\"application/spdx+json\",\"config\":{\"mediaType\":\"" + MediaTypes.OCI_EMPTY + "\",\"digest\":\""
        + MediaTypes.EMPTY_DIGEST + "\",\"size\":2},\"layers\":[{\"mediaType\":\"application/spdx+json\","
        + "\"digest\":\"" + Digest.sha256(doc) + "\",\"size\":" + doc.length + "}],\"subject\":{\"mediaType\":\""
        + subject.mediaType() + "\",\"digest\":\"" + subject.digest() + "\",\"size\":" + subject.size() + "}}";
    return registry.put(REPO_REF, json.getBytes(StandardCharsets.UTF_8), MediaTypes.OCI_MANIFEST, null);
  }
}
