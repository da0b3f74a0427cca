package dev.sigstream.notary.revocation;

import java.time.Instant;
import java.util.Iterator;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Bounded cache whose entries expire at their own instant (a CRL's or OCSP response's nextUpdate, or the earliest of
 * a chain's evidence). Bounded by entry count and by total weight (a CRL weighs its number of revoked entries), so
 * that neither many certificates nor a few huge CRLs can grow it without limit; an entry heavier than the whole
 * weight budget is not kept. Thread-safe and lock-free on reads: the chain-level lookup runs on every verification
 * from every thread, so it must not serialise them. When full, expired entries go first, then arbitrary ones.
 */
final class BoundedCache<K, V> {

  private record Timed<V>(V value, Instant expiresAt, long weight) {}

  private final int maxEntries;
  private final long maxWeight;
  private final ConcurrentHashMap<K, Timed<V>> map = new ConcurrentHashMap<>();
  private final AtomicLong weight = new AtomicLong();

  BoundedCache(final int maxEntries) {
    this(maxEntries, Long.MAX_VALUE);
  }

  BoundedCache(final int maxEntries, final long maxWeight) {
    if (maxEntries < 0 || maxWeight < 0) {
      throw new IllegalArgumentException("maxEntries and maxWeight must be >= 0");
    }
    this.maxEntries = maxEntries;
    this.maxWeight = maxWeight;
  }

  /** The value, or null when absent or no longer fresh at {@code now} (expiresAt must be strictly after now). */
  V get(final K key, final Instant now) {
    final Timed<V> t = map.get(key);
    if (t == null) {
      return null;
    }
    if (!t.expiresAt().isAfter(now)) {
      if (map.remove(key, t)) {
        weight.addAndGet(-t.weight());
      }
      return null;
    }
    return t.value();
  }

  /** Stores {@code value} (weight 1) until {@code expiresAt}; when full, makes room. */
  void put(final K key, final V value, final Instant expiresAt, final Instant now) {
    put(key, value, expiresAt, now, 1);
  }

  /** Stores {@code value} until {@code expiresAt}; when full, makes room (expired entries at {@code now} first). */
  void put(final K key, final V value, final Instant expiresAt, final Instant now, final long entryWeight) {
    if (maxEntries == 0 || entryWeight > maxWeight) {
      return;
    }
    if (map.size() >= maxEntries || weight.get() + entryWeight > maxWeight) {
      final Iterator<Map.Entry<K, Timed<V>>> expired = map.entrySet().iterator();
      while (expired.hasNext()) {
        final Map.Entry<K, Timed<V>> e = expired.next();
        if (!e.getValue().expiresAt().isAfter(now) && map.remove(e.getKey(), e.getValue())) {
          weight.addAndGet(-e.getValue().weight());
        }
      }
      final Iterator<Map.Entry<K, Timed<V>>> any = map.entrySet().iterator();
      while ((map.size() >= maxEntries || weight.get() + entryWeight > maxWeight) && any.hasNext()) {
        final Map.Entry<K, Timed<V>> e = any.next();
        if (map.remove(e.getKey(), e.getValue())) {
          weight.addAndGet(-e.getValue().weight());
        }
      }
    }
    final Timed<V> fresh = new Timed<>(value, expiresAt, entryWeight);
    final Timed<V> old = map.put(key, fresh);
    weight.addAndGet(entryWeight - (old == null ? 0 : old.weight()));
  }

  int size() {
    return map.size();
  }

  long weight() {
    return weight.get();
  }
}
