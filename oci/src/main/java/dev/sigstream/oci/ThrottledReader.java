package dev.sigstream.oci;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Map;
import java.util.Objects;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * A {@link RegistryReader} that is polite per registry host: at most {@code maxInFlight} operations at once and at
 * most {@code ratePerSecond} started per second (a token bucket with a one-second burst), and after a 429 no new
 * operation for that host until its {@code Retry-After} has passed. Operations over the limits wait in a per-host
 * queue without holding a thread, so one slow or rate-limiting registry delays only its own artifacts. Waiting counts
 * against the caller's deadline when this reader is used through {@link #within}. Thread-safe.
 */
public final class ThrottledReader implements RegistryReader {

  /** Limits for every host. */
  public record Limits(int maxInFlight, double ratePerSecond) {
    public static final Limits DEFAULTS = new Limits(64, 3000);

    public Limits {
      if (maxInFlight < 1 || !(ratePerSecond > 0)) {
        throw new IllegalArgumentException("throttle limits must be positive");
      }
    }
  }

  private static final class Host {
    final Queue<Runnable> waiting = new ArrayDeque<>();
    int inFlight;
    double tokens;
    long refilledMillis = -1;
    long pausedUntilMillis;
  }

  private final RegistryReader delegate;
  private final Limits limits;
  private final Clock clock;
  private final Map<String, Host> hosts;

  public ThrottledReader(final RegistryReader delegate, final Limits limits, final Clock clock) {
    this(delegate, limits, clock, new ConcurrentHashMap<>());
  }

  private ThrottledReader(final RegistryReader delegate, final Limits limits, final Clock clock,
      final Map<String, Host> hosts) {
    this.delegate = Objects.requireNonNull(delegate, "delegate");
    this.limits = Objects.requireNonNull(limits, "limits");
    this.clock = Objects.requireNonNull(clock, "clock");
    this.hosts = hosts;
  }

  @Override
  public CompletableFuture<FetchResult<Descriptor>> resolve(final Reference ref) {
    return throttled(ref.registry(), () -> delegate.resolve(ref));
  }

  @Override
  public CompletableFuture<FetchResult<Manifest>> manifest(final Reference ref) {
    return throttled(ref.registry(), () -> delegate.manifest(ref));
  }

  @Override
  public CompletableFuture<FetchResult<byte[]>> blob(final Reference repository, final Descriptor descriptor) {
    return throttled(repository.registry(), () -> delegate.blob(repository, descriptor));
  }

  @Override
  public CompletableFuture<FetchResult<Referrers>> referrers(final Reference subject, final String artifactType) {
    return throttled(subject.registry(), () -> delegate.referrers(subject, artifactType));
  }

  @Override
  public RegistryReader within(final Deadline deadline) {
    // The host state is shared, so every view counts against the same limits; the deadline bounds the wait too.
    return new DeadlineBoundReader(new ThrottledReader(delegate.within(deadline), limits, clock, hosts), deadline);
  }

  private <T> CompletableFuture<FetchResult<T>> throttled(final String host,
      final Supplier<CompletableFuture<FetchResult<T>>> op) {
    final Host h = hosts.computeIfAbsent(host, k -> new Host());
    final CompletableFuture<FetchResult<T>> result = new CompletableFuture<>();
    final Runnable start = () -> {
      final CompletableFuture<FetchResult<T>> f;
      try {
        f = op.get();
      } catch (final RuntimeException e) {
        release(host, h, null);
        result.completeExceptionally(e);
        return;
      }
      f.whenComplete((r, e) -> {
        release(host, h, r);
        if (e != null) {
          result.completeExceptionally(e);
        } else {
          result.complete(r);
        }
      });
    };
    synchronized (h) {
      h.waiting.add(start);
    }
    drain(host, h);
    // A caller that stops waiting (deadline) must not leave its operation queued.
    result.whenComplete((r, e) -> {
      if (result.isCancelled()) {
        synchronized (h) {
          h.waiting.remove(start);
        }
      }
    });
    return result;
  }

  private void release(final String host, final Host h, final FetchResult<?> r) {
    synchronized (h) {
      h.inFlight--;
      if (r instanceof FetchResult.RateLimited<?> rl) {
        final long pause = rl.retryAfter().orElse(Duration.ofSeconds(1)).toMillis();
        h.pausedUntilMillis = Math.max(h.pausedUntilMillis, clock.millis() + pause);
      }
    }
    drain(host, h);
  }

  /** Starts queued operations while the host's limits allow; schedules another pass when only time is missing. */
  private void drain(final String host, final Host h) {
    while (true) {
      final Runnable next;
      long waitMillis = 0;
      synchronized (h) {
        if (h.waiting.isEmpty() || h.inFlight >= limits.maxInFlight()) {
          return;
        }
        final long now = clock.millis();
        if (h.pausedUntilMillis > now) {
          waitMillis = h.pausedUntilMillis - now;
          next = null;
        } else {
          refill(h);
          if (h.tokens < 1) {
            waitMillis = (long) Math.ceil((1 - h.tokens) * 1000 / limits.ratePerSecond());
            next = null;
          } else {
            h.tokens -= 1;
            h.inFlight++;
            next = h.waiting.poll();
          }
        }
      }
      if (next == null) {
        Timers.schedule(() -> drain(host, h), TimeUnit.MILLISECONDS.toNanos(Math.max(1, waitMillis)));
        return;
      }
      next.run();
    }
  }

  private void refill(final Host h) {
    final long now = clock.millis();
    if (h.refilledMillis < 0) {
      h.tokens = limits.ratePerSecond();
    } else {
      h.tokens = Math.min(limits.ratePerSecond(),
          h.tokens + Math.max(0, now - h.refilledMillis) / 1000.0 * limits.ratePerSecond());
    }
    h.refilledMillis = now;
  }
}
