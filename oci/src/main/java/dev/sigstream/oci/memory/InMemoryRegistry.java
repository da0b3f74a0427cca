package dev.sigstream.oci.memory;

import dev.sigstream.oci.Deadline;
import dev.sigstream.oci.DeadlineBoundReader;
import dev.sigstream.oci.Descriptor;
import dev.sigstream.oci.Digest;
import dev.sigstream.oci.FetchResult;
import dev.sigstream.oci.Manifest;
import dev.sigstream.oci.Reference;
import dev.sigstream.oci.Referrers;
import dev.sigstream.oci.RegistryClient;
import dev.sigstream.oci.RegistryReader;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * An in-memory {@link RegistryClient} (notation-go's mock repository; Kafka's {@code MockProducer} plays the same
 * part in kafka-clients): manifests, tags and blobs per repository, and referrers derived from manifests'
 * {@code subject} in push order, as the referrers API lists them. Pushes work, so fixtures are built with the same
 * code that pushes to a real registry. Every read can be made to fail per digest, or to hang, and calls are counted.
 *
 * <p>Shared by the verification-path unit tests and the topology tests: one fake, one behaviour. It checks digests
 * on push but applies no size caps, allowlist or auth: those are the real client's job and are tested against a real
 * registry. Thread-safe.
 */
public final class InMemoryRegistry implements RegistryClient {

  private record Key(String repository, Digest digest) {}

  private final Map<Key, Manifest> manifests = new ConcurrentHashMap<>();
  private final Map<String, Digest> tags = new ConcurrentHashMap<>();
  private final Map<Key, byte[]> blobs = new ConcurrentHashMap<>();
  private final List<Key> referrerOrder = new ArrayList<>();
  private final Map<Digest, FetchResult<?>> manifestFailures = new ConcurrentHashMap<>();
  private final Map<Digest, FetchResult<?>> blobFailures = new ConcurrentHashMap<>();
  private final Map<Digest, FetchResult<?>> referrerFailures = new ConcurrentHashMap<>();
  private volatile FetchResult<?> resolveFailure;
  private volatile boolean hang;
  private final AtomicInteger manifestCalls = new AtomicInteger();
  private final AtomicInteger blobCalls = new AtomicInteger();
  private final AtomicInteger referrerCalls = new AtomicInteger();

  // ------------------------------------------------------------------------------------------------- fixture side

  /** Stores manifest bytes in {@code repository} (and tags them when {@code tag} is not null). */
  public Descriptor put(final Reference repository, final byte[] json, final String mediaType, final String tag) {
    final Digest d = Digest.sha256(json);
    final Manifest m = Manifest.parse(json, mediaType, d);
    final Key k = new Key(repo(repository), d);
    synchronized (referrerOrder) {
      if (manifests.put(k, m) == null && m.subject().isPresent()) {
        referrerOrder.add(k);
      }
    }
    if (tag != null) {
      tags.put(repo(repository) + ":" + tag, d);
    }
    return m.descriptor();
  }

  /** Stores a blob in {@code repository}; returns its digest. */
  public Digest putBlob(final Reference repository, final byte[] content) {
    final Digest d = Digest.sha256(content);
    blobs.put(new Key(repo(repository), d), content.clone());
    return d;
  }

  /** Every later {@link #manifest} of {@code digest} returns {@code failure}. */
  public void failManifest(final Digest digest, final FetchResult<?> failure) {
    manifestFailures.put(digest, requireFailure(failure));
  }

  public void failBlob(final Digest digest, final FetchResult<?> failure) {
    blobFailures.put(digest, requireFailure(failure));
  }

  public void failReferrers(final Digest subject, final FetchResult<?> failure) {
    referrerFailures.put(subject, requireFailure(failure));
  }

  public void failResolve(final FetchResult<?> failure) {
    resolveFailure = failure == null ? null : requireFailure(failure);
  }

  /** Forgets every injected failure. */
  public void clearFailures() {
    manifestFailures.clear();
    blobFailures.clear();
    referrerFailures.clear();
    resolveFailure = null;
  }

  /** While true, every read returns a future that never completes (a registry that stops answering). */
  public void hang(final boolean hang) {
    this.hang = hang;
  }

  public int manifestCalls() {
    return manifestCalls.get();
  }

  public int blobCalls() {
    return blobCalls.get();
  }

  public int referrerCalls() {
    return referrerCalls.get();
  }

  // ---------------------------------------------------------------------------------------------------- read side

  @Override
  public CompletableFuture<FetchResult<Descriptor>> resolve(final Reference ref) {
    if (hang) {
      return new CompletableFuture<>();
    }
    final FetchResult<?> f = resolveFailure;
    if (f != null) {
      return done(f.castFailure());
    }
    final Manifest m = find(ref);
    return done(m == null ? notFound("MANIFEST_UNKNOWN", ref) : FetchResult.found(m.descriptor()));
  }

