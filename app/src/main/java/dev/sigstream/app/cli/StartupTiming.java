package dev.sigstream.app.cli;

import dev.sigstream.oci.Deadline;
import dev.sigstream.oci.Descriptor;
import dev.sigstream.oci.FetchResult;
import dev.sigstream.oci.Manifest;
import dev.sigstream.oci.Reference;
import dev.sigstream.oci.Referrers;
import dev.sigstream.oci.RegistryReader;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;

/**
 * Where a CLI command's start-up goes, phase by phase: with {@code SIGSTREAM_TIMING=1} every {@link #mark} prints one
 * line to stderr with the wall time since the process started (JVM boot included, {@link CommandStart}), the
 * process's CPU time so far (user + system, from {@code /proc/self/stat}, 10 ms resolution), the calling thread's
 * ({@code /proc/thread-self/stat}: the main thread's own work, without the JIT compiler's and the warm-up's) and the
 * thread; at exit, {@link #threads} adds each thread's CPU. Off by
 * default, and then nothing is measured or loaded. docs/cli.md ("Start-up") has the table this produced.
 */
public final class StartupTiming {

  private static final boolean ON = "1".equals(System.getenv("SIGSTREAM_TIMING"));

  private StartupTiming() {}

  /** Whether timing lines are printed. */
  public static boolean on() {
    return ON;
  }

  /** One timing line for {@code phase} (reached or ended now). */
  public static void mark(final String phase) {
    if (!ON) {
      return;
    }
    final long wallMicros = (System.nanoTime() - CommandStart.origin()) / 1000;
    final String line = "sigstream-timing " + pad(wallMicros / 1000 + "." + (wallMicros / 100) % 10, 8) + " ms wall "
        + pad(Long.toString(cpuMillis("self")), 5) + " ms CPU " + pad(Long.toString(cpuMillis("thread-self")), 5)
        + " ms thread CPU  " + phase + "  [" + Thread.currentThread().getName() + "]";
    System.err.println(line);
  }

  /**
   * One timing line per thread that used at least 10 ms of CPU (JIT compiler, GC and the JVM's own threads included,
   * from {@code /proc/self/task}): where the process's CPU went, beyond the main thread. Called at exit.
   */
  public static void threads() {
    if (!ON) {
      return;
    }
    try (java.util.stream.Stream<Path> tasks = Files.list(Path.of("/proc/self/task"))) {
      final java.util.Map<String, Long> byName = new java.util.TreeMap<>();
      tasks.forEach(t -> {
        try {
          final String stat = Files.readString(t.resolve("stat"));
          final String name = stat.substring(stat.indexOf('(') + 1, stat.lastIndexOf(')'))
              .replaceAll("[0-9]+$", "#");
          final String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
          byName.merge(name, (Long.parseLong(f[11]) + Long.parseLong(f[12])) * 10, Long::sum);
        } catch (final IOException | RuntimeException e) {
          // a thread that ended meanwhile
        }
      });
      byName.forEach((n, ms) -> {
        if (ms > 0) {
          System.err.println("sigstream-timing threads " + pad(Long.toString(ms), 5) + " ms CPU  " + n);
        }
      });
    } catch (final IOException | RuntimeException e) {
      // no /proc: nothing to print
    }
  }

  private static String pad(final String s, final int width) {
    return s.length() >= width ? s : " ".repeat(width - s.length()) + s;
  }

  /**
   * User + system CPU so far of the whole process (every thread: {@code self}) or of the calling thread
   * ({@code thread-self}), or -1 where /proc is not there.
   */
  private static long cpuMillis(final String which) {
    try {
      final String stat = Files.readString(Path.of("/proc", which, "stat"));
      final String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
      return (Long.parseLong(f[11]) + Long.parseLong(f[12])) * 10; // utime, stime in USER_HZ (100) ticks
    } catch (final IOException | RuntimeException e) {
      return -1;
    }
  }

  /** {@code registry}, with a timing line at the start and end of each request when timing is on. */
  static RegistryReader registry(final RegistryReader registry) {
    return ON ? new TimedRegistry(registry) : registry;
  }

  /** Marks the start and end of each registry request. */
  private record TimedRegistry(RegistryReader delegate) implements RegistryReader {

    private <T> CompletableFuture<T> timed(final String what, final CompletableFuture<T> f) {
      return f.whenComplete((r, e) -> mark("registry " + what + " done"));
    }

    @Override
    public CompletableFuture<FetchResult<Descriptor>> resolve(final Reference ref) {
      mark("registry resolve " + ref + " sent");
      return timed("resolve", delegate.resolve(ref));
    }

    @Override
    public CompletableFuture<FetchResult<Manifest>> manifest(final Reference ref) {
      mark("registry manifest sent");
      return timed("manifest", delegate.manifest(ref));
    }

    @Override
    public CompletableFuture<FetchResult<byte[]>> blob(final Reference repository, final Descriptor descriptor) {
      mark("registry blob " + descriptor.mediaType() + " sent");
      return timed("blob", delegate.blob(repository, descriptor));
    }

    @Override
    public CompletableFuture<FetchResult<Referrers>> referrers(final Reference subject, final String artifactType) {
      mark("registry referrers sent");
      return timed("referrers", delegate.referrers(subject, artifactType));
    }

    @Override
    public RegistryReader within(final Deadline deadline) {
      return new TimedRegistry(delegate.within(deadline));
    }
  }
}
