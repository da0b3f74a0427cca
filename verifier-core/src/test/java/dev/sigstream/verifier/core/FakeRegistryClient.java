package dev.sigstream.verifier.core;

import dev.sigstream.oci.Descriptor;
import dev.sigstream.oci.Digest;
import dev.sigstream.oci.FetchResult;
import dev.sigstream.oci.Manifest;
import dev.sigstream.oci.MediaTypes;
import dev.sigstream.oci.Reference;
import dev.sigstream.oci.Referrers;
import dev.sigstream.oci.RegistryClient;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * In-memory registry for one repository (notation-go's mock repository): manifests by digest, tags, blobs, and
 * referrers derived from manifests' {@code subject}. Any operation can be overridden per digest with a failure.
 * Digest and size checks are the real client's job and are not repeated here.
 */
class FakeRegistryClient implements RegistryClient {

  final Map<Digest, Manifest> manifests = new ConcurrentHashMap<>();
  final Map<String, Digest> tags = new ConcurrentHashMap<>();
  final Map<Digest, byte[]> blobs = new ConcurrentHashMap<>();
  final List<Digest> referrerOrder = new ArrayList<>();
  final Map<Digest, FetchResult<?>> manifestFailures = new ConcurrentHashMap<>();
  final Map<Digest, FetchResult<?>> blobFailures = new ConcurrentHashMap<>();
  final Map<Digest, FetchResult<?>> referrerFailures = new ConcurrentHashMap<>();
  FetchResult<?> resolveFailure;
  boolean hang;
  final AtomicInteger manifestCalls = new AtomicInteger();
  final AtomicInteger blobCalls = new AtomicInteger();
  final AtomicInteger referrerCalls = new AtomicInteger();

  /** Stores a manifest (and its tag); returns its descriptor. */
  synchronized Descriptor put(final byte[] json, final String tag) {
    final Digest d = Digest.sha256(json);
    final Manifest m = Manifest.parse(json, MediaTypes.OCI_MANIFEST, d);
    manifests.put(d, m);
    if (tag != null) {
      tags.put(tag, d);
    }
    if (m.subject().isPresent()) {
      referrerOrder.add(d);
    }
    return m.descriptor();
  }

  void putBlob(final byte[] content) {
    blobs.put(Digest.sha256(content), content);
  }

  @Override
  public CompletableFuture<FetchResult<Descriptor>> resolve(final Reference ref) {
    if (hang) {
      return new CompletableFuture<>();
    }
    if (resolveFailure != null) {
      return done(resolveFailure.castFailure());
    }
    final Digest d = ref.isDigest() ? ref.digest() : tags.get(ref.tag());
    final Manifest m = d == null ? null : manifests.get(d);
    return done(m == null ? new FetchResult.NotFound<>("MANIFEST_UNKNOWN", "no " + ref)
        : FetchResult.found(m.descriptor()));
  }

  @Override
  public CompletableFuture<FetchResult<Manifest>> manifest(final Reference ref) {
    manifestCalls.incrementAndGet();
    if (hang) {
      return new CompletableFuture<>();
    }
    final Digest d = ref.isDigest() ? ref.digest() : tags.get(ref.tag());
    if (d != null && manifestFailures.containsKey(d)) {
      return done(manifestFailures.get(d).castFailure());
    }
    final Manifest m = d == null ? null : manifests.get(d);
    return done(m == null ? new FetchResult.NotFound<>("MANIFEST_UNKNOWN", "no " + ref) : FetchResult.found(m));
  }

  @Override
  public CompletableFuture<FetchResult<byte[]>> blob(final Reference repository, final Descriptor descriptor) {
    blobCalls.incrementAndGet();
    if (blobFailures.containsKey(descriptor.digest())) {
      return done(blobFailures.get(descriptor.digest()).castFailure());
    }
    final byte[] b = blobs.get(descriptor.digest());
    return done(b == null ? new FetchResult.NotFound<>("BLOB_UNKNOWN", "no blob") : FetchResult.found(b.clone()));
  }

  @Override
  public synchronized CompletableFuture<FetchResult<Referrers>> referrers(final Reference subject,
      final String artifactType) {
    referrerCalls.incrementAndGet();
    if (referrerFailures.containsKey(subject.digest())) {
      return done(referrerFailures.get(subject.digest()).castFailure());
    }
    final List<Descriptor> out = new ArrayList<>();
    for (final Digest d : referrerOrder) {
      final Manifest m = manifests.get(d);
      if (!subject.digest().equals(m.subject().map(Descriptor::digest).orElse(null))) {
        continue;
      }
      // As registries do: artifactType, else config.mediaType (so signature shape B lists as notary too).
      final String at = m.artifactType() != null ? m.artifactType()
          : m.config().map(Descriptor::mediaType).orElse(null);
      if (artifactType != null && !artifactType.equals(at)) {
        continue;
      }
      out.add(new Descriptor(m.mediaType(), d, m.bytes().length, at, m.annotations(), null));
    }
    return done(FetchResult.found(new Referrers(subject.digest(), out, Referrers.Source.REFERRERS_API, false)));
  }

  @Override
  public CompletableFuture<FetchResult<Descriptor>> pushBlob(final Reference r, final String mt, final byte[] c) {
    throw new UnsupportedOperationException();
  }

  @Override
  public CompletableFuture<FetchResult<Descriptor>> pushBlobChunked(final Reference r, final String mt,
      final byte[] c, final int chunk) {
    throw new UnsupportedOperationException();
  }

  @Override
  public CompletableFuture<FetchResult<Descriptor>> pushManifest(final Reference t, final String mt, final byte[] m) {
    throw new UnsupportedOperationException();
  }

  @Override
  public CompletableFuture<FetchResult<Descriptor>> pushReferrer(final Reference r, final String mt, final byte[] m) {
    throw new UnsupportedOperationException();
  }

  private static <T> CompletableFuture<T> done(final T v) {
    return CompletableFuture.completedFuture(v);
  }

  @Override
  public dev.sigstream.oci.RegistryReader within(final dev.sigstream.oci.Deadline deadline) {
    return new dev.sigstream.oci.DeadlineBoundReader(this, deadline);
  }
}
