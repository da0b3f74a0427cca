package dev.sigstream.notary.revocation;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

class BoundedCacheTest {

  private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");

  @Test
  void entriesExpireAtTheirOwnInstant() {
    final BoundedCache<String, String> c = new BoundedCache<>(10);
    c.put("a", "A", T0.plusSeconds(60), T0);
    assertThat(c.get("a", T0.plusSeconds(59))).isEqualTo("A");
    assertThat(c.get("a", T0.plusSeconds(60))).isNull(); // expiresAt must be strictly after now
    assertThat(c.size()).isZero();
  }

  @Test
  void whenFull_expiredEntriesGoFirst_andTheBoundHolds() {
    final BoundedCache<String, String> c = new BoundedCache<>(3);
    c.put("stale", "S", T0.plusSeconds(10), T0);
    c.put("fresh1", "F1", T0.plusSeconds(1000), T0);
    c.put("fresh2", "F2", T0.plusSeconds(1000), T0);
    c.put("new", "N", T0.plusSeconds(1000), T0.plusSeconds(20)); // "stale" has expired by now
    assertThat(c.get("fresh1", T0.plusSeconds(20))).isEqualTo("F1");
    assertThat(c.get("fresh2", T0.plusSeconds(20))).isEqualTo("F2");
    assertThat(c.get("new", T0.plusSeconds(20))).isEqualTo("N");
    for (int i = 0; i < 50; i++) {
      c.put("k" + i, "v", T0.plusSeconds(1000), T0.plusSeconds(20));
      assertThat(c.size()).isLessThanOrEqualTo(3);
    }
  }

  @Test
  void weightIsBounded_andAnEntryHeavierThanTheBudgetIsNotKept() {
    final BoundedCache<String, String> c = new BoundedCache<>(100, 100);
    for (int i = 0; i < 10; i++) {
      c.put("crl" + i, "C", T0.plusSeconds(1000), T0, 40);
      assertThat(c.weight()).isLessThanOrEqualTo(100);
      assertThat(c.get("crl" + i, T0)).isEqualTo("C"); // the newest always fits
    }
    assertThat(c.size()).isEqualTo(2);
    c.put("huge", "H", T0.plusSeconds(1000), T0, 101);
    assertThat(c.get("huge", T0)).isNull();
    assertThat(c.size()).isEqualTo(2);
    // Replacing and expiring entries give their weight back.
    c.put("crl9", "C2", T0.plusSeconds(10), T0, 10);
    assertThat(c.weight()).isEqualTo(50);
    assertThat(c.get("crl9", T0.plusSeconds(10))).isNull();
    assertThat(c.weight()).isEqualTo(40);
  }

  @Test
  void disabled_keepsNothing() {
    final BoundedCache<String, String> c = new BoundedCache<>(0);
    c.put("a", "A", T0.plusSeconds(60), T0);
    assertThat(c.get("a", T0)).isNull();
  }

  @Test
  void concurrentReadersAndWriters_neverSeeAnotherKeysValue() throws Exception {
    final BoundedCache<Integer, Integer> c = new BoundedCache<>(64);
    final ExecutorService pool = Executors.newFixedThreadPool(4);
    try {
      final List<Future<?>> fs = new ArrayList<>();
      for (int t = 0; t < 4; t++) {
        final int seed = t;
        fs.add(pool.submit(() -> {
          for (int i = 0; i < 20_000; i++) {
            final int k = (i * 31 + seed) % 200;
            final Integer v = c.get(k, T0);
            if (v != null && v != k * 7) {
              throw new AssertionError("key " + k + " gave " + v);
            }
            c.put(k, k * 7, T0.plusSeconds(60), T0);
          }
          return null;
        }));
      }
      for (final Future<?> f : fs) {
        f.get();
      }
    } finally {
      pool.shutdownNow();
    }
    assertThat(c.size()).isLessThanOrEqualTo(64 + 4);
  }
}
