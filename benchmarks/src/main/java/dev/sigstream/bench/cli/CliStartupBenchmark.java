package dev.sigstream.bench.cli;

import dev.sigstream.bench.core.SignedRegistry;
import dev.sigstream.oci.Reference;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The CLI at CI speed, as whole processes started through {@code bin/sigstream} (bash launcher, JVM, class-data
 * archive, exit), against a local {@code docker-registry} seeded with Notary-signed images (a JWS and a COSE
 * signature each, revocation checked over loopback OCSP):
 *
 * <ul>
 *   <li>one-reference {@code sigstream verify}, beside the JVM floor: {@code java -version} with the very flags and
 *       class-data archive the launcher uses, in the same run (goal: at most 0.5 s and at most 3 times the floor);
 *       and the same verify with the start-up overlap off ({@code SIGSTREAM_PREWARM=off}), to show what it saves;
 *   <li>{@code sigstream verify} of N references in one call, beside N separate calls in the same run (goal: at most
 *       0.15 of the separate calls).
 * </ul>
 *
 * <p>Medians of several runs, wall time (start to exit, measured here) and CPU time (user + system, from
 * {@code /usr/bin/time} when installed). The first call of each command makes its class-data archive; that run is
 * reported on its own and not counted. Every call must exit 0 (all references PASS), else the benchmark stops.
 *
 * <p>Needs the packaged app ({@code ./mvnw -B -o -pl app -am package -DskipTests}). From the repository root:
 * {@code java -cp benchmarks/target/benchmarks.jar dev.sigstream.bench.cli.CliStartupBenchmark [runs] [refs]
 * [rounds]}; {@code JAVA_HOME} selects the JDK the launcher starts, as it does for users.
 */
public final class CliStartupBenchmark {

  private static final Path TIME = Path.of("/usr/bin/time");

  /** The switch that turns off the CLI's start-up overlap (warm-up thread, early registry requests). */
  private static final String NO_OVERLAP = "SIGSTREAM_PREWARM";

  private CliStartupBenchmark() {}

  /** Wall and CPU milliseconds of one process (CPU is -1 when {@code /usr/bin/time} is missing). */
  record Sample(long wallMs, long cpuMs) {}

