package dev.sigstream.oci;

import java.time.Duration;
import java.util.Objects;

/**
 * The one time budget of one artifact: every registry request made for it (pages of the referrers list, token
 * fetches, redirects, manifests, envelopes, SBOM documents) must end before it. Measured on the monotonic clock
 * ({@link System#nanoTime()}): a deadline is elapsed time, not a wall-clock instant, so it is immune to clock steps
 * and is the one place outside an injected {@link java.time.Clock} where the core reads time (an ArchUnit rule
 * names it as the exception).
 */
public final class Deadline {

  private final Duration budget;
  private final long startNanos;
  private final long endNanos;

  private Deadline(final Duration budget, final long startNanos) {
    if (budget.isNegative() || budget.isZero()) {
      throw new IllegalArgumentException("a deadline needs a positive budget, got " + budget);
    }
    this.budget = budget;
    this.startNanos = startNanos;
    this.endNanos = startNanos + budget.toNanos();
  }

  /** A deadline {@code budget} from now. */
  public static Deadline after(final Duration budget) {
    return new Deadline(Objects.requireNonNull(budget, "budget"), System.nanoTime());
  }

  /**
   * A deadline whose budget started at {@code startNanos} (a {@link System#nanoTime()} reading in the past, e.g.
   * when a command started), so time already spent counts against it. Passed at once if the budget is used up.
   */
  public static Deadline startedAt(final long startNanos, final Duration budget) {
    return new Deadline(Objects.requireNonNull(budget, "budget"), startNanos);
  }

  /** The budget it was created with (for messages: "did not finish within 30 s"). */
  public Duration budget() {
    return budget;
  }

  /** Time left; zero once passed, never negative. */
  public Duration remaining() {
    final long left = endNanos - System.nanoTime();
    return left <= 0 ? Duration.ZERO : Duration.ofNanos(left);
  }

  public boolean passed() {
    return endNanos - System.nanoTime() <= 0;
  }

  /** Time since the deadline was created. */
  public Duration elapsed() {
    return Duration.ofNanos(System.nanoTime() - startNanos);
  }

  /** {@code timeout}, or the time left if that is shorter: what one request may take. */
  public Duration cap(final Duration timeout) {
    final Duration left = remaining();
    return left.compareTo(timeout) < 0 ? left : timeout;
  }

  @Override
  public String toString() {
    return "Deadline[budget=" + budget.toMillis() + " ms, remaining=" + remaining().toMillis() + " ms]";
  }
}
