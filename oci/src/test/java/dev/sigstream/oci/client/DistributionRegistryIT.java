package dev.sigstream.oci.client;

import static dev.sigstream.oci.client.TestArtifacts.NOTARY;
import static dev.sigstream.oci.client.TestArtifacts.SPDX;
import static dev.sigstream.oci.client.TestArtifacts.ok;
import static org.assertj.core.api.Assertions.assertThat;

import dev.sigstream.oci.Descriptor;
import dev.sigstream.oci.Digest;
import dev.sigstream.oci.FetchResult;
import dev.sigstream.oci.Manifest;
import dev.sigstream.oci.Reference;
import dev.sigstream.oci.Referrers;
import dev.sigstream.oci.auth.Credentials;
import dev.sigstream.oci.auth.Secret;
import dev.sigstream.oci.classify.ArtifactClass;
import dev.sigstream.oci.classify.ArtifactClassifier;
import dev.sigstream.oci.sbom.SbomChecker;
import dev.sigstream.oci.sbom.SbomPolicy;
import dev.sigstream.oci.sbom.SbomReport;
import dev.sigstream.testing.registry.RegistryAuth;
import dev.sigstream.testing.registry.RegistryExtension;
import dev.sigstream.testing.registry.TestRegistry;
import dev.sigstream.testing.registry.WithRegistryAuth;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/** The client against a real registry: Debian docker-registry (tag-schema fallback), or registry:3 with Docker. */
@Tag("integration")
@Timeout(120)
@ExtendWith(RegistryExtension.class)
class DistributionRegistryIT {

  private static OciRegistryHttpClient client(final TestRegistry r, final Credentials creds,
      final Set<String> redirectHosts) {
    return OciRegistryHttpClient.create(RegistryConfig.of(RegistryEntry.insecure(r.host(), creds)
        .withRedirectHosts(redirectHosts)), Clock.systemUTC());
  }

  private static OciRegistryHttpClient client(final TestRegistry r) {
    final Credentials creds = r.username() == null ? Credentials.ANONYMOUS
        : new Credentials.Basic(r.username(), Secret.of(r.password()));
    return client(r, creds, r.tokenRealmHost() == null ? Set.of() : Set.of(r.tokenRealmHost()));
  }

  @Test
  void referrersFallback_endToEnd_pushSignatureAndSbom_thenDiscover(final TestRegistry registry,
      final TestInfo t) throws Exception {
    // Given: an image with a Notation signature and an SPDX SBOM attached through the write client
    final OciRegistryHttpClient c = client(registry);
    final Reference repo = Reference.repository(registry.host(), RegistryExtension.uniqueRepository(t));
    final Descriptor image = TestArtifacts.pushImage(c, repo, "v1", "fallback");
    final byte[] envelope = "{\"payload\":\"e30\",\"protected\":\"e30\",\"header\":{},\"signature\":\"AA\"}"
        .getBytes(StandardCharsets.UTF_8);
    final Descriptor sig = TestArtifacts.pushReferrer(c, repo, image, NOTARY, "application/jose+json", envelope);
    final Descriptor sbom = TestArtifacts.pushReferrer(c, repo, image, SPDX, SPDX,
        TestArtifacts.SBOM_DOC.getBytes(StandardCharsets.UTF_8));
    // Pushing the same referrer again must not duplicate the fallback entry.
    TestArtifacts.pushReferrer(c, repo, image, NOTARY, "application/jose+json", envelope);

    // When
    final Referrers all = ok(c.referrers(repo.withDigest(image.digest()), null));
    final Referrers sigs = ok(c.referrers(repo.withDigest(image.digest()), NOTARY));
    final Manifest sigManifest = ok(c.manifest(repo.withDigest(sig.digest())));
    final Manifest sbomManifest = ok(c.manifest(repo.withDigest(sbom.digest())));

    // Then
    assertThat(all.source()).isEqualTo(registry.referrersApi() ? Referrers.Source.REFERRERS_API
        : Referrers.Source.TAG_SCHEMA);
    assertThat(all.referrers()).extracting(Descriptor::digest).containsExactlyInAnyOrder(sig.digest(), sbom.digest());
    assertThat(all.referrers()).extracting(Descriptor::artifactType).containsExactlyInAnyOrder(NOTARY, SPDX);
    assertThat(sigs.referrers()).extracting(Descriptor::digest).containsExactly(sig.digest());

    assertThat(new ArtifactClassifier().classify(ok(c.manifest(repo.withTag("v1")))).artifactClass())
        .isEqualTo(ArtifactClass.CONTAINER_IMAGE);
    assertThat(new ArtifactClassifier().classify(sigManifest).kind()).isEqualTo("notation-signature");
    assertThat(sigManifest.subject().orElseThrow().digest()).isEqualTo(image.digest());
    assertThat(ok(c.blob(repo, sigManifest.layers().get(0)))).isEqualTo(envelope);
    final Descriptor sbomLayer = sbomManifest.layers().get(0);
    final SbomReport report = new SbomChecker(new SbomPolicy(Set.of("GPL-2.0-only"), List.of(), false))
        .check(ok(c.blob(repo, sbomLayer)), sbomLayer.mediaType());
    assertThat(report.valid()).isTrue();
    assertThat(report.licenseViolations()).hasSize(1);
  }

