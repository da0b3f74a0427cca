package dev.sigstream.verifier.core;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sigstream.oci.Deadline;
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
import dev.sigstream.oci.classify.ArtifactClassifier;
import dev.sigstream.oci.memory.InMemoryRegistry;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The one referrer walk against the shared in-memory registry: caps, subject and size checks, deadline, tree. */
class ArtifactDiscoveryTest {

  private static final Reference REPO = Reference.repository("registry.test", "team/app");
  private static final Deadline LONG = Deadline.after(Duration.ofMinutes(1));

  private InMemoryRegistry registry;
  private Descriptor image;

  @BeforeEach
  void setUp() {
    registry = new InMemoryRegistry();
    image = registry.put(REPO, imageManifest(), MediaTypes.OCI_MANIFEST, "v1");
  }

  private ArtifactDiscovery discovery(final VerifyLimits limits) {
    return new ArtifactDiscovery(new ArtifactClassifier(), limits);
  }

  private Discovery.Complete discover(final RegistryReader reader, final VerifyLimits limits) {
    final Discovery d = discovery(limits).discover(reader, LONG, REPO.withDigest(image.digest()), DiscoveryPlan.VERIFY)
        .join();
    assertThat(d).isInstanceOf(Discovery.Complete.class);
    return (Discovery.Complete) d;
  }

  @Test
  void resolvesATagOnce_andKeepsIt() {
    final FetchResult<Reference> r = discovery(VerifyLimits.DEFAULTS).resolve(registry, LONG, REPO.withTag("v1"))
        .join();

    assertThat(r.orElseThrow().digest()).isEqualTo(image.digest());
    assertThat(r.orElseThrow().tag()).isEqualTo("v1");
  }

  @Test
  void fetchesSignaturesUpToTheCap_andCountsTheRest() {
    for (int i = 0; i < 5; i++) {
      signature(image, ("envelope " + i).getBytes(StandardCharsets.UTF_8));
    }

    final Discovery.Complete d = discover(registry, VerifyLimits.DEFAULTS.withMaxSignatures(2));

    assertThat(d.signatures()).hasSize(2).allSatisfy(s -> assertThat(s.candidate()).isPresent());
    assertThat(d.signaturesBeyondCap()).isEqualTo(3);
    assertThat(d.referrers()).hasSize(5).allSatisfy(l -> assertThat(l.notarySignature()).isTrue());
    // The artifact's manifest plus the two signature manifests; nothing for the three beyond the cap.
    assertThat(registry.manifestCalls()).isEqualTo(3);
    assertThat(registry.blobCalls()).isEqualTo(2);
  }

  @Test
  void envelopeOverTheCap_isNotDownloaded() {
    signature(image, "x".repeat(100).getBytes(StandardCharsets.UTF_8));

    final Discovery.Complete d = discover(registry, new VerifyLimits(10, 50, 10, 1 << 20, Duration.ofMinutes(1)));

    assertThat(d.signatures()).singleElement().satisfies(s ->
        assertThat(s.problem().orElseThrow().reason()).isEqualTo(Reason.ENVELOPE_TOO_LARGE));
    assertThat(registry.blobCalls()).isZero();
  }

  @Test
  void referrerListedWithAnotherSize_isNotTrusted() {
    final Descriptor sig = signature(image, "envelope".getBytes(StandardCharsets.UTF_8));
    final RegistryReader lying = listing(new Descriptor(sig.mediaType(), sig.digest(), sig.size() + 1,
        MediaTypes.NOTARY_SIGNATURE, Map.of(), null));

    final Discovery.Complete d = discover(lying, VerifyLimits.DEFAULTS);

    assertThat(d.signatures()).singleElement().satisfies(s -> {
      assertThat(s.problem().orElseThrow().reason()).isEqualTo(Reason.CONTENT_MALFORMED);
      assertThat(s.problem().orElseThrow().detail()).contains("is listed with " + (sig.size() + 1) + " bytes");
    });
    assertThat(registry.blobCalls()).isZero();
  }

  @Test
  void sbomNamingAnotherSubject_isNotTrusted() {
    final Descriptor other = registry.put(REPO, imageManifest(), MediaTypes.OCI_MANIFEST, null);
    final Descriptor sbom = sbom(other);
    final RegistryReader lying = listing(new Descriptor(sbom.mediaType(), sbom.digest(), sbom.size(),
        "application/spdx+json", Map.of(), null));

    final Discovery.Complete d = discover(lying, VerifyLimits.DEFAULTS);

    assertThat(d.sboms()).singleElement().satisfies(s -> {
      assertThat(s.problem().orElseThrow().reason()).isEqualTo(Reason.CONTENT_MALFORMED);
      assertThat(s.problem().orElseThrow().detail()).contains("names subject " + other.digest());
      assertThat(s.documentBytes()).isEmpty();
    });
  }

