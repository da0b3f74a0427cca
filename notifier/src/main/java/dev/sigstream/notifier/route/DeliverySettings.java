package dev.sigstream.notifier.route;

import java.time.Duration;

/**
 * Per-destination pacing and retry limits.
 *
 * @param ratePerSecond token-bucket refill rate (0 = unlimited)
 * @param burst token-bucket capacity
 * @param maxAttempts attempts before the dead-letter topic
 * @param initialBackoff first backoff on 5xx and timeouts, doubled per attempt with full jitter
 * @param maxBackoff cap of one backoff
 * @param maxRetryAfter a Retry-After longer than this goes to the dead-letter topic instead of stalling the destination
 * @param timeout per-request timeout
 */
public record DeliverySettings(
    double ratePerSecond, int burst, int maxAttempts, Duration initialBackoff, Duration maxBackoff, Duration maxRetryAfter, Duration timeout) {

  public static DeliverySettings defaults(final double ratePerSecond) {
    return new DeliverySettings(ratePerSecond, Math.max(1, (int) Math.ceil(ratePerSecond * 3)), 5, Duration.ofMillis(500),
        Duration.ofSeconds(30), Duration.ofSeconds(60), Duration.ofSeconds(15));
  }
}
