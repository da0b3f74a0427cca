package dev.sigstream.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sigstream.testing.MutableClock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

class ReplayCacheTest {

  private final MutableClock clock = new MutableClock(Instant.parse("2026-12-03T10:00:00Z"));

  @Test
  void remembersWithinTheWindowOnly() {
    final ReplayCache c = new ReplayCache(Duration.ofMinutes(10), 100, clock);
    c.remember("a");
    assertThat(c.seen("a")).isTrue();
    assertThat(c.seen("b")).isFalse();
    clock.advance(Duration.ofMinutes(10));
    assertThat(c.seen("a")).isFalse();
    c.remember("b");
    assertThat(c.size()).as("the expired id is dropped on the next remember").isEqualTo(1);
  }

  @Test
  void evictsTheOldestFirstWhenFull() {
    final ReplayCache c = new ReplayCache(Duration.ofMinutes(10), 3, clock);
    c.rememberAll(List.of("a", "b", "c"));
    c.remember("d");
    assertThat(c.seen("a")).isFalse();
    assertThat(c.seen("b")).isTrue();
    assertThat(c.seen("d")).isTrue();
    assertThat(c.size()).isEqualTo(3);
  }

  @Test
  void rememberingAgainMakesTheEntryNewest() {
    final ReplayCache c = new ReplayCache(Duration.ofMinutes(10), 3, clock);
    c.remember("a");
    clock.advance(Duration.ofMinutes(6));
    c.remember("b");
    c.remember("a");
    c.remember("c");
    clock.advance(Duration.ofMinutes(6));
    c.remember("d");
    assertThat(c.seen("a")).as("refreshed 6 min ago; its first entry is gone without taking the new one").isTrue();
    assertThat(c.seen("b")).as("now the oldest, evicted for d").isFalse();
    assertThat(c.seen("c")).isTrue();
    assertThat(c.seen("d")).isTrue();
    assertThat(c.size()).isEqualTo(3);
  }

  @Test
  @Timeout(30)
  void staysBoundedAndKeepsTheNewestUnderConcurrentUse() throws InterruptedException {
    final ReplayCache c = new ReplayCache(Duration.ofMinutes(10), 1_000, clock);
    final int threads = 8;
    final int perThread = 5_000;
    final CountDownLatch done = new CountDownLatch(threads);
    for (int t = 0; t < threads; t++) {
      final int id = t;
      final Thread th = new Thread(() -> {
        for (int i = 0; i < perThread; i++) {
          c.remember(id + "-" + i);
        }
        done.countDown();
      });
      th.start();
    }
    done.await();
    assertThat(c.size()).as("bounded: over the capacity by at most the ids recorded while another thread evicted")
        .isBetween(1_000, 1_000 + threads - 1);
    c.remember("last");
    assertThat(c.seen("last")).isTrue();
    assertThat(c.size()).isLessThanOrEqualTo(1_000);
  }
}