  @Test
  void concurrentReferrerPushes_allLandInTheFallbackIndex(final TestRegistry registry, final TestInfo t)
      throws Exception {
    final OciRegistryHttpClient c = client(registry);
    final Reference repo = Reference.repository(registry.host(), RegistryExtension.uniqueRepository(t));
    final Descriptor image = TestArtifacts.pushImage(c, repo, "v1", "concurrent");
    ok(c.pushBlob(repo, "application/vnd.oci.empty.v1+json", "{}".getBytes(StandardCharsets.UTF_8)));
    final List<CompletableFuture<FetchResult<Descriptor>>> pushes = new ArrayList<>();
    final List<Digest> expected = new ArrayList<>();
    for (int i = 0; i < 6; i++) {
      final Descriptor layer = ok(c.pushBlob(repo, "application/jose+json", ("sig-" + i).getBytes(
          StandardCharsets.UTF_8)));
      final byte[] m = TestArtifacts.referrerManifest(image, NOTARY, layer);
      expected.add(Digest.sha256(m));
      pushes.add(c.pushReferrer(repo, TestArtifacts.MANIFEST, m));
    }
    for (CompletableFuture<FetchResult<Descriptor>> p : pushes) {
      assertThat(p.get(60, TimeUnit.SECONDS).isFound()).isTrue();
    }
    assertThat(ok(c.referrers(repo.withDigest(image.digest()), NOTARY)).referrers()).extracting(Descriptor::digest)
        .containsExactlyInAnyOrderElementsOf(expected);
  }

  @Test
  void chunkedAndMonolithicBlobUploads_roundTrip(final TestRegistry registry, final TestInfo t) throws Exception {
    final OciRegistryHttpClient c = client(registry);
    final Reference repo = Reference.repository(registry.host(), RegistryExtension.uniqueRepository(t));
    final byte[] data = new byte[200_000];
    new java.util.Random(42).nextBytes(data);
    final Descriptor chunked = ok(c.pushBlobChunked(repo, "application/octet-stream", data, 65_536));
    assertThat(ok(c.blob(repo, chunked))).isEqualTo(data);
    // Already present: the monolithic push is a HEAD hit.
    assertThat(ok(c.pushBlob(repo, "application/octet-stream", data)).digest()).isEqualTo(chunked.digest());
  }

  @Test
  void resolveTagAndPushByDigest(final TestRegistry registry, final TestInfo t) throws Exception {
    final OciRegistryHttpClient c = client(registry);
    final Reference repo = Reference.repository(registry.host(), RegistryExtension.uniqueRepository(t));
    final Descriptor image = TestArtifacts.pushImage(c, repo, "v1", "resolve");
    assertThat(ok(c.resolve(repo.withTag("v1"))).digest()).isEqualTo(image.digest());
    final Manifest m = ok(c.manifest(repo.withDigest(image.digest())));
    assertThat(ok(c.pushManifest(repo.withDigest(image.digest()), m.mediaType(), m.bytes())).digest())
        .isEqualTo(image.digest());
    assertThat(c.pushManifest(repo.withDigest(Digest.sha256(new byte[1])), m.mediaType(), m.bytes())
        .get(10, TimeUnit.SECONDS)).isInstanceOf(FetchResult.Invalid.class);
  }

