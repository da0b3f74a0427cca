package dev.sigstream.app.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sigstream.oci.Deadline;
import dev.sigstream.oci.Descriptor;
import dev.sigstream.oci.FetchResult;
import dev.sigstream.oci.ForwardingReader;
import dev.sigstream.oci.Manifest;
import dev.sigstream.oci.Reference;
import dev.sigstream.oci.RegistryReader;
import dev.sigstream.oci.memory.InMemoryRegistry;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class PrefetchingRegistryTest {

  private static final String IMAGE = "application/vnd.oci.image.manifest.v1+json";
  private static final byte[] MANIFEST = ("{\"schemaVersion\":2,\"mediaType\":\"" + IMAGE + "\","
      + "\"config\":{\"mediaType\":"
      + "\"application/vnd.oci.image.config.v1+json\",\"digest\":\"sha256:" + "a".repeat(64) + "\",\"size\":2},"
      + "\"layers\":[]}").getBytes(StandardCharsets.UTF_8);

  private final InMemoryRegistry registry = new InMemoryRegistry();
  private final Reference repo = Reference.parse("registry.example/team/app:v1");

  private Reference byDigest() {
    final Descriptor d = registry.put(repo, MANIFEST, IMAGE, "v1");
    return repo.withDigest(d.digest());
  }

  @Test
  void sendsManifestAndReferrersAtOnceAndHandsEachOutOnce() {
    final Reference ref = byDigest();
    final RegistryReader r = PrefetchingRegistry.start(registry, ref, null);
    assertThat(registry.manifestCalls()).isEqualTo(1);
    assertThat(registry.referrerCalls()).isEqualTo(1);

    // The verifier narrows the deadline first, as ArtifactDiscovery does; the prefetched requests are still its.
    final RegistryReader narrowed = r.within(Deadline.after(Duration.ofSeconds(10)));
    assertThat(narrowed.referrers(ref, null).join()).isInstanceOf(FetchResult.Found.class);
    final FetchResult<Manifest> m = narrowed.manifest(ref).join();
    assertThat(m).isInstanceOfSatisfying(FetchResult.Found.class,
        f -> assertThat(((Manifest) f.value()).descriptor().digest()).isEqualTo(ref.digest()));
    assertThat(registry.manifestCalls()).isEqualTo(1);
    assertThat(registry.referrerCalls()).isEqualTo(1);
    assertThat(((PrefetchingRegistry) r).unclaimed()).isEmpty();

    // Once handed out, the same request goes to the registry again: nothing is cached beyond the hand-over.
    narrowed.manifest(ref).join();
    narrowed.referrers(ref, null).join();
    assertThat(registry.manifestCalls()).isEqualTo(2);
    assertThat(registry.referrerCalls()).isEqualTo(2);
  }

  @Test
  void aPrefetchedFailureIsTheFailureTheVerifierSees() {
    final Reference ref = byDigest();
    final FetchResult<Manifest> denied = new FetchResult.Unauthorized<>("no token");
    registry.failManifest(ref.digest(), denied);
    final RegistryReader r = PrefetchingRegistry.start(registry, ref, null);
    registry.clearFailures(); // later requests would succeed; the prefetched one did not
    assertThat(r.manifest(ref).join()).isEqualTo(denied);
    assertThat(r.manifest(ref).join()).isInstanceOf(FetchResult.Found.class);
  }

  @Test
  void onlyTheIdenticalRequestIsServedFromThePrefetch() {
    final Reference ref = byDigest();
    final RegistryReader r = PrefetchingRegistry.start(registry, ref, null);
    r.referrers(ref, "application/vnd.cncf.notary.signature").join();
    r.manifest(repo.withDigest(dev.sigstream.oci.Digest.sha256(new byte[] {1}))).join();
    assertThat(registry.referrerCalls()).isEqualTo(2);
    assertThat(registry.manifestCalls()).isEqualTo(2);
    assertThat(((PrefetchingRegistry) r).unclaimed()).hasSize(2);
  }

  @Test
  void aTagIsResolvedEarlyAndOnlyOnce() {
    byDigest();
    final AtomicInteger resolves = new AtomicInteger();
    final RegistryReader counting = new ForwardingReader(registry) {
      @Override
      public java.util.concurrent.CompletableFuture<FetchResult<Descriptor>> resolve(final Reference ref) {
        resolves.incrementAndGet();
        return super.resolve(ref);
      }
    };
    final RegistryReader r = PrefetchingRegistry.start(counting, repo, null);
    assertThat(resolves).hasValue(1);
    assertThat(registry.manifestCalls()).isZero();
    assertThat(r.resolve(repo).join()).isInstanceOf(FetchResult.Found.class);
    assertThat(resolves).hasValue(1);
  }
}
