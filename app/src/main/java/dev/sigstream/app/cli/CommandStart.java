package dev.sigstream.app.cli;

import java.time.Duration;

/**
 * When the command started, on the monotonic clock: the per-artifact deadline is counted from here, so that a
 * command ends within its deadline from the user's point of view (start to exit), not from the moment its registry
 * client happened to be built. For a real process that is the process start (JVM boot included, read once from the
 * OS); for a command run in-process (tests), the start of its {@code call()}.
 */
public final class CommandStart {

  /** Longest JVM boot we believe; anything longer means a clock problem, and is ignored. */
  private static final Duration MAX_BOOT = Duration.ofSeconds(30);

  private static volatile long processStartNanos;
  private static volatile boolean processStartKnown;

  private CommandStart() {}

  /** Linux's USER_HZ: the unit of a process's start time in {@code /proc/self/stat} (100 on every mainstream arch). */
  private static final long TICKS_PER_SECOND = 100;

  /** Called first thing by {@code main}: counts the JVM's own start-up as part of the command. */
  public static void markProcessStart() {
    final long now = System.nanoTime();
    final Duration boot = processAge().filter(d -> !d.isNegative() && d.compareTo(MAX_BOOT) < 0)
        .orElse(Duration.ZERO);
    processStartNanos = now - boot.toNanos();
    processStartKnown = true;
  }

  /**
   * How long ago this process was started, from two readings of the same monotonic clock: the system uptime
   * ({@code /proc/uptime}, 10 ms resolution) minus the process start time since boot ({@code /proc/self/stat}
   * field 22, in ticks). Not {@link ProcessHandle.Info#startInstant()}: it adds the boot time, which Linux gives in
   * whole seconds, so it can be off by up to a second. Empty where {@code /proc} is not there.
   */
  private static java.util.Optional<Duration> processAge() {
    try {
      final String uptime = java.nio.file.Files.readString(java.nio.file.Path.of("/proc/uptime")).trim();
      final String stat = java.nio.file.Files.readString(java.nio.file.Path.of("/proc/self/stat"));
      final String[] after = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
      final long startTicks = Long.parseLong(after[19]);
      final double up = Double.parseDouble(uptime.substring(0, uptime.indexOf(' ')));
      return java.util.Optional.of(Duration.ofMillis(Math.round(up * 1000) - startTicks * 1000 / TICKS_PER_SECOND));
    } catch (java.io.IOException | RuntimeException e) {
      return java.util.Optional.empty();
    }
  }

  /** The origin of a command starting now: the process start if {@link #markProcessStart} ran, else now. */
  static long origin() {
    return processStartKnown ? processStartNanos : System.nanoTime();
  }
}
