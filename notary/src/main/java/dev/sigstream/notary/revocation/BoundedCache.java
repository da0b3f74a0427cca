package dev.sigstream.notary.revocation;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Small LRU cache whose entries expire at their own instant (a CRL's or OCSP response's nextUpdate). Bounded so that
 * an attacker who pushes many signatures with distinct certificates cannot grow it without limit. Thread-safe.
 */
final class BoundedCache<K, V> {

  private record Timed<V>(V value, Instant expiresAt) {}

  private final int maxEntries;
  private final LinkedHashMap<K, Timed<V>> map;

  BoundedCache(final int maxEntries) {
    if (maxEntries < 0) {
      throw new IllegalArgumentException("maxEntries must be >= 0");
    }
    this.maxEntries = maxEntries;
    this.map = new LinkedHashMap<>(16, 0.75f, true) {
      @Override
      protected boolean removeEldestEntry(final Map.Entry<K, Timed<V>> eldest) {
        return size() > BoundedCache.this.maxEntries;
      }
    };
  }

  /** The value, or null when absent or no longer fresh at {@code now} (expiresAt must be strictly after now). */
  synchronized V get(final K key, final Instant now) {
    final Timed<V> t = map.get(key);
    if (t == null) {
      return null;
    }
    if (!t.expiresAt().isAfter(now)) {
      map.remove(key);
      return null;
    }
    return t.value();
  }

  synchronized void put(final K key, final V value, final Instant expiresAt) {
    if (maxEntries > 0) {
      map.put(key, new Timed<>(value, expiresAt));
    }
  }

  synchronized int size() {
    return map.size();
  }
}
