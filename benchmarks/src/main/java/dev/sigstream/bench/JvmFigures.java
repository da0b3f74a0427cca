package dev.sigstream.bench;

import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.util.Locale;

/**
 * What a phase of a load generator cost this JVM: process CPU time (user + system, all threads), JIT compilation
 * time and GC time. A phase with a large JIT figure was not warm; CPU per operation is the figure that stays steady
 * when other work shares the cores and rates do not.
 */
public record JvmFigures(long cpuNanos, long jitMillis, long gcMillis, long wallNanos) {

  /** This JVM's figures so far. */
  public static JvmFigures now() {
    long gc = 0;
    for (final GarbageCollectorMXBean b : ManagementFactory.getGarbageCollectorMXBeans()) {
      gc += Math.max(0, b.getCollectionTime());
    }
    final java.lang.management.CompilationMXBean jit = ManagementFactory.getCompilationMXBean();
    return new JvmFigures(
        ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean()).getProcessCpuTime(),
        jit != null && jit.isCompilationTimeMonitoringSupported() ? jit.getTotalCompilationTime() : 0, gc,
        System.nanoTime());
  }

  /** The figures from {@code start} until now. */
  public static JvmFigures since(final JvmFigures start) {
    final JvmFigures n = now();
    return new JvmFigures(n.cpuNanos - start.cpuNanos, n.jitMillis - start.jitMillis, n.gcMillis - start.gcMillis,
        n.wallNanos - start.wallNanos);
  }

  /** CPU per operation in milliseconds, cores busy on average, JIT and GC milliseconds, for {@code ops} operations. */
  public String describe(final long ops) {
    return String.format(Locale.ROOT, "CPU %.2f ms/op (%.2f cores busy), JIT %d ms, GC %d ms",
        cpuNanos / 1e6 / Math.max(1, ops), wallNanos == 0 ? 0 : (double) cpuNanos / wallNanos, jitMillis, gcMillis);
  }
}