  public static void main(final String[] args) throws Exception {
    if (args.length > 0 && "serve".equals(args[0])) {
      serve(args.length > 1 ? Integer.parseInt(args[1]) : 50);
      return;
    }
    final int runs = args.length > 0 ? Integer.parseInt(args[0]) : 9;
    final int refs = args.length > 1 ? Integer.parseInt(args[1]) : 50;
    final int rounds = args.length > 2 ? Integer.parseInt(args[2]) : 3;
    final Path root = Path.of(System.getProperty("sigstream.root", ".")).toAbsolutePath().normalize();
    final Path launcher = root.resolve("bin/sigstream");
    if (!Files.isDirectory(root.resolve("app/target/lib"))) {
      throw new IllegalStateException("no packaged app under " + root + "/app/target:"
          + " ./mvnw -B -o -pl app -am package -DskipTests");
    }
    final Path work = Files.createTempDirectory("sigstream-cli-bench");
    try (SignedRegistry registry = new SignedRegistry(refs)) {
      final List<String> all = registry.references().stream().map(CliStartupBenchmark::byDigest).toList();
      final List<String> common = List.of("--trust-policy", registry.trustSettings().trustPolicy().toString(),
          "--trust-store", registry.trustSettings().trustStore().toString(), "--insecure-registry", registry.host());
      final Path refsFile = Files.write(work.resolve("refs.txt"), all, StandardCharsets.UTF_8);

      final List<String> one = verify(launcher, common, List.of(all.get(0)));
      final List<String> many = verify(launcher, common, List.of("--from-file", refsFile.toString()));

      // The first verify makes the class-data archive (when the JDK and launcher do); reported, not counted.
      final Sample first = run(one, work);
      System.out.printf(Locale.ROOT, "first verify (makes the class-data archive): %d ms wall, %s CPU%n",
          first.wallMs(), cpu(first.cpuMs()));
      // The floor: the launcher's java command, flags and archive included, with -version for the main class. On
      // JDK 25+ the AOT cache is assembled in the background after the first run: wait until the launcher uses it.
      final long waitStart = System.nanoTime();
      List<String> javaCmd = launcherCommand(launcher, "verify");
      while (javaCmd.stream().anyMatch(CliStartupBenchmark::training)
          && System.nanoTime() - waitStart < java.util.concurrent.TimeUnit.MINUTES.toNanos(3)) {
        Thread.sleep(500);
        javaCmd = launcherCommand(launcher, "verify");
      }
      System.out.printf(Locale.ROOT, "class-data archive in use %d ms after the first verify exited%n",
          (System.nanoTime() - waitStart) / 1_000_000);
      final List<String> floor = new ArrayList<>(javaCmd.subList(0, javaCmd.indexOf("-cp")));
      floor.add("-version");
      System.out.printf(Locale.ROOT, "launcher: %s%n", String.join(" ", floor));
      run(floor, work);
      System.out.printf(Locale.ROOT, "JDK: %s%n", Files.readAllLines(work.resolve("out.txt")).stream()
          .filter(l -> l.contains("version")).findFirst().orElse("?"));
      System.out.printf(Locale.ROOT, "load average before: %s%n", loadAverage());
      final List<Sample> floors = new ArrayList<>();
      final List<Sample> ones = new ArrayList<>();
      final List<Sample> serial = new ArrayList<>();
      for (int i = 0; i < runs; i++) { // interleaved, so load changes hit all alike
        floors.add(run(floor, work));
        ones.add(run(one, work));
        serial.add(run(one, work, Map.of(NO_OVERLAP, "off")));
      }
      System.out.printf(Locale.ROOT, "load average after: %s%n", loadAverage());
      final Sample f = median(floors);
      final Sample o = median(ones);
      final Sample n = median(serial);
      System.out.printf(Locale.ROOT, "%n%-46s %10s %10s%n", "median of " + runs + " runs", "wall ms", "CPU ms");
      System.out.printf(Locale.ROOT, "%-46s %10d %10s%n", "JVM floor: java -version, same flags", f.wallMs(),
          cpu(f.cpuMs()));
      System.out.printf(Locale.ROOT, "%-46s %10d %10s%n", "sigstream verify, 1 reference", o.wallMs(),
          cpu(o.cpuMs()));
      System.out.printf(Locale.ROOT, "%-46s %10d %10s%n", "  same, overlap off (" + NO_OVERLAP + "=off)",
          n.wallMs(), cpu(n.cpuMs()));
      System.out.printf(Locale.ROOT, "verify / floor: %.2f (goal <= 3.0); verify wall %.3f s (goal <= 0.5 s);"
          + " start-up overlap saves %d ms wall%n", o.wallMs() / (double) f.wallMs(), o.wallMs() / 1000.0,
          n.wallMs() - o.wallMs());

      run(many, work); // the batch path's classes are in the verify archive only after a batch has run once
      final List<Sample> batched = new ArrayList<>();
      final List<Sample> separate = new ArrayList<>();
      for (int r = 0; r < rounds; r++) {
        batched.add(run(many, work));
        long wall = 0;
        long cpu = 0;
        for (final String ref : all) {
          final Sample s = run(verify(launcher, common, List.of(ref)), work);
          wall += s.wallMs();
          cpu = cpu < 0 || s.cpuMs() < 0 ? -1 : cpu + s.cpuMs();
        }
        separate.add(new Sample(wall, cpu));
      }
      final Sample b = median(batched);
      final Sample s = median(separate);
      System.out.printf(Locale.ROOT, "%n%-46s %10s %10s%n", "median of " + rounds + " rounds", "wall ms", "CPU ms");
      System.out.printf(Locale.ROOT, "%-46s %10d %10s%n", refs + " separate calls (sum)", s.wallMs(),
          cpu(s.cpuMs()));
      System.out.printf(Locale.ROOT, "%-46s %10d %10s%n", refs + " references in one call (--from-file)",
          b.wallMs(), cpu(b.cpuMs()));
      System.out.printf(Locale.ROOT, "one call / separate calls: %.3f wall, %s CPU (goal <= 0.15)%n",
          b.wallMs() / (double) s.wallMs(), b.cpuMs() < 0 || s.cpuMs() <= 0 ? "n/a"
              : String.format(Locale.ROOT, "%.3f", b.cpuMs() / (double) s.cpuMs()));
    } finally {
      try (var files = Files.walk(work)) {
        files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      }
    }
  }

