package dev.sigstream.bench.notary;

import java.util.Collection;
import java.util.Map;
import java.util.TreeMap;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.options.CommandLineOptions;
import org.openjdk.jmh.runner.options.Options;
import org.openjdk.jmh.runner.options.OptionsBuilder;

/**
 * Runs {@link NotaryVerifyBenchmark} and prints full verification as a share of the raw signature-check rate per
 * algorithm and format (goal: at least 85%). Accepts the usual JMH command-line options, e.g.
 * {@code java -cp benchmarks/target/benchmarks.jar dev.sigstream.bench.notary.NotaryBenchmarkRatio -f 1 -wi 2 -i 3}.
 */
public final class NotaryBenchmarkRatio {

  private NotaryBenchmarkRatio() {}

  public static void main(final String[] args) throws Exception {
    if (args.length > 0 && args[0].equals("--interleaved")) {
      interleaved();
      return;
    }
    final CommandLineOptions cli = new CommandLineOptions(args);
    final Options opts = new OptionsBuilder().parent(cli).include(NotaryVerifyBenchmark.class.getSimpleName()).build();
    final Collection<RunResult> results = new Runner(opts).run();
    final Map<String, Map<String, Double>> byParams = new TreeMap<>();
    for (final RunResult r : results) {
      final String method = r.getParams().getBenchmark().replaceAll(".*\\.", "");
      final String key = r.getParams().getParam("alg") + "/" + r.getParams().getParam("format");
      byParams.computeIfAbsent(key, k -> new TreeMap<>()).put(method, r.getPrimaryResult().getScore());
    }
    System.out.println();
    System.out.printf("%-12s %14s %14s %14s %8s  %s%n", "alg/format", "full ops/s", "raw ops/s", "other prov/s",
        "full/raw", "goal: full >= 85% of raw");
    byParams.forEach((k, m) -> {
      final double full = m.getOrDefault("fullVerify", Double.NaN);
      final double raw = m.getOrDefault("rawVerify", Double.NaN);
      final double other = m.getOrDefault("rawVerifyOtherProvider", Double.NaN);
      final double ratio = full / raw;
      System.out.printf("%-12s %14.0f %14.0f %14.0f %7.1f%%  %s%n", k, full, raw, other, ratio * 100,
          verdict(k.substring(0, k.indexOf('/')), ratio));
    });
    interleaved();
  }

  /**
   * The issue sets the goal for ES256 (P-256) and RSA-3072 (PS384, the only algorithm Notary allows for that key).
   * PS256 (RSA-2048) is measured as well and reported against the same bar, marked as outside the goal: its raw
   * check is twice as fast, so the same absolute overhead is twice the share.
   */
  static String verdict(final String alg, final double ratio) {
    final String v = ratio >= 0.85 ? "met" : "MISSED";
    return alg.equals("PS256") ? v + " (RSA-2048: measured beyond the goal)" : v;
  }

  /**
   * Cross-check robust to background load on a shared machine: alternate 250 ms blocks of full and raw
   * verification on one thread and report the median of the per-pair ratios.
   */
  static void interleaved() throws Exception {
    System.out.println();
    System.out.println("Interleaved cross-check (alternating 250 ms blocks, median of 20 pairs, after 9 s warm-up):");
    System.out.printf("%-12s %14s %14s %8s  %s%n", "alg/format", "full ops/s", "raw ops/s", "full/raw",
        "goal: full >= 85% of raw");
    for (final String alg : new String[] {"ES256", "PS384", "PS256"}) {
      for (final String format : new String[] {"JWS", "COSE"}) {
        final NotaryVerifyBenchmark b = new NotaryVerifyBenchmark();
        b.alg = alg;
        b.format = format;
        b.setUp();
        try {
          for (int w = 0; w < 3; w++) {
            block(b, true, 1500);
            block(b, false, 1500);
          }
          final double[] ratios = new double[20];
          final double[] fulls = new double[20];
          final double[] raws = new double[20];
          for (int i = 0; i < ratios.length; i++) {
            fulls[i] = block(b, true, 250);
            raws[i] = block(b, false, 250);
            ratios[i] = fulls[i] / raws[i];
          }
          java.util.Arrays.sort(ratios);
          java.util.Arrays.sort(fulls);
          java.util.Arrays.sort(raws);
          final double median = (ratios[9] + ratios[10]) / 2;
          System.out.printf("%-12s %14.0f %14.0f %7.1f%%  %s%n", alg + "/" + format, fulls[10], raws[10],
              median * 100, verdict(alg, median));
        } finally {
          b.tearDown();
        }
      }
    }
  }

  private static volatile Object sink;

  /** Operations per second over a block of {@code millis}. */
  private static double block(final NotaryVerifyBenchmark b, final boolean full, final long millis) throws Exception {
    final long end = System.nanoTime() + millis * 1_000_000L;
    long ops = 0;
    final long start = System.nanoTime();
    long now;
    do {
      for (int i = 0; i < 16; i++) {
        sink = full ? b.fullVerify() : (Object) b.rawVerify();
      }
      ops += 16;
      now = System.nanoTime();
    } while (now < end);
    return ops / ((now - start) / 1e9);
  }
}
