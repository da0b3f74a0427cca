package dev.sigstream.verifier.topology;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sigstream.oci.CachingReader;
import dev.sigstream.oci.Deadline;
import dev.sigstream.oci.Descriptor;
import dev.sigstream.oci.FetchResult;
import dev.sigstream.oci.Manifest;
import dev.sigstream.oci.Referrers;
import dev.sigstream.oci.RegistryReader;
import dev.sigstream.oci.Digest;
import dev.sigstream.oci.MediaTypes;
import dev.sigstream.oci.Reference;
import dev.sigstream.oci.memory.InMemoryRegistry;
import dev.sigstream.testing.pki.KeyType;
import dev.sigstream.testing.pki.TestPki;
import dev.sigstream.verifier.core.ArtifactVerifier;
import dev.sigstream.verifier.core.SignedFixtures;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** What the stream's check makes of pushes that are not artifacts: referrers and the tag schema's referrers index. */
class VerifierCheckTest {

  private static final Reference REPO = Reference.repository("registry.test", "team/app");

  private final InMemoryRegistry registry = new InMemoryRegistry();
  private TestPki pki;
  private VerifierCheck check;

  @BeforeEach
  void setUp() {
    pki = TestPki.offline(Clock.systemUTC());
    final ArtifactVerifier verifier = ArtifactVerifier.builder().registry(registry)
        .notary(SignedFixtures.notary("registry.test/team/app", pki.root("CN=Root", KeyType.EC_P256).certificate(),
            Clock.systemUTC()))
        .clock(Clock.systemUTC()).executor(Runnable::run).build();
    check = new VerifierCheck(verifier, registry);
  }

  @AfterEach
  void tearDown() {
    pki.close();
  }

  @Test
  void referrersIndexUnderTheTagSchema_isBookkeeping_andChecksItsSubjectAgain() {
    final Digest subject = Digest.sha256("image".getBytes(StandardCharsets.UTF_8));
    final Descriptor index = registry.put(REPO, "{\"schemaVersion\":2,\"mediaType\":\"application/vnd.oci.image.index.v1+json\",\"manifests\":[]}".getBytes(StandardCharsets.UTF_8), MediaTypes.OCI_INDEX,
        subject.referrersTag());

    final ArtifactCheck.Outcome o = check.check(REPO.withTag(subject.referrersTag()).withDigest(index.digest())).join();

    assertThat(o).isEqualTo(new ArtifactCheck.ReferrerOf(REPO.withDigest(subject)));
  }

  @Test
  void anImage_isProbedAndVerifiedTogether_inOneRoundTrip_withOneManifestRead() {
    final CompletableFuture<Void> registryAnswers = new CompletableFuture<>();
    final CachingReader cached = new CachingReader(answeringWhen(registryAnswers),
        new CachingReader.Cache(1 << 20, 64 << 10));
    final VerifierCheck together = new VerifierCheck(ArtifactVerifier.builder().registry(cached)
        .notary(SignedFixtures.notary("registry.test/team/app", pki.root("CN=Root", KeyType.EC_P256).certificate(),
            Clock.systemUTC()))
        .clock(Clock.systemUTC()).executor(Runnable::run).build(), cached);
    final Digest config = Digest.sha256("config".getBytes(StandardCharsets.UTF_8));
    final Descriptor image = registry.put(REPO, ("{\"schemaVersion\":2,\"mediaType\":\"" + MediaTypes.OCI_MANIFEST
        + "\",\"config\":{\"mediaType\":\"" + MediaTypes.OCI_CONFIG + "\",\"digest\":\"" + config + "\",\"size\":2},"
        + "\"layers\":[]}").getBytes(StandardCharsets.UTF_8), MediaTypes.OCI_MANIFEST, "v1");

    final CompletableFuture<ArtifactCheck.Outcome> o = together.check(REPO.withDigest(image.digest()));

    assertThat(registry.referrerCalls()).as("the listing went out before the probe was answered").isEqualTo(1);
    assertThat(registry.manifestCalls()).as("the probe and the verification share one read").isEqualTo(1);
    registryAnswers.complete(null);
    assertThat(o.join()).isInstanceOfSatisfying(ArtifactCheck.Decided.class, d ->
        assertThat(d.report().passed()).as("unsigned").isFalse());
    assertThat(registry.manifestCalls()).isEqualTo(1);
  }

  /** The in-memory registry, with every answer held back until {@code gate} completes (a registry far away). */
  private RegistryReader answeringWhen(final CompletableFuture<Void> gate) {
    return new RegistryReader() {
      @Override
      public CompletableFuture<FetchResult<Descriptor>> resolve(final Reference ref) {
        return gate.thenCompose(x -> registry.resolve(ref));
      }

      @Override
      public CompletableFuture<FetchResult<Manifest>> manifest(final Reference ref) {
        final var answer = registry.manifest(ref);
        return gate.thenCompose(x -> answer);
      }

      @Override
      public CompletableFuture<FetchResult<byte[]>> blob(final Reference repository, final Descriptor d) {
        final var answer = registry.blob(repository, d);
        return gate.thenCompose(x -> answer);
      }

      @Override
      public CompletableFuture<FetchResult<Referrers>> referrers(final Reference subject, final String type) {
        final var answer = registry.referrers(subject, type);
        return gate.thenCompose(x -> answer);
      }

      @Override
      public RegistryReader within(final Deadline deadline) {
        return this;
      }
    };
  }

  @Test
  void anImagePushedUnderAReferrersLikeTag_isVerifiedAsAnyImage() {
    final Digest subject = Digest.sha256("image".getBytes(StandardCharsets.UTF_8));
    final Descriptor image = registry.put(REPO, ("{\"schemaVersion\":2,\"mediaType\":\"" + MediaTypes.OCI_MANIFEST
        + "\",\"config\":{\"mediaType\":\"" + MediaTypes.OCI_CONFIG + "\",\"digest\":\"" + subject + "\",\"size\":2},"
        + "\"layers\":[]}").getBytes(StandardCharsets.UTF_8), MediaTypes.OCI_MANIFEST, subject.referrersTag());

    final ArtifactCheck.Outcome o = check.check(REPO.withTag(subject.referrersTag()).withDigest(image.digest())).join();

    assertThat(o).isInstanceOf(ArtifactCheck.Decided.class);
  }
}
