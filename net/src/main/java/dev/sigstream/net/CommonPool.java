package dev.sigstream.net;

/**
 * Keeps {@code CompletableFuture}'s default executor a pool on small machines.
 *
 * <p>With fewer than 3 processors available (a 2-core machine, or a container limited to 2 CPUs or less: the usual
 * Kubernetes sizing) the JDK's common pool has a parallelism of 1, and {@code CompletableFuture} then runs every
 * default-executor task on <em>a new thread</em> ({@code ThreadPerTaskExecutor}). The JDK HttpClient hands the
 * completion of every {@code sendAsync} to that default executor, so each registry or revocation request started
 * and ended a thread: 61,000 threads in one run of the stream benchmark, about one per request. A parallelism of at
 * least 2 makes it the common pool, whose threads are reused.
 *
 * <p>The setting is read once, when the common pool is first used: {@link #ensureParallelism()} is the first
 * statement of every {@code main} that starts the verifier (the application, the benchmarks). An explicit
 * {@code -Djava.util.concurrent.ForkJoinPool.common.parallelism} is left as given.
 */
public final class CommonPool {

  static final String PROPERTY = "java.util.concurrent.ForkJoinPool.common.parallelism";

  private CommonPool() {}

  /** Sets the common pool's parallelism to at least 2 unless it was set, if the pool is not in use yet. */
  public static void ensureParallelism() {
    if (System.getProperty(PROPERTY) == null) {
      System.setProperty(PROPERTY, Integer.toString(Math.max(2, Runtime.getRuntime().availableProcessors() - 1)));
    }
  }
}
