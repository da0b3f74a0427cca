package dev.sigstream.notary.internal;

import java.util.Iterator;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A thread-safe memo bounded by entry count and by total weight (roughly bytes), for caches whose keys come from
 * untrusted input: an attacker who pushes many signatures with large certificate chains can churn it, which costs
 * time, but cannot grow it past its bounds. An entry heavier than an eighth of the budget is not kept. When full,
 * arbitrary entries are evicted: the working set (active signers) is small, so a simple bound is enough and keeps
 * lookups lock-free. Accounting is approximate under races and never drifts (weights are subtracted exactly as
 * removed). Not part of the API.
 */
public final class BoundedMemo<K, V> {

  private record Entry<V>(V value, long weight) {}

  private final ConcurrentHashMap<K, Entry<V>> map = new ConcurrentHashMap<>();
  private final AtomicLong weight = new AtomicLong();
  private final int maxEntries;
  private final long maxWeight;

  /**
   * @param maxEntries most entries; 0 disables the memo
   * @param maxWeight most total weight
   */
  public BoundedMemo(final int maxEntries, final long maxWeight) {
    this.maxEntries = maxEntries;
    this.maxWeight = maxWeight;
  }

  /** The value for {@code key}, or null. {@code key} may be a lookup-only view (it is never stored). */
  public V get(final Object key) {
    final Entry<V> e = map.get(key);
    return e == null ? null : e.value();
  }

  /** Remembers {@code value} unless the memo is disabled or the entry is too heavy; evicts to make room. */
  public void put(final K key, final V value, final long entryWeight) {
    if (maxEntries <= 0 || entryWeight > maxWeight / 8) {
      return;
    }
    final Iterator<K> it = map.keySet().iterator();
    while ((map.size() >= maxEntries || weight.get() + entryWeight > maxWeight) && it.hasNext()) {
      final Entry<V> gone = map.remove(it.next());
      if (gone != null) {
        weight.addAndGet(-gone.weight());
      }
    }
    if (map.putIfAbsent(key, new Entry<>(value, entryWeight)) == null) {
      weight.addAndGet(entryWeight);
    }
  }

  public int size() {
    return map.size();
  }

  public long weight() {
    return weight.get();
  }
}
