package dev.sigstream.notifier.delivery;

import dev.sigstream.notifier.route.DeliverySettings;
import java.time.Duration;
import java.util.Optional;
import java.util.random.RandomGenerator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one place that paces, retries and dead-letters deliveries to one destination: a token bucket before every
 * attempt; the target's Retry-After (or rate-limit reset) obeyed; exponential backoff with full jitter on 5xx and
 * timeouts; permanent failures and exhausted attempts to the dead-letter topic. Each destination has its own
 * Deliverer on its own thread, so a slow or throttled target never delays another.
 */
public final class Deliverer {

  private static final Logger log = LoggerFactory.getLogger(Deliverer.class);

  /** One attempt against the target; {@code recover} asks a create to look for an earlier one first. */
  @FunctionalInterface
  public interface Attempt {
    DeliveryResult send(int attempt, boolean recover);
  }

  /** Sleeps between attempts; tests pass a recording one. */
  @FunctionalInterface
  public interface Sleeper {
    void sleep(Duration d) throws InterruptedException;
  }

  /**
   * @param delivered false when the step went to the dead-letter topic
   * @param remoteId the id the target returned, if any
   * @param gone the target answered that it is gone: the destination should be disabled
   */
  public record Outcome(boolean delivered, Optional<String> remoteId, int attempts, String reason, boolean gone) {
    public Outcome(final boolean delivered, final Optional<String> remoteId, final int attempts, final String reason) {
      this(delivered, remoteId, attempts, reason, false);
    }
  }

  private final String destination;
  private final DeliverySettings settings;
  private final TokenBucket bucket;
  private final Sleeper sleeper;
  private final RandomGenerator random;
  private final NotifierMetrics metrics;

  public Deliverer(final String destination, final DeliverySettings settings, final TokenBucket bucket, final Sleeper sleeper,
      final RandomGenerator random, final NotifierMetrics metrics) {
    this.destination = destination;
    this.settings = settings;
    this.bucket = bucket;
    this.sleeper = sleeper;
    this.random = random;
    this.metrics = metrics;
  }

  /**
   * Runs attempts until one is delivered, a permanent failure, a Retry-After beyond {@code maxRetryAfter}, or
   * {@code maxAttempts}. Never throws for target failures; the caller dead-letters an undelivered outcome.
   */
  public Outcome deliver(final boolean recoverFirst, final Attempt attempt) throws InterruptedException {
    boolean recover = recoverFirst;
    String reason = "";
    for (int n = 1; n <= settings.maxAttempts(); n++) {
      bucket.acquire();
      final DeliveryResult r = attempt.send(n, recover);
      if (r instanceof DeliveryResult.Delivered d) {
        metrics.attempt(destination, "ok");
        return new Outcome(true, d.remoteId(), n, "delivered");
      }
      if (r instanceof DeliveryResult.Permanent p) {
        metrics.attempt(destination, "permanent");
        return new Outcome(false, Optional.empty(), n, "permanent: " + p.status() + " " + p.reason(), p.gone());
      }
      final DeliveryResult.Retry retry = (DeliveryResult.Retry) r;
      reason = "retry: " + retry.status() + " " + retry.reason();
      // A create that may have landed (5xx, timeout) must not be blindly repeated: look it up first next time.
      recover = recover || retry.ambiguous();
      final Duration wait;
      if (retry.retryAfter().isPresent()) {
        metrics.attempt(destination, "rate_limited");
        final Duration ra = retry.retryAfter().get();
        if (ra.compareTo(settings.maxRetryAfter()) > 0) {
          return new Outcome(false, Optional.empty(), n, "rate limited for " + ra + " (more than maxRetryAfter " + settings.maxRetryAfter() + ")");
        }
        wait = ra.plusMillis(random.nextLong(0, 250));
      } else {
        metrics.attempt(destination, "retry");
        wait = backoff(n);
      }
      if (n < settings.maxAttempts()) {
        log.debug("destination={} attempt={} {}; next in {} ms", destination, n, reason, wait.toMillis());
        sleeper.sleep(wait);
      }
    }
    return new Outcome(false, Optional.empty(), settings.maxAttempts(), "gave up after " + settings.maxAttempts() + " attempts, last " + reason);
  }

  /** Exponential backoff with full jitter (AWS architecture blog): uniform in [initial/2, min(max, initial * 2^(n-1))]. */
  Duration backoff(final int attempt) {
    final long initial = settings.initialBackoff().toMillis();
    final long cap = Math.max(initial, Math.min(settings.maxBackoff().toMillis(), initial << Math.min(20, attempt - 1)));
    return Duration.ofMillis(random.nextLong(initial / 2, cap + 1));
  }
}
