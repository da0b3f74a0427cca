package dev.sigstream.oci;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;

/**
 * A {@link RegistryReader} that remembers what cannot change: manifests and small blobs fetched by digest (content
 * addressed, already digest-checked by the delegate). A second event for the same digest, or the signature shared by
 * an index and its children, costs no registry call. Tags and referrer lists change and are never cached. The cache
 * is bounded by total bytes and evicts the least recently used; it is shared by every {@link #within} view.
 * Thread-safe.
 */
public final class CachingReader implements RegistryReader {

  /** The shared, bounded store. */
  public static final class Cache {
    private final long maxBytes;
    private final long maxEntryBytes;
    private long bytes;
    private long hits;
    private long misses;
    private final LinkedHashMap<String, Object> entries = new LinkedHashMap<>(256, 0.75f, true);

    /**
     * @param maxBytes total bytes kept
     * @param maxEntryBytes larger manifests or blobs are not kept (SBOM documents and large envelopes)
     */
    public Cache(final long maxBytes, final long maxEntryBytes) {
      if (maxBytes < 0 || maxEntryBytes < 0) {
        throw new IllegalArgumentException("cache sizes must not be negative");
      }
      this.maxBytes = maxBytes;
      this.maxEntryBytes = maxEntryBytes;
    }

    synchronized Object get(final String key) {
      final Object v = entries.get(key);
      if (v == null) {
        misses++;
      } else {
        hits++;
      }
      return v;
    }

    synchronized void put(final String key, final Object value, final long size) {
      if (size > maxEntryBytes || entries.containsKey(key)) {
        return;
      }
      entries.put(key, value);
      bytes += size;
      for (var it = entries.entrySet().iterator(); bytes > maxBytes && it.hasNext();) {
        final Map.Entry<String, Object> e = it.next();
        bytes -= sizeOf(e.getValue());
        it.remove();
      }
    }

    public synchronized long hits() {
      return hits;
    }

    public synchronized long misses() {
      return misses;
    }

    public synchronized long bytes() {
      return bytes;
    }

    private static long sizeOf(final Object v) {
      return v instanceof Manifest m ? m.bytes().length : ((byte[]) v).length;
    }
  }

  private final RegistryReader delegate;
  private final Cache cache;

  public CachingReader(final RegistryReader delegate, final Cache cache) {
    this.delegate = Objects.requireNonNull(delegate, "delegate");
    this.cache = Objects.requireNonNull(cache, "cache");
  }

  @Override
  public CompletableFuture<FetchResult<Descriptor>> resolve(final Reference ref) {
    return delegate.resolve(ref);
  }

  @Override
  public CompletableFuture<FetchResult<Manifest>> manifest(final Reference ref) {
    if (!ref.isDigest()) {
      return delegate.manifest(ref);
    }
    final String key = "m:" + ref.registry() + "/" + ref.repository() + "@" + ref.digest();
    if (cache.get(key) instanceof Manifest m) {
      return CompletableFuture.completedFuture(FetchResult.found(m));
    }
    return delegate.manifest(ref).thenApply(r -> {
      if (r instanceof FetchResult.Found<Manifest> f) {
        cache.put(key, f.value(), f.value().bytes().length);
      }
      return r;
    });
  }

  @Override
  public CompletableFuture<FetchResult<byte[]>> blob(final Reference repository, final Descriptor descriptor) {
    final String key = "b:" + repository.registry() + "/" + repository.repository() + "@" + descriptor.digest();
    if (cache.get(key) instanceof byte[] b) {
      return CompletableFuture.completedFuture(FetchResult.found(b.clone()));
    }
    return delegate.blob(repository, descriptor).thenApply(r -> {
      if (r instanceof FetchResult.Found<byte[]> f) {
        cache.put(key, f.value().clone(), f.value().length);
      }
      return r;
    });
  }

  @Override
  public CompletableFuture<FetchResult<Referrers>> referrers(final Reference subject, final String artifactType) {
    return delegate.referrers(subject, artifactType);
  }

  @Override
  public RegistryReader within(final Deadline deadline) {
    return new CachingReader(delegate.within(deadline), cache);
  }
}
