package dev.sigstream.oci;

import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;

/**
 * A {@link RegistryReader} bounded by a {@link Deadline} from the outside: an operation started after the deadline
 * completes at once with {@link FetchResult.Unavailable} ({@code deadlineExceeded}); one still running when it
 * passes completes that way and its underlying future is cancelled. Registry adapters that can bound each of their
 * own requests (pages, token fetches, redirects) do better natively; this decorator is the generic fallback and what
 * in-memory fakes use.
 */
public final class DeadlineBoundReader implements RegistryReader {

  private final RegistryReader delegate;
  private final Deadline deadline;

  public DeadlineBoundReader(final RegistryReader delegate, final Deadline deadline) {
    this.delegate = Objects.requireNonNull(delegate, "delegate");
    this.deadline = Objects.requireNonNull(deadline, "deadline");
  }

  @Override
  public CompletableFuture<FetchResult<Descriptor>> resolve(final Reference ref) {
    return bounded(() -> delegate.resolve(ref), "resolving " + ref);
  }

  @Override
  public CompletableFuture<FetchResult<Manifest>> manifest(final Reference ref) {
    return bounded(() -> delegate.manifest(ref), "fetching manifest " + ref);
  }

  @Override
  public CompletableFuture<FetchResult<byte[]>> blob(final Reference repository, final Descriptor descriptor) {
    return bounded(() -> delegate.blob(repository, descriptor), "fetching blob " + descriptor.digest());
  }

  @Override
  public CompletableFuture<FetchResult<Referrers>> referrers(final Reference subject, final String artifactType) {
    return bounded(() -> delegate.referrers(subject, artifactType), "listing referrers of " + subject);
  }

  @Override
  public RegistryReader within(final Deadline other) {
    return new DeadlineBoundReader(delegate, other.remaining().compareTo(deadline.remaining()) < 0 ? other : deadline);
  }

  /** The result for an operation cut short by {@code deadline}. */
  public static <T> FetchResult<T> exceeded(final Deadline deadline, final String what) {
    return new FetchResult.Unavailable<>("deadline of " + deadline.budget().toMillis() + " ms passed while "
        + what, true);
  }

  private <T> CompletableFuture<FetchResult<T>> bounded(final Supplier<CompletableFuture<FetchResult<T>>> op,
      final String what) {
    return bound(op, deadline, what);
  }

  /**
   * {@code op}'s result, or {@link #exceeded} once {@code deadline} passes (then {@code op}'s future is cancelled);
   * {@code op} is not started when the deadline has already passed. Cancelling the result cancels {@code op}'s future.
   */
  public static <T> CompletableFuture<FetchResult<T>> bound(final Supplier<CompletableFuture<FetchResult<T>>> op,
      final Deadline deadline, final String what) {
    if (deadline.passed()) {
      return CompletableFuture.completedFuture(exceeded(deadline, what));
    }
    final CompletableFuture<FetchResult<T>> inner = op.get();
    final CompletableFuture<FetchResult<T>> outer = new CompletableFuture<>();
    final AtomicBoolean timedOut = new AtomicBoolean();
    inner.whenComplete((r, e) -> {
      if (timedOut.get()) {
        return;
      }
      if (e != null) {
        outer.completeExceptionally(e);
      } else {
        outer.complete(r);
      }
    });
    if (!inner.isDone()) {
      // Cancel first, then answer: whoever sees the DEADLINE_EXCEEDED result sees no request still running. The
      // timer is dropped as soon as the work finishes; the answer's dependents (the caller's next steps) run on the
      // common pool, not on the timer thread.
      final java.util.concurrent.ScheduledFuture<?> timer = Timers.schedule(() -> {
        if (!outer.isDone()) {
          timedOut.set(true);
          inner.cancel(true);
          java.util.concurrent.ForkJoinPool.commonPool().execute(() -> outer.complete(exceeded(deadline, what)));
        }
      }, deadline.remaining().toNanos());
      inner.whenComplete((r, e) -> timer.cancel(false));
    }
    // A caller that gives up (cancels) gives up the request too.
    outer.whenComplete((r, e) -> {
      if (outer.isCancelled()) {
        inner.cancel(true);
      }
    });
    return outer;
  }
}
