package dev.sigstream.notary.revocation;

import java.time.Instant;
import java.util.Iterator;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Bounded cache whose entries expire at their own instant (a CRL's or OCSP response's nextUpdate, or the earliest of
 * a chain's evidence). Bounded so that many distinct certificates cannot grow it without limit. Thread-safe and
 * lock-free on reads: the chain-level lookup runs on every verification from every thread, so it must not serialise
 * them. When full, expired entries go first, then arbitrary ones (entries are cheap to rebuild relative to the
 * guarantee that a read never waits).
 */
final class BoundedCache<K, V> {

  private record Timed<V>(V value, Instant expiresAt) {}

  private final int maxEntries;
  private final ConcurrentHashMap<K, Timed<V>> map = new ConcurrentHashMap<>();

  BoundedCache(final int maxEntries) {
    if (maxEntries < 0) {
      throw new IllegalArgumentException("maxEntries must be >= 0");
    }
    this.maxEntries = maxEntries;
  }

  /** The value, or null when absent or no longer fresh at {@code now} (expiresAt must be strictly after now). */
  V get(final K key, final Instant now) {
    final Timed<V> t = map.get(key);
    if (t == null) {
      return null;
    }
    if (!t.expiresAt().isAfter(now)) {
      map.remove(key, t);
      return null;
    }
    return t.value();
  }

  /** Stores {@code value} until {@code expiresAt}; when full, makes room (expired entries at {@code now} first). */
  void put(final K key, final V value, final Instant expiresAt, final Instant now) {
    if (maxEntries == 0) {
      return;
    }
    if (map.size() >= maxEntries && !map.containsKey(key)) {
      map.values().removeIf(t -> !t.expiresAt().isAfter(now));
      final Iterator<K> it = map.keySet().iterator();
      while (map.size() >= maxEntries && it.hasNext()) {
        it.next();
        it.remove();
      }
    }
    map.put(key, new Timed<>(value, expiresAt));
  }

  int size() {
    return map.size();
  }
}