  /**
   * Seeds the registry and keeps it up until killed, printing a ready verify command: for profiling by hand
   * ({@code -Xlog:class+load}, {@code -Xshare} variants).
   */
  private static void serve(final int refs) throws Exception {
    try (SignedRegistry registry = new SignedRegistry(refs)) {
      final Path file = Files.createTempFile("sigstream-refs", ".txt");
      Files.write(file, registry.references().stream().map(CliStartupBenchmark::byDigest).toList());
      System.out.printf(Locale.ROOT, "bin/sigstream verify --trust-policy %s --trust-store %s --insecure-registry %s"
          + " %s%n# or --from-file %s%n", registry.trustSettings().trustPolicy(),
          registry.trustSettings().trustStore(), registry.host(), byDigest(registry.references().get(0)), file);
      System.out.flush();
      Thread.sleep(Long.MAX_VALUE);
    }
  }

  /** A launcher flag that makes an archive rather than using one. */
  private static boolean training(final String flag) {
    return flag.startsWith("-XX:AOTMode=record") || flag.startsWith("-XX:AOTCacheOutput")
        || flag.startsWith("-XX:ArchiveClassesAtExit");
  }

  private static String byDigest(final Reference r) {
    return r.registry() + "/" + r.repository() + "@" + r.digest();
  }

  private static List<String> verify(final Path launcher, final List<String> common, final List<String> refs) {
    final List<String> cmd = new ArrayList<>(List.of(launcher.toString(), "verify"));
    cmd.addAll(common);
    cmd.addAll(refs);
    return cmd;
  }

  /** The java command the launcher runs for {@code command} ({@code SIGSTREAM_LAUNCHER_PRINT=1}). */
  private static List<String> launcherCommand(final Path launcher, final String command)
      throws IOException, InterruptedException {
    final ProcessBuilder pb = new ProcessBuilder(launcher.toString(), command);
    pb.environment().put("SIGSTREAM_LAUNCHER_PRINT", "1");
    final Process p = pb.redirectErrorStream(true).start();
    final String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (p.waitFor() != 0 || !out.contains("-cp")) {
      throw new IllegalStateException("launcher did not print its command: " + out);
    }
    return Arrays.asList(out.strip().split("\n"));
  }

  /** Runs {@code cmd} to its exit; fails unless it exits 0. */
  private static Sample run(final List<String> cmd, final Path work) throws IOException, InterruptedException {
    return run(cmd, work, Map.of());
  }

  /** The 1, 5 and 15 minute load averages ({@code /proc/loadavg}): the benchmark shares the machine's cores. */
  private static String loadAverage() {
    try {
      final String[] f = Files.readString(Path.of("/proc/loadavg")).split(" ");
      return f[0] + " " + f[1] + " " + f[2] + " on " + Runtime.getRuntime().availableProcessors() + " cores";
    } catch (final IOException | RuntimeException e) {
      return "n/a";
    }
  }

  /** Runs {@code cmd} with {@code extraEnv} to its exit; fails unless it exits 0. */
  private static Sample run(final List<String> cmd, final Path work, final Map<String, String> extraEnv)
      throws IOException, InterruptedException {
    final boolean timed = Files.isExecutable(TIME);
    final Path times = work.resolve("time.txt");
    final List<String> full = new ArrayList<>();
    if (timed) {
      full.addAll(List.of(TIME.toString(), "-f", "%U %S", "-o", times.toString()));
    }
    full.addAll(cmd);
    final Path out = work.resolve("out.txt");
    final ProcessBuilder pb = new ProcessBuilder(full).redirectErrorStream(true).redirectOutput(out.toFile());
    final Map<String, String> env = pb.environment();
    env.remove("SIGSTREAM_LAUNCHER_PRINT");
    env.remove(NO_OVERLAP);
    env.putAll(extraEnv);
    final long t0 = System.nanoTime();
    final int exit = pb.start().waitFor();
    final long wall = (System.nanoTime() - t0) / 1_000_000;
    if (exit != 0) {
      throw new IllegalStateException("exit " + exit + " from " + String.join(" ", cmd) + ":\n"
          + Files.readString(out));
    }
    long cpu = -1;
    if (timed) {
      final String[] t = Files.readString(times).strip().split("\\s+");
      cpu = Math.round((Double.parseDouble(t[t.length - 2]) + Double.parseDouble(t[t.length - 1])) * 1000);
    }
    return new Sample(wall, cpu);
  }

  private static Sample median(final List<Sample> samples) {
    final long[] w = samples.stream().mapToLong(Sample::wallMs).sorted().toArray();
    final long[] c = samples.stream().mapToLong(Sample::cpuMs).sorted().toArray();
    return new Sample(w[w.length / 2], c[c.length / 2]);
  }

  private static String cpu(final long ms) {
    return ms < 0 ? "n/a" : Long.toString(ms);
  }
}
