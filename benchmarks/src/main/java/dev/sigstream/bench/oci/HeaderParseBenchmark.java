package dev.sigstream.bench.oci;

import dev.sigstream.oci.Digest;
import dev.sigstream.oci.Reference;
import dev.sigstream.oci.client.RegistryHeaders;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;
import java.util.function.IntFunction;

/**
 * Parse time per KiB of registry- or user-supplied text at 1 KiB and at 1 MiB, in the same run, and their ratio
 * (goal: under 2, i.e. linear; the former {@code Link} regex gave about 1,000 here). Adversarial shapes: the ones
 * that made the former regex quadratic ({@code <<<<}), unterminated quoted strings, endless parameter lists.
 *
 * <p>Two rows per header: the uncapped scanner (the real work, linear) and the capped entry point the client uses
 * (which refuses anything over the header's cap before looking at it: flat). References are capped at
 * {@link Reference#MAX_LENGTH}, so 1 MiB measures the refusal.
 *
 * <p>Run: {@code java -cp benchmarks/target/benchmarks.jar dev.sigstream.bench.oci.HeaderParseBenchmark}
 */
public final class HeaderParseBenchmark {

  private record Case(String name, Function<String, ?> parse, IntFunction<String> input) {}

  private HeaderParseBenchmark() {}

  public static void main(final String[] args) {
    final Instant now = Instant.parse("2026-01-01T00:00:00Z");
    final List<Case> cases = List.of(
        new Case("Link scanner, '<' x n", RegistryHeaders::scanLinkNext, n -> "<".repeat(n)),
        new Case("Link scanner, '<a>;' x n/4", RegistryHeaders::scanLinkNext, n -> "<a>;".repeat(n / 4)),
        new Case("Link scanner, open quote", RegistryHeaders::scanLinkNext, n -> "<a>; rel=\"" + "x".repeat(n - 10)),
        new Case("Link scanner, params", RegistryHeaders::scanLinkNext, n -> "<a>" + "; x=y".repeat(n / 5)),
        new Case("WWW-Authenticate scanner, params", RegistryHeaders::scanChallenge,
            n -> "Bearer " + "a=\"b\",".repeat(n / 6)),
        new Case("WWW-Authenticate scanner, escapes", RegistryHeaders::scanChallenge,
            n -> "Bearer a=\"" + "\\\"".repeat(n / 2)),
        new Case("Link (capped 8 KiB)", RegistryHeaders::linkNext, n -> "<".repeat(n)),
        new Case("Content-Type (capped 1 KiB)", RegistryHeaders::mediaType, n -> "a/b;" + " ".repeat(n - 4)),
        new Case("Docker-Content-Digest (capped)", RegistryHeaders::digest, n -> "sha256:" + "a".repeat(n - 7)),
        new Case("Retry-After (capped)", h -> RegistryHeaders.retryAfter(h, now), n -> "1".repeat(n)),
        new Case("Reference (capped 1024)", HeaderParseBenchmark::reference,
            n -> "a.".repeat(n / 2 - 40) + "com:1/repo@" + Digest.sha256(new byte[0])));
    System.out.printf(Locale.ROOT, "%-36s %16s %16s %8s%n", "parser / input", "ns/KiB @ 1 KiB", "ns/KiB @ 1 MiB",
        "ratio");
    double worst = 0;
    for (Case c : cases) {
      nanosPerCall(c.parse(), c.input().apply(1 << 20)); // warm-up on the large input, so neither size runs cold
      final double small = nanosPerCall(c.parse(), c.input().apply(1024));
      final double large = nanosPerCall(c.parse(), c.input().apply(1 << 20)) / 1024.0;
      final double ratio = large / small;
      if (!c.name().contains("capped")) {
        worst = Math.max(worst, ratio);
      }
      System.out.printf(Locale.ROOT, "%-36s %16.1f %16.1f %8.2f%n", c.name(), small, large, ratio);
    }
    System.out.printf(Locale.ROOT, "worst ratio of the uncapped scanners (per-KiB time at 1 MiB / at 1 KiB): %.2f "
        + "(goal < 2)%n", worst);
  }

  private static Object reference(final String s) {
    try {
      return Reference.parse(s);
    } catch (IllegalArgumentException e) {
      return e;
    }
  }

  /** Best of 7 batches (after warm-up) of at least ~50 ms each, nanoseconds per call. */
  private static double nanosPerCall(final Function<String, ?> parse, final String input) {
    int reps = 1;
    Object sink = null;
    while (true) {
      final long t0 = System.nanoTime();
      for (int i = 0; i < reps; i++) {
        sink = parse.apply(input);
      }
      if (System.nanoTime() - t0 > 50_000_000L) {
        break;
      }
      reps *= 2;
    }
    double best = Double.MAX_VALUE;
    for (int b = 0; b < 7; b++) {
      final long t0 = System.nanoTime();
      for (int i = 0; i < reps; i++) {
        sink = parse.apply(input);
      }
      best = Math.min(best, (System.nanoTime() - t0) / (double) reps);
    }
    if (sink == HeaderParseBenchmark.class) {
      throw new AssertionError();
    }
    return best;
  }
}