  @Override
  public CompletableFuture<FetchResult<Manifest>> manifest(final Reference ref) {
    manifestCalls.incrementAndGet();
    if (hang) {
      return new CompletableFuture<>();
    }
    final Manifest m = find(ref);
    if (m != null && manifestFailures.containsKey(m.descriptor().digest())) {
      return done(manifestFailures.get(m.descriptor().digest()).castFailure());
    }
    if (ref.isDigest() && manifestFailures.containsKey(ref.digest())) {
      return done(manifestFailures.get(ref.digest()).castFailure());
    }
    return done(m == null ? notFound("MANIFEST_UNKNOWN", ref) : FetchResult.found(m));
  }

  @Override
  public CompletableFuture<FetchResult<byte[]>> blob(final Reference repository, final Descriptor descriptor) {
    blobCalls.incrementAndGet();
    if (hang) {
      return new CompletableFuture<>();
    }
    if (blobFailures.containsKey(descriptor.digest())) {
      return done(blobFailures.get(descriptor.digest()).castFailure());
    }
    final byte[] b = blobs.get(new Key(repo(repository), descriptor.digest()));
    return done(b == null ? notFound("BLOB_UNKNOWN", repository) : FetchResult.found(b.clone()));
  }

  @Override
  public CompletableFuture<FetchResult<Referrers>> referrers(final Reference subject, final String artifactType) {
    referrerCalls.incrementAndGet();
    Objects.requireNonNull(subject.digest(), "subject digest");
    if (hang) {
      return new CompletableFuture<>();
    }
    if (referrerFailures.containsKey(subject.digest())) {
      return done(referrerFailures.get(subject.digest()).castFailure());
    }
    final List<Descriptor> out = new ArrayList<>();
    final List<Key> order;
    synchronized (referrerOrder) {
      order = List.copyOf(referrerOrder);
    }
    for (final Key k : order) {
      final Manifest m = manifests.get(k);
      if (!k.repository().equals(repo(subject))
          || !subject.digest().equals(m.subject().map(Descriptor::digest).orElse(null))) {
        continue;
      }
      // As registries list them: artifactType, else config.mediaType (so signature shape B lists as notary too).
      final String at = m.artifactType() != null ? m.artifactType()
          : m.config().map(Descriptor::mediaType).orElse(null);
      if (artifactType != null && !artifactType.equals(at)) {
        continue;
      }
      out.add(new Descriptor(m.mediaType(), k.digest(), m.bytes().length, at, m.annotations(), null));
    }
    return done(FetchResult.found(new Referrers(subject.digest(), out, Referrers.Source.REFERRERS_API, false)));
  }

  @Override
  public RegistryReader within(final Deadline deadline) {
    return new DeadlineBoundReader(this, deadline);
  }

  // ---------------------------------------------------------------------------------------------------- push side

  @Override
  public CompletableFuture<FetchResult<Descriptor>> pushBlob(final Reference repository, final String mediaType,
      final byte[] content) {
    final Digest d = putBlob(repository, content);
    return done(FetchResult.found(Descriptor.of(mediaType, d, content.length)));
  }

  @Override
  public CompletableFuture<FetchResult<Descriptor>> pushBlobChunked(final Reference repository,
      final String mediaType, final byte[] content, final int chunkSize) {
    return pushBlob(repository, mediaType, content);
  }

  @Override
  public CompletableFuture<FetchResult<Descriptor>> pushManifest(final Reference target, final String mediaType,
      final byte[] manifest) {
    if (target.isDigest() && !target.digest().equals(Digest.sha256(manifest))) {
      return done(new FetchResult.Invalid<>("DIGEST_MISMATCH", "manifest bytes do not match " + target.digest()));
    }
    try {
      return done(FetchResult.found(put(target, manifest, mediaType, target.isDigest() ? null : target.tag())));
    } catch (final IllegalArgumentException e) {
      return done(new FetchResult.Invalid<>("MALFORMED", e.getMessage()));
    }
  }

  @Override
  public CompletableFuture<FetchResult<Descriptor>> pushReferrer(final Reference repository, final String mediaType,
      final byte[] manifest) {
    return pushManifest(repository.withDigest(Digest.sha256(manifest)), mediaType, manifest);
  }

  // ------------------------------------------------------------------------------------------------------ helpers

  private Manifest find(final Reference ref) {
    final Digest d = ref.isDigest() ? ref.digest() : tags.get(repo(ref) + ":" + ref.tag());
    return d == null ? null : manifests.get(new Key(repo(ref), d));
  }

  private static String repo(final Reference r) {
    return r.registry() + "/" + r.repository();
  }

  private static <T> FetchResult<T> notFound(final String code, final Reference ref) {
    return new FetchResult.NotFound<>(code, "no " + ref + " in the in-memory registry");
  }

  private static FetchResult<?> requireFailure(final FetchResult<?> f) {
    if (f.isFound()) {
      throw new IllegalArgumentException("a failure is needed, not " + f);
    }
    return f;
  }

  private static <T> CompletableFuture<T> done(final T v) {
    return CompletableFuture.completedFuture(v);
  }
}
