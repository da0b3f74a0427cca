package dev.sigstream.oci;

import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * The registry client's one timer thread: request timeouts, deadlines and the per-host token bucket's waits. Tasks
 * are tiny (cancel an exchange, complete a future, start the next waiting request, which is asynchronous) and are
 * dropped when cancelled, so a finished request leaves nothing behind. {@code CompletableFuture.delayedExecutor}
 * without an executor was used before: its tasks run on the default executor, which on a 2-processor machine starts
 * a thread per task, and a deadline's task stayed queued (with what it referenced) until the deadline even when
 * the work had long finished.
 */
public final class Timers {

  private static final ScheduledThreadPoolExecutor TIMER = timer();

  private Timers() {}

  /** Runs {@code task} on the timer thread after {@code nanos}; cancel the result when it is no longer needed. */
  public static ScheduledFuture<?> schedule(final Runnable task, final long nanos) {
    return TIMER.schedule(task, Math.max(0, nanos), TimeUnit.NANOSECONDS);
  }

  private static ScheduledThreadPoolExecutor timer() {
    final ScheduledThreadPoolExecutor t = new ScheduledThreadPoolExecutor(1, r -> {
      final Thread th = new Thread(r, "oci-timer");
      th.setDaemon(true);
      return th;
    });
    t.setRemoveOnCancelPolicy(true);
    return t;
  }
}
