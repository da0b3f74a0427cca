package dev.sigstream.ingest;

import java.time.Clock;
import java.time.Duration;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Ids of deliveries and events that Kafka acknowledged within the replay window, so a redelivery is answered 2xx
 * without being produced again. Bounded in entries (oldest evicted first) and in time. Entries are remembered only
 * after the acknowledgement, so a delivery that got 503 is produced when it is retried. Process-local: after a
 * restart, or across replicas, a replay is produced again and downstream dedupes by {@code eventId}.
 */
final class ReplayCache {

  private final long windowMillis;
  private final int capacity;
  private final Clock clock;
  private final LinkedHashMap<String, Long> seen = new LinkedHashMap<>();

  ReplayCache(final Duration window, final int capacity, final Clock clock) {
    this.windowMillis = window.toMillis();
    this.capacity = capacity;
    this.clock = clock;
  }

  synchronized boolean seen(final String id) {
    final Long at = seen.get(id);
    return at != null && clock.millis() - at < windowMillis;
  }

  synchronized void remember(final String id) {
    final long now = clock.millis();
    seen.remove(id);
    seen.put(id, now);
    final Iterator<Map.Entry<String, Long>> it = seen.entrySet().iterator();
    while (it.hasNext()) {
      final Map.Entry<String, Long> e = it.next();
      if (seen.size() > capacity || now - e.getValue() >= windowMillis) {
        it.remove();
      } else {
        break;
      }
    }
  }

  synchronized int size() {
    return seen.size();
  }
}