  @Test
  void missingTag_isManifestUnknown_andNoFallbackIndexMeansNoReferrers(final TestRegistry registry,
      final TestInfo t) throws Exception {
    // Distribution answers MANIFEST_UNKNOWN (not NAME_UNKNOWN) for tags of missing repositories, so on the
    // fallback path NAME_UNKNOWN is only seen from registries that send it; the stub-server test covers that case.
    final OciRegistryHttpClient c = client(registry);
    final Reference repo = Reference.repository(registry.host(), RegistryExtension.uniqueRepository(t));
    final Descriptor image = TestArtifacts.pushImage(c, repo, "v1", "nf");
    assertThat(c.manifest(repo.withTag("v2")).get(10, TimeUnit.SECONDS))
        .isInstanceOfSatisfying(FetchResult.NotFound.class, nf -> assertThat(nf.code()).isEqualTo("MANIFEST_UNKNOWN"));
    final Referrers none = ok(c.referrers(repo.withDigest(image.digest()), null));
    assertThat(none.referrers()).isEmpty();
    assertThat(none.truncated()).isFalse();
  }

  @Test
  void basicAuth_pushAndPull_andWrongPasswordIsUnauthorized(
      @WithRegistryAuth(RegistryAuth.BASIC) final TestRegistry registry, final TestInfo t) throws Exception {
    final Reference repo = Reference.repository(registry.host(), RegistryExtension.uniqueRepository(t));
    final OciRegistryHttpClient c = client(registry);
    final Descriptor image = TestArtifacts.pushImage(c, repo, "v1", "basic");
    assertThat(ok(c.manifest(repo.withTag("v1"))).descriptor().digest()).isEqualTo(image.digest());
    final FetchResult<Manifest> wrong = client(registry, new Credentials.Basic(registry.username(),
        Secret.of("wrong-password")), Set.of()).manifest(repo.withTag("v1")).get(10, TimeUnit.SECONDS);
    assertThat(wrong).isInstanceOf(FetchResult.Unauthorized.class);
    assertThat(wrong.describe()).doesNotContain("wrong-password");
    assertThat(client(registry, Credentials.ANONYMOUS, Set.of()).manifest(repo.withTag("v1"))
        .get(10, TimeUnit.SECONDS)).isInstanceOf(FetchResult.Unauthorized.class);
  }

  @Test
  void bearerAuth_tokensCachedPerScope_realmMustBeAllowed(
      @WithRegistryAuth(RegistryAuth.BEARER) final TestRegistry registry, final TestInfo t) throws Exception {
    final Reference repo = Reference.repository(registry.host(), RegistryExtension.uniqueRepository(t));
    final OciRegistryHttpClient c = client(registry);
    final int before = registry.tokenRequests();
    final Descriptor image = TestArtifacts.pushImage(c, repo, "v1", "bearer");
    for (int i = 0; i < 5; i++) {
      assertThat(ok(c.manifest(repo.withDigest(image.digest()))).descriptor().digest()).isEqualTo(image.digest());
    }
    // pull,push for the uploads and pull for the reads: one token each, reused.
    assertThat(registry.tokenRequests() - before).isBetween(1, 2);
    final FetchResult<Manifest> wrong = client(registry, new Credentials.Basic(registry.username(),
        Secret.of("wrong-password")), Set.of(registry.tokenRealmHost())).manifest(repo.withTag("v1"))
        .get(10, TimeUnit.SECONDS);
    assertThat(wrong).isInstanceOf(FetchResult.Unauthorized.class);
    final FetchResult<Manifest> realmNotAllowed = client(registry, new Credentials.Basic(registry.username(),
        Secret.of(registry.password())), Set.of()).manifest(repo.withTag("v1")).get(10, TimeUnit.SECONDS);
    assertThat(realmNotAllowed).isInstanceOf(FetchResult.NotAllowed.class);
  }
}
