package dev.sigstream.oci;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sigstream.oci.memory.InMemoryRegistry;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The caching and throttling decorators the stream puts around its registry client. */
class ReaderDecoratorsTest {

  private static final Reference REPO = Reference.repository("registry.test", "team/app");
  private static final Reference OTHER = Reference.repository("other.test", "team/app");

  @Test
  void cache_servesManifestsByDigestOnce_butNeverTagsOrReferrers() {
    final InMemoryRegistry registry = new InMemoryRegistry();
    final Descriptor d = registry.put(REPO, manifest("a"), MediaTypes.OCI_MANIFEST, "v1");
    final CachingReader.Cache cache = new CachingReader.Cache(1 << 20, 64 << 10);
    final RegistryReader r = new CachingReader(registry, cache).within(Deadline.after(Duration.ofMinutes(1)));

    r.manifest(REPO.withDigest(d.digest())).join().orElseThrow();
    r.manifest(REPO.withDigest(d.digest())).join().orElseThrow();
    r.manifest(REPO.withTag("v1")).join().orElseThrow();
    r.referrers(REPO.withDigest(d.digest()), null).join().orElseThrow();
    r.referrers(REPO.withDigest(d.digest()), null).join().orElseThrow();

    assertThat(registry.manifestCalls()).isEqualTo(2);
    assertThat(registry.referrerCalls()).isEqualTo(2);
    assertThat(cache.hits()).isEqualTo(1);
  }

  @Test
  void cache_isBoundedInBytes_andSkipsLargeEntries_andKeepsNoFailure() {
    final InMemoryRegistry registry = new InMemoryRegistry();
    final CachingReader.Cache cache = new CachingReader.Cache(100, 60);
    final CachingReader r = new CachingReader(registry, cache);
    final Digest small1 = registry.putBlob(REPO, new byte[50]);
    final Digest small2 = registry.putBlob(REPO, "x".repeat(50).getBytes(StandardCharsets.UTF_8));
    final Digest small3 = registry.putBlob(REPO, "y".repeat(50).getBytes(StandardCharsets.UTF_8));
    final Digest large = registry.putBlob(REPO, new byte[70]);

    for (final Digest d : List.of(small1, small2, small3, large, large)) {
      r.blob(REPO, Descriptor.of("application/octet-stream", d, 0)).join().orElseThrow();
    }
    registry.failBlob(small3, new FetchResult.Unavailable<>("down"));

    assertThat(cache.bytes()).isLessThanOrEqualTo(100);
    assertThat(r.blob(REPO, Descriptor.of("x", small3, 0)).join().isFound()).as("recent entry served from cache")
        .isTrue();
    assertThat(registry.blobCalls()).isEqualTo(5);
  }

  @Test
  void cache_aSecondReadOfAManifestInFlight_joinsIt_insteadOfAskingAgain() {
    final List<CompletableFuture<FetchResult<Manifest>>> started = new ArrayList<>();
    final CachingReader.Cache cache = new CachingReader.Cache(1 << 20, 64 << 10);
    final CachingReader r = new CachingReader(stalling(started), cache);
    final Manifest m = Manifest.parse(manifest("a"), MediaTypes.OCI_MANIFEST, Digest.sha256(manifest("a")));
    final Reference ref = REPO.withDigest(Digest.sha256(manifest("a")));

    final var probe = r.manifest(ref);
    final var verification = r.within(Deadline.after(Duration.ofMinutes(1))).manifest(ref);
    final var otherDigest = r.manifest(REPO.withDigest(Digest.sha256(manifest("b"))));

    assertThat(started).as("one read per digest").hasSize(2);
    assertThat(verification).isNotCompleted();
    started.get(0).complete(FetchResult.found(m));
    assertThat(probe.join().orElseThrow()).isSameAs(m);
    assertThat(verification.join().orElseThrow()).isSameAs(m);
    assertThat(cache.joined()).isEqualTo(1);
    assertThat(otherDigest).isNotCompleted();
  }

  @Test
  void cache_aJoinedReadThatFails_isAskedAgainByTheJoiner_neverSharedAsAFailure() {
    final List<CompletableFuture<FetchResult<Manifest>>> started = new ArrayList<>();
    final CachingReader r = new CachingReader(stalling(started), new CachingReader.Cache(1 << 20, 64 << 10));
    final Reference ref = REPO.withDigest(Digest.sha256(manifest("a")));

    final var first = r.manifest(ref);
    final var joined = r.manifest(ref);
    started.get(0).complete(new FetchResult.Unavailable<>("first caller's deadline", true));

    assertThat(first.join()).isInstanceOf(FetchResult.Unavailable.class);
    assertThat(started).as("the joiner asked for itself").hasSize(2);
    assertThat(joined).isNotCompleted();
    started.get(1).complete(FetchResult.found(Manifest.parse(manifest("a"), MediaTypes.OCI_MANIFEST, Digest.sha256(manifest("a")))));
    assertThat(joined.join().isFound()).isTrue();
  }