  @Test
  void sbomAndItsOwnSignature_areFetched() {
    final Descriptor sbom = sbom(image);
    signature(sbom, "sbom envelope".getBytes(StandardCharsets.UTF_8));

    final Discovery.Complete d = discover(registry, VerifyLimits.DEFAULTS);

    assertThat(d.sboms()).singleElement().satisfies(s -> {
      assertThat(s.documentBytes()).isPresent();
      assertThat(s.signatures()).singleElement().satisfies(sig -> assertThat(sig.candidate()).isPresent());
    });
  }

  @Test
  void failedListing_keepsTheManifestAndClassification_withARetryableProblem() {
    registry.failReferrers(image.digest(), new FetchResult.RateLimited<>(java.util.Optional.of(Duration.ofSeconds(7)),
        "429"));

    final Discovery d = discovery(VerifyLimits.DEFAULTS).discover(registry, LONG, REPO.withDigest(image.digest()),
        DiscoveryPlan.VERIFY).join();

    assertThat(d).isInstanceOfSatisfying(Discovery.Failed.class, f -> {
      assertThat(f.manifest()).isPresent();
      assertThat(f.classification().orElseThrow().artifactClass()).isEqualTo(ArtifactClass.CONTAINER_IMAGE);
      assertThat(f.problem().reason()).isEqualTo(Reason.REGISTRY_RATE_LIMITED);
      assertThat(f.problem().reason().retryable()).isTrue();
      assertThat(f.problem().retryAfter()).contains(Duration.ofSeconds(7));
    });
  }

  @Test
  void deadline_endsTheWalk_andCancelsWhatIsStillRunning() {
    final List<CompletableFuture<?>> pending = new CopyOnWriteArrayList<>();
    final RegistryReader silent = new ForwardingReader(registry) {
      @Override
      public CompletableFuture<FetchResult<Manifest>> manifest(final Reference ref) {
        final CompletableFuture<FetchResult<Manifest>> never = new CompletableFuture<>();
        pending.add(never);
        return never;
      }
    };
    final Deadline deadline = Deadline.after(Duration.ofMillis(200));

    final Discovery d = discovery(VerifyLimits.DEFAULTS).discover(silent, deadline, REPO.withDigest(image.digest()),
        DiscoveryPlan.VERIFY).join();

    assertThat(d).isInstanceOfSatisfying(Discovery.Failed.class, f ->
        assertThat(f.problem().reason()).isEqualTo(Reason.DEADLINE_EXCEEDED));
    assertThat(deadline.passed()).isTrue();
    assertThat(pending).singleElement().satisfies(f -> assertThat(f.isCancelled()).isTrue());
  }

  @Test
  void nothingIsSentOnceTheDeadlinePassed() throws InterruptedException {
    final Deadline deadline = Deadline.after(Duration.ofMillis(1));
    Thread.sleep(5);

    final Discovery d = discovery(VerifyLimits.DEFAULTS).discover(registry, deadline, REPO.withDigest(image.digest()),
        DiscoveryPlan.VERIFY).join();

    assertThat(d).isInstanceOfSatisfying(Discovery.Failed.class, f ->
        assertThat(f.problem().reason()).isEqualTo(Reason.DEADLINE_EXCEEDED));
    assertThat(registry.manifestCalls()).isZero();
  }

  @Test
  void tree_followsReferrersOfReferrers_toTheDepth() {
    final Descriptor sbom = sbom(image);
    final Descriptor sbomSig = signature(sbom, "e".getBytes(StandardCharsets.UTF_8));
    signature(sbomSig, "countersignature".getBytes(StandardCharsets.UTF_8));

    final ReferrerTree deep = discovery(VerifyLimits.DEFAULTS).tree(registry, LONG, REPO.withDigest(image.digest()),
        4, null).join().orElseThrow();
    final ReferrerTree shallow = discovery(VerifyLimits.DEFAULTS).tree(registry, LONG,
        REPO.withDigest(image.digest()), 2, null).join().orElseThrow();

    final ReferrerTree.Node sbomNode = deep.referrers().get(0);
    assertThat(sbomNode.descriptor().digest()).isEqualTo(sbom.digest());
    final ReferrerTree.Node sigNode = sbomNode.children().orElseThrow().referrers().get(0);
    assertThat(sigNode.classification().kind()).isEqualTo("notation-signature");
    assertThat(sigNode.children().orElseThrow().referrers()).hasSize(1);
    assertThat(deep.truncated()).isFalse();
    assertThat(shallow.truncated()).isTrue();
    assertThat(shallow.referrers().get(0).children().orElseThrow().referrers().get(0).children()).isEmpty();
  }

