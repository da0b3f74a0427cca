package dev.sigstream.oci;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A {@link RegistryReader} that remembers what cannot change: manifests and small blobs fetched by digest (content
 * addressed, already digest-checked by the delegate). A second event for the same digest, or the signature shared by
 * an index and its children, costs no registry call. Tags and referrer lists change and are never cached. The cache
 * is bounded by total bytes and evicts the least recently used; it is shared by every {@link #within} view.
 *
 * <p>A manifest read by digest while another read of it is in flight joins that read instead of asking again (the
 * stream probes a pushed manifest and starts its verification at once, so the two reads become one round trip).
 * Only a found manifest is shared: when the read joined fails, the joiner asks the registry itself, so one caller's
 * failure or deadline never becomes another's. A {@link #within} view bounds every operation, a joined wait too, by
 * its own deadline. Thread-safe.
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
    /** Manifest reads by digest in flight, by key: joined by a second read of the same manifest. */
    private final Map<String, CompletableFuture<FetchResult<Manifest>>> reading = new ConcurrentHashMap<>();
    private final AtomicLong joined = new AtomicLong();

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

    /** Manifest reads that joined one already in flight instead of asking the registry. */
    public long joined() {
      return joined.get();
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
  /** This view's deadline ({@link #within}), which bounds a joined wait; null for the unbounded reader. */
  private final Deadline deadline;

  public CachingReader(final RegistryReader delegate, final Cache cache) {
    this(delegate, cache, null);
  }

  private CachingReader(final RegistryReader delegate, final Cache cache, final Deadline deadline) {
    this.delegate = Objects.requireNonNull(delegate, "delegate");
    this.cache = Objects.requireNonNull(cache, "cache");
    this.deadline = deadline;
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
    final CompletableFuture<FetchResult<Manifest>> mine = new CompletableFuture<>();
    final CompletableFuture<FetchResult<Manifest>> running = cache.reading.putIfAbsent(key, mine);
    if (running != null) {
      cache.joined.incrementAndGet();
      // Only a found manifest is taken over; anything else (a failure, the other caller's deadline or cancellation)
      // and this caller asks the registry itself.
      final java.util.function.Supplier<CompletableFuture<FetchResult<Manifest>>> joined = () -> running
          .handle((r, e) -> r instanceof FetchResult.Found<Manifest> ? r : null)
          .thenCompose(r -> r != null ? CompletableFuture.completedFuture(r) : delegate.manifest(ref));
      // The delegate bounds its own requests; the wait for another caller's read is bounded here, by this view's.
      return deadline == null ? joined.get()
          : DeadlineBoundReader.bound(joined, deadline, "fetching manifest " + ref);
    }
    final CompletableFuture<FetchResult<Manifest>> read;
    try {
      read = delegate.manifest(ref);
    } catch (final RuntimeException e) {
      cache.reading.remove(key, mine);
      mine.completeExceptionally(e);
      throw e;
    }
    read.whenComplete((r, e) -> {
      if (r instanceof FetchResult.Found<Manifest> f) {
        cache.put(key, f.value(), f.value().bytes().length);
      }
      cache.reading.remove(key, mine);
      if (e != null) {
        mine.completeExceptionally(e);
      } else {
        mine.complete(r);
      }
    });
    return read;
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
    return new CachingReader(delegate.within(deadline), cache, Objects.requireNonNull(deadline, "deadline"));
  }
}
