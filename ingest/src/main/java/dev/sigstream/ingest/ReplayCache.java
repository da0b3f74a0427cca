package dev.sigstream.ingest;

import java.time.Clock;
import java.time.Duration;
import java.util.Collection;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Ids of deliveries and events that Kafka acknowledged within the replay window, so a redelivery is answered 2xx
 * without being produced again. Bounded in entries (oldest evicted first) and in time. Entries are remembered only
 * after the acknowledgement, so a delivery that got 503 is produced when it is retried. Process-local: after a
 * restart, or across replicas, a replay is produced again and downstream dedupes by {@code eventId}.
 *
 * <p>Every request checks and records ids here, from many request threads at once, so no request waits for a
 * lock: a concurrent map for lookups and a concurrent queue in insertion order for eviction. (One synchronized
 * {@code LinkedHashMap} was measured as the most contended monitor of the webhook path: request threads queued
 * behind a holder that the 2-core scheduler had preempted.) One thread evicts at a time, and a thread that finds
 * another evicting leaves it to that one (a {@code tryLock}, never a wait): when every request evicted at once,
 * the racers' {@code remove} of a head already taken scanned the whole queue, and that was 37% of the server's
 * Java samples once the cache was full (JFR of {@code IngestLoadGenerator}'s measured phase). So the size may exceed
 * the capacity by the ids of requests that were recording while another evicted, until the next one evicts.
 * Written here rather than with a caching library because the bound must evict the oldest id first: a
 * frequency-based policy such as Caffeine's may refuse the newest ids when full, and the newest are the ones a
 * registry redelivers.
 */
final class ReplayCache {

  /** One remembered id; compared by identity, so a stale queue entry never removes a newer one. */
  private static final class Entry {
    final String id;
    final long at;

    Entry(final String id, final long at) {
      this.id = id;
      this.at = at;
    }
  }

  private final long windowMillis;
  private final int capacity;
  private final Clock clock;
  private final ConcurrentHashMap<String, Entry> seen = new ConcurrentHashMap<>();
  private final ConcurrentLinkedQueue<Entry> order = new ConcurrentLinkedQueue<>();
  /** Held by the one thread evicting; only that thread removes from {@link #order}. */
  private final ReentrantLock evicting = new ReentrantLock();

  ReplayCache(final Duration window, final int capacity, final Clock clock) {
    this.windowMillis = window.toMillis();
    this.capacity = capacity;
    this.clock = clock;
  }

  boolean seen(final String id) {
    final Entry e = seen.get(id);
    return e != null && clock.millis() - e.at < windowMillis;
  }

  void remember(final String id) {
    final long now = clock.millis();
    final Entry e = new Entry(id, now);
    seen.put(id, e);
    order.add(e);
    evict(now);
  }

  void rememberAll(final Collection<String> ids) {
    final long now = clock.millis();
    for (final String id : ids) {
      final Entry e = new Entry(id, now);
      seen.put(id, e);
      order.add(e);
    }
    evict(now);
  }

  /** Drops entries from the old end while over capacity or out of the window; skipped if another thread is at it. */
  private void evict(final long now) {
    if (!evicting.tryLock()) {
      return;
    }
    try {
      for (Entry head = order.peek(); head != null; head = order.peek()) {
        final boolean stale = seen.get(head.id) != head;
        if (!stale && seen.size() <= capacity && now - head.at < windowMillis) {
          return;
        }
        order.poll(); // head: only the evicting thread removes, so this is the entry just examined
        if (!stale) {
          seen.remove(head.id, head);
        }
      }
    } finally {
      evicting.unlock();
    }
  }

  int size() {
    return seen.size();
  }
}