  @Test
  void tree_isBoundedInNodes() {
    final List<Descriptor> many = new ArrayList<>();
    for (int i = 0; i < ArtifactDiscovery.MAX_TREE_NODES + 5; i++) {
      many.add(new Descriptor(MediaTypes.OCI_MANIFEST, Digest.sha256(("r" + i).getBytes(StandardCharsets.UTF_8)),
          10, "application/example", Map.of(), null));
    }
    final RegistryReader flood = new ForwardingReader(registry) {
      @Override
      public CompletableFuture<FetchResult<Referrers>> referrers(final Reference subject, final String type) {
        return CompletableFuture.completedFuture(FetchResult.found(new Referrers(subject.digest(),
            subject.digest().equals(image.digest()) ? many : List.of(), Referrers.Source.REFERRERS_API, false)));
      }
    };

    final ReferrerTree t = discovery(VerifyLimits.DEFAULTS).tree(flood, LONG, REPO.withDigest(image.digest()), 1,
        null).join().orElseThrow();

    assertThat(t.referrers()).hasSize(ArtifactDiscovery.MAX_TREE_NODES);
    assertThat(t.truncated()).isTrue();
  }

  // ------------------------------------------------------------------------------------------------ fixtures

  /** The registry, but the image's referrers list is exactly {@code listed}. */
  private RegistryReader listing(final Descriptor... listed) {
    return new ForwardingReader(registry) {
      @Override
      public CompletableFuture<FetchResult<Referrers>> referrers(final Reference subject, final String type) {
        return CompletableFuture.completedFuture(FetchResult.found(new Referrers(subject.digest(), List.of(listed),
            Referrers.Source.TAG_SCHEMA, false)));
      }
    };
  }

  private static byte[] imageManifest() {
    final String cfg = Digest.sha256(UUID.randomUUID().toString().getBytes(StandardCharsets.UTF_8)).toString();
    return ("{\"schemaVersion\":2,\"mediaType\":\"" + MediaTypes.OCI_MANIFEST + "\",\"config\":{\"mediaType\":\""
        + MediaTypes.OCI_CONFIG + "\",\"digest\":\"" + cfg + "\",\"size\":100},\"layers\":[]}")
        .getBytes(StandardCharsets.UTF_8);
  }

  /** A shape-A Notary signature manifest over {@code subject} with {@code envelope} as its layer. */
  private Descriptor signature(final Descriptor subject, final byte[] envelope) {
    final Digest env = registry.putBlob(REPO, envelope);
    return referrer(subject, MediaTypes.NOTARY_SIGNATURE, "application/jose+json", env, envelope.length);
  }

  private Descriptor sbom(final Descriptor subject) {
    final byte[] doc = "{\"spdxVersion\":\"SPDX-2.3\"}".getBytes(StandardCharsets.UTF_8);
    final Digest d = registry.putBlob(REPO, doc);
    return referrer(subject, "application/spdx+json", "application/spdx+json", d, doc.length);
  }

  private Descriptor referrer(final Descriptor subject, final String artifactType, final String layerType,
      final Digest layer, final long size) {
    final String json = "{\"schemaVersion\":2,\"mediaType\":\"" + MediaTypes.OCI_MANIFEST + "\",\"artifactType\":\""
        + artifactType + "\",\"config\":{\"mediaType\":\"" + MediaTypes.OCI_EMPTY + "\",\"digest\":\""
        + MediaTypes.EMPTY_DIGEST + "\",\"size\":2},\"layers\":[{\"mediaType\":\"" + layerType + "\",\"digest\":\""
        + layer + "\",\"size\":" + size + "}],\"subject\":{\"mediaType\":\"" + subject.mediaType() + "\",\"digest\":\""
        + subject.digest() + "\",\"size\":" + subject.size() + "},\"annotations\":{\"n\":\"" + UUID.randomUUID()
        + "\"}}";
    return registry.put(REPO, json.getBytes(StandardCharsets.UTF_8), MediaTypes.OCI_MANIFEST, null);
  }
}