  @Test
  void cache_aJoinedWait_endsWithTheJoinersOwnDeadline() {
    final List<CompletableFuture<FetchResult<Manifest>>> started = new ArrayList<>();
    final CachingReader r = new CachingReader(stalling(started), new CachingReader.Cache(1 << 20, 64 << 10));
    final Reference ref = REPO.withDigest(Digest.sha256(manifest("a")));
    r.manifest(ref);

    final FetchResult<Manifest> joined = r.within(Deadline.after(Duration.ofMillis(100))).manifest(ref).join();

    assertThat(joined).isInstanceOfSatisfying(FetchResult.Unavailable.class, u ->
        assertThat(u.deadlineExceeded()).isTrue());
    assertThat(started).hasSize(1);
  }

  @Test
  void throttle_capsInFlightPerHost_withoutHoldingTheOtherHost() {
    final List<CompletableFuture<FetchResult<Manifest>>> started = new ArrayList<>();
    final RegistryReader slow = stalling(started);
    final ThrottledReader r = new ThrottledReader(slow, new ThrottledReader.Limits(2, 1000), Clock.systemUTC());

    final var a = r.manifest(REPO.withTag("a"));
    final var b = r.manifest(REPO.withTag("b"));
    final var c = r.manifest(REPO.withTag("c"));
    final var other = r.manifest(OTHER.withTag("a"));

    assertThat(started).hasSize(3).as("two for registry.test, one for other.test");
    started.get(0).complete(new FetchResult.NotFound<>("MANIFEST_UNKNOWN", "gone"));
    assertThat(a).isCompleted();
    assertThat(started).hasSize(4).as("c starts once a slot is free");
    assertThat(b).isNotCompleted();
    assertThat(c).isNotCompleted();
    assertThat(other).isNotCompleted();
  }

  @Test
  void throttle_pausesAHostAfterA429_forItsRetryAfter() throws Exception {
    final List<CompletableFuture<FetchResult<Manifest>>> started = new ArrayList<>();
    final ThrottledReader r = new ThrottledReader(stalling(started), new ThrottledReader.Limits(8, 1000),
        Clock.systemUTC());

    r.manifest(REPO.withTag("a"));
    started.get(0).complete(new FetchResult.RateLimited<>(Optional.of(Duration.ofMillis(300)), "429"));
    final var next = r.manifest(REPO.withTag("b"));
    final var elsewhere = r.manifest(OTHER.withTag("b"));

    assertThat(started).hasSize(2).as("registry.test waits; other.test does not");
    next.completeOnTimeout(null, 5, TimeUnit.SECONDS);
    org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> started.size() == 3);
    assertThat(elsewhere).isNotNull();
  }

  @Test
  void throttle_queuedOperation_endsWithTheDeadline() {
    final List<CompletableFuture<FetchResult<Manifest>>> started = new ArrayList<>();
    final ThrottledReader r = new ThrottledReader(stalling(started), new ThrottledReader.Limits(1, 1000),
        Clock.systemUTC());
    r.manifest(REPO.withTag("busy"));

    final FetchResult<Manifest> queued = r.within(Deadline.after(Duration.ofMillis(100))).manifest(REPO.withTag("q"))
        .join();

    assertThat(queued).isInstanceOfSatisfying(FetchResult.Unavailable.class, u ->
        assertThat(u.deadlineExceeded()).isTrue());
    started.get(0).complete(new FetchResult.NotFound<>("MANIFEST_UNKNOWN", "gone"));
    assertThat(started).as("the abandoned operation was never started").hasSize(1);
  }

  /** A reader whose manifest calls never answer until the test completes them. */
  private static RegistryReader stalling(final List<CompletableFuture<FetchResult<Manifest>>> started) {
    return new RegistryReader() {
      @Override
      public CompletableFuture<FetchResult<Descriptor>> resolve(final Reference ref) {
        throw new UnsupportedOperationException();
      }

      @Override
      public synchronized CompletableFuture<FetchResult<Manifest>> manifest(final Reference ref) {
        final CompletableFuture<FetchResult<Manifest>> f = new CompletableFuture<>();
        started.add(f);
        return f;
      }

      @Override
      public CompletableFuture<FetchResult<byte[]>> blob(final Reference repository, final Descriptor d) {
        throw new UnsupportedOperationException();
      }

      @Override
      public CompletableFuture<FetchResult<Referrers>> referrers(final Reference subject, final String type) {
        throw new UnsupportedOperationException();
      }

      @Override
      public RegistryReader within(final Deadline deadline) {
        return new DeadlineBoundReader(this, deadline);
      }
    };
  }

  private static byte[] manifest(final String seed) {
    return ("{\"schemaVersion\":2,\"mediaType\":\"" + MediaTypes.OCI_MANIFEST + "\",\"config\":{\"mediaType\":\""
        + MediaTypes.OCI_CONFIG + "\",\"digest\":\"" + Digest.sha256(seed.getBytes(StandardCharsets.UTF_8))
        + "\",\"size\":1},\"layers\":[]}").getBytes(StandardCharsets.UTF_8);
  }
}
