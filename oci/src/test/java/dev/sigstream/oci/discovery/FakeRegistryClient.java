package dev.sigstream.oci.discovery;

import dev.sigstream.oci.Descriptor;
import dev.sigstream.oci.Digest;
import dev.sigstream.oci.FetchResult;
import dev.sigstream.oci.Manifest;
import dev.sigstream.oci.Reference;
import dev.sigstream.oci.Referrers;
import dev.sigstream.oci.RegistryClient;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/** In-memory {@link RegistryClient} for discovery tests (read side only). */
final class FakeRegistryClient implements RegistryClient {

  final Map<String, Manifest> manifests = new ConcurrentHashMap<>();
  final Map<Digest, byte[]> blobs = new ConcurrentHashMap<>();
  final Map<Digest, List<Descriptor>> referrers = new ConcurrentHashMap<>();
  final AtomicInteger manifestFetches = new AtomicInteger();
  volatile boolean hangReferrers;

  void put(final String identifier, final Manifest m) {
    manifests.put(identifier, m);
    manifests.put(m.descriptor().digest().toString(), m);
  }

  @Override
  public CompletableFuture<FetchResult<Descriptor>> resolve(final Reference ref) {
    return manifest(ref).thenApply(r -> r.map(Manifest::descriptor));
  }

  @Override
  public CompletableFuture<FetchResult<Manifest>> manifest(final Reference ref) {
    manifestFetches.incrementAndGet();
    final Manifest m = manifests.get(ref.identifier());
    return CompletableFuture.completedFuture(m == null ? new FetchResult.NotFound<>("MANIFEST_UNKNOWN", "no "
        + ref) : FetchResult.found(m));
  }

  @Override
  public CompletableFuture<FetchResult<byte[]>> blob(final Reference repository, final Descriptor d) {
    final byte[] b = blobs.get(d.digest());
    return CompletableFuture.completedFuture(b == null ? new FetchResult.NotFound<>("BLOB_UNKNOWN", "no blob")
        : FetchResult.found(b));
  }

  @Override
  public CompletableFuture<FetchResult<Referrers>> referrers(final Reference subject, final String artifactType) {
    if (hangReferrers) {
      return new CompletableFuture<>();
    }
    final List<Descriptor> all = new ArrayList<>(referrers.getOrDefault(subject.digest(), List.of()));
    all.removeIf(d -> artifactType != null && !artifactType.equals(d.artifactType()));
    return CompletableFuture.completedFuture(FetchResult.found(new Referrers(subject.digest(), all,
        Referrers.Source.REFERRERS_API, false)));
  }

  @Override
  public CompletableFuture<FetchResult<Descriptor>> pushBlob(final Reference r, final String m, final byte[] c) {
    throw new UnsupportedOperationException();
  }

  @Override
  public CompletableFuture<FetchResult<Descriptor>> pushBlobChunked(final Reference r, final String m,
      final byte[] c, final int s) {
    throw new UnsupportedOperationException();
  }

  @Override
  public CompletableFuture<FetchResult<Descriptor>> pushManifest(final Reference t, final String m, final byte[] b) {
    throw new UnsupportedOperationException();
  }

  @Override
  public CompletableFuture<FetchResult<Descriptor>> pushReferrer(final Reference r, final String m, final byte[] b) {
    throw new UnsupportedOperationException();
  }

  @Override
  public dev.sigstream.oci.RegistryReader within(final dev.sigstream.oci.Deadline deadline) {
    return new dev.sigstream.oci.DeadlineBoundReader(this, deadline);
  }
}
