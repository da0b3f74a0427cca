package dev.sigstream.notifier.delivery;

import java.util.concurrent.locks.LockSupport;
import java.util.function.LongSupplier;

/**
 * A token bucket pacing one destination. Hand-written (about 30 lines) rather than pulling in Bucket4j or Guava
 * for a single blocking acquire; each destination has its own thread, so contention is nil.
 */
public final class TokenBucket {

  private final double ratePerNano;
  private final double capacity;
  private final LongSupplier nanoTime;
  private double tokens;
  private long last;

  /** @param ratePerSecond 0 disables pacing */
  public TokenBucket(final double ratePerSecond, final int burst, final LongSupplier nanoTime) {
    this.ratePerNano = ratePerSecond / 1e9;
    this.capacity = Math.max(1, burst);
    this.nanoTime = nanoTime;
    this.tokens = capacity;
    this.last = nanoTime.getAsLong();
  }

  /** Nanoseconds to wait before one token is available (0 = take it now); takes the token when 0. */
  public synchronized long tryAcquire() {
    if (ratePerNano <= 0) {
      return 0;
    }
    final long now = nanoTime.getAsLong();
    tokens = Math.min(capacity, tokens + (now - last) * ratePerNano);
    last = now;
    if (tokens >= 1) {
      tokens -= 1;
      return 0;
    }
    return (long) Math.ceil((1 - tokens) / ratePerNano);
  }

  /** Blocks until a token is available. */
  public void acquire() throws InterruptedException {
    long wait;
    while ((wait = tryAcquire()) > 0) {
      LockSupport.parkNanos(wait);
      if (Thread.interrupted()) {
        throw new InterruptedException();
      }
    }
  }
}
