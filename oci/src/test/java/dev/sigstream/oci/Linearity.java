package dev.sigstream.oci;

import java.util.function.Function;

/**
 * Compares the time of a parser on an input of size N and 10N in one run: linear parsing gives a ratio near 10, a
 * quadratic one near 100. No absolute time is asserted (the machine's speed does not matter, only the growth).
 */
public final class Linearity {

  private Linearity() {}

  /** Best-of-batches time per call of {@code parse} on {@code input}, in nanoseconds. */
  public static double nanosPerCall(final Function<String, ?> parse, final String input) {
    final int reps = Math.max(3, 2_000_000 / Math.max(1, input.length()));
    Object sink = null;
    for (int i = 0; i < reps; i++) {
      sink = parse.apply(input);
    }
    double best = Double.MAX_VALUE;
    for (int batch = 0; batch < 5; batch++) {
      final long t0 = System.nanoTime();
      for (int i = 0; i < reps; i++) {
        sink = parse.apply(input);
      }
      best = Math.min(best, (System.nanoTime() - t0) / (double) reps);
    }
    if (sink == Linearity.class) {
      throw new AssertionError(); // keeps the results alive
    }
    return best;
  }

  /** time(10N) / time(N), where {@code input} builds the adversarial input of a size. */
  public static double ratio(final Function<String, ?> parse, final Function<Integer, String> input, final int n) {
    final String small = input.apply(n);
    final String large = input.apply(10 * n);
    nanosPerCall(parse, large); // warm up on both sizes
    final double ts = nanosPerCall(parse, small);
    final double tl = nanosPerCall(parse, large);
    final double r = tl / ts;
    System.out.printf("linearity: N=%d %.0f ns, 10N=%d %.0f ns, ratio %.1f (linear ~10, quadratic ~100)%n",
        small.length(), ts, large.length(), tl, r);
    return r;
  }
}
