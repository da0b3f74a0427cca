package dev.sigstream.bench;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Where a phase's CPU went in this JVM, by thread group (stream threads, broker, registry front, proxy, …): each live
 * Java thread's CPU time at the start and end of the phase, grouped by a classifier of thread names. Threads that
 * ended during the phase are missing, and the JVM's own threads (JIT compiler, GC) are not Java threads: the
 * remainder of the process's CPU is printed as "JVM (JIT, GC) and ended threads".
 */
public final class ThreadCpu {

  private final Map<Long, Long> start;
  private final Map<Long, String> names;
  private final JvmFigures jvm;

  private ThreadCpu(final Map<Long, Long> start, final Map<Long, String> names, final JvmFigures jvm) {
    this.start = start;
    this.names = names;
    this.jvm = jvm;
  }

  /** The CPU time of every live thread now. */
  public static ThreadCpu now() {
    final ThreadMXBean mx = ManagementFactory.getThreadMXBean();
    final Map<Long, Long> cpu = new HashMap<>();
    final Map<Long, String> names = new HashMap<>();
    for (final ThreadInfo t : mx.getThreadInfo(mx.getAllThreadIds())) {
      if (t != null) {
        final long c = mx.getThreadCpuTime(t.getThreadId());
        if (c >= 0) {
          cpu.put(t.getThreadId(), c);
          names.put(t.getThreadId(), t.getThreadName());
        }
      }
    }
    return new ThreadCpu(cpu, names, JvmFigures.now());
  }

  /**
   * CPU per operation (ms) by group since this snapshot, largest first, on one line; threads started since count in
   * full.
   */
  public String since(final long ops, final Function<String, String> group) {
    final ThreadCpu end = now();
    final Map<String, Long> byGroup = new HashMap<>();
    long threads = 0;
    for (final Map.Entry<Long, Long> e : end.start.entrySet()) {
      final long used = e.getValue() - start.getOrDefault(e.getKey(), 0L);
      if (used > 0) {
        byGroup.merge(group.apply(end.names.get(e.getKey())), used, Long::sum);
        threads += used;
      }
    }
    final long process = end.jvm.cpuNanos() - jvm.cpuNanos();
    byGroup.merge("JVM (JIT, GC) and ended threads", Math.max(0, process - threads), Long::sum);
    final Map<String, Long> sorted = byGroup.entrySet().stream().sorted(Map.Entry.<String, Long>comparingByValue()
        .reversed()).collect(Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue, (a, b) -> a,
        LinkedHashMap::new));
    return sorted.entrySet().stream().map(e -> String.format(Locale.ROOT, "%s %.2f", e.getKey(),
        e.getValue() / 1e6 / Math.max(1, ops))).collect(Collectors.joining(", ", "CPU ms/op by thread: ", ""));
  }

  /**
   * The groups of a verifier benchmark's JVM, by the names the JDK, Kafka and Sigstream give their threads; unknown
   * names are shown by their prefix, up to the first digit or dash-digit.
   */
  public static String verifierGroups(final String name) {
    if (name == null) {
      return "?";
    }
    for (final Map.Entry<String, List<String>> g : GROUPS.entrySet()) {
      for (final String p : g.getValue()) {
        if (name.contains(p)) {
          return g.getKey();
        }
      }
    }
    return name.replaceAll("[-#]?\\d.*$", "");
  }

  private static final Map<String, List<String>> GROUPS = new LinkedHashMap<>();

  static {
    GROUPS.put("client producers/consumers", List.of("kafka-producer-network-thread", "kafka-admin-client-thread",
        "kafka-coordinator-heartbeat-thread", "-StateUpdater-", "consumer-"));
    GROUPS.put("stream threads", List.of("-StreamThread-"));
    GROUPS.put("global store thread", List.of("-GlobalStreamThread"));
    GROUPS.put("HTTP server (Jetty)", List.of("JettyServerThreadPool", "Scheduler-"));
    GROUPS.put("tcp proxy", List.of("tcp-proxy-"));
    GROUPS.put("HTTP client (JDK)", List.of("HttpClient-"));
    GROUPS.put("verifier pool", List.of("bench-verify", "sigstream-verify", "verify-"));
    GROUPS.put("registry front (JDK HttpServer)", List.of("hostile-registry", "HTTP-Dispatcher", "httpserver", "pool-"));
    GROUPS.put("broker", List.of("data-plane-kafka", "kafka-", "broker-", "controller-", "raft-", "quorum",
        "ExpirationReaper", "LogDirFailureHandler", "transaction-", "group-coordinator", "share-", "log-cleaner",
        "executor-", "scheduler-", "ThrottledChannelReaper", "metrics-", "TxnMarkerSenderThread",
        "BrokerLifecycleManager", "kafka-log-", "feature-zk", "node-to-controller"));
    GROUPS.put("timers (oci)", List.of("oci-timer"));
    GROUPS.put("load generator (main)", List.of("main"));
  }
}
