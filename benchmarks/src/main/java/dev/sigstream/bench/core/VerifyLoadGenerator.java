package dev.sigstream.bench.core;

import dev.sigstream.testing.registry.TestRegistry;
import dev.sigstream.verifier.core.ArtifactReport;
import dev.sigstream.verifier.core.ArtifactVerifier;
import dev.sigstream.verifier.core.VerifierFactory;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntFunction;

/**
 * Load generator: artifacts verified per second through the path {@code sigstream verify} and the stream take
 * ({@link VerifierFactory} from settings, then {@link ArtifactVerifier#verify}: manifest, referrers via the tag-schema
 * fallback index, every signature manifest and envelope, all digest- and size-checked, classified, and the Notary
 * signatures verified against a trust policy and store read from files, with OCSP/CRL revocation against the test
 * PKI's loopback responders) against a local docker-registry, at 1, 4 and 16 concurrent artifacts. Beside it, in the
 * same run, the bare rate: plain JDK HttpClient GETs of exactly the same registry URLs with the same per-artifact
 * dependency shape and the same concurrency, no parsing or verification.
 *
 * <p>Run: {@code java -cp benchmarks/target/benchmarks.jar dev.sigstream.bench.core.VerifyLoadGenerator
 * [artifactsPerRun] [rounds]}.
 */
public final class VerifyLoadGenerator {

  private static final int SEEDED = 64;
  private static final int SIGNATURES = SignedRegistry.SIGNATURES;
  private static final String MT = "application/vnd.oci.image.manifest.v1+json";

  private VerifyLoadGenerator() {}

  public static void main(final String[] args) throws Exception {
    dev.sigstream.net.CommonPool.ensureParallelism(); // as the application does
    final int perRun = args.length > 0 ? Integer.parseInt(args[0]) : 400;
    final int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 3;
    final ExecutorService pool = VerifierFactory.boundedExecutor("bench-verify", 2, 256);
    try (SignedRegistry seeded = new SignedRegistry(SEEDED)) {
      final TestRegistry registry = seeded.registry;
      final List<SignedRegistry.Plan> plans = seeded.plans;
      final ArtifactVerifier verifier = VerifierFactory.verifier(seeded.settings(pool));
      final HttpClient bare = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
      final IntFunction<CompletableFuture<Boolean>> ours = i -> verifier.verify(plans.get(i % plans.size()).ref(),
          Map.of()).thenApply(r -> r.passed() && r.referrers().signatureCount() == SIGNATURES);
      final IntFunction<CompletableFuture<Boolean>> baseline = i -> bareFetch(bare, plans.get(i % plans.size()));
      final ArtifactReport first = verifier.verify(plans.get(0).ref(), Map.of()).join();
      if (!first.passed()) {
        throw new IllegalStateException("the seeded artifact does not verify: " + first.reason() + " "
            + first.detail());
      }
      // Warm-up: JIT, connection pools, the per-repository "no referrers API" memo, the revocation cache.
      run(ours, 16, perRun);
      run(baseline, 16, perRun);
      System.out.printf(Locale.ROOT, "registry: %s (%s), %d seeded artifacts x %d signatures, %d requests/artifact,"
          + " %d artifacts per measurement, median of %d rounds%n", registry.host(), registry.kind(), SEEDED,
          SIGNATURES, plans.get(0).requests(), perRun, rounds);
      System.out.printf(Locale.ROOT, "%-11s %16s %16s %10s%n", "concurrency", "verified art/s", "bare GET art/s",
          "ratio");
      for (int c : new int[] {1, 4, 16}) {
        final double[] a = new double[rounds];
        final double[] b = new double[rounds];
        for (int r = 0; r < rounds; r++) {
          // Alternate so drift (GC, page cache) hits both sides alike.
          b[r] = run(baseline, c, perRun);
          a[r] = run(ours, c, perRun);
        }
        final double oursMedian = median(a);
        final double bareMedian = median(b);
        System.out.printf(Locale.ROOT, "%-11d %16.1f %16.1f %9.1f%%   (bare %.0f GET/s)%n", c, oursMedian,
            bareMedian, 100 * oursMedian / bareMedian, bareMedian * plans.get(0).requests());
      }
    } finally {
      pool.shutdownNow();
    }
  }

  /** Runs {@code total} artifacts with {@code concurrency} in flight; returns artifacts per second. */
  private static double run(final IntFunction<CompletableFuture<Boolean>> op, final int concurrency,
      final int total) throws InterruptedException {
    final Semaphore slots = new Semaphore(concurrency);
    final AtomicInteger failures = new AtomicInteger();
    final List<CompletableFuture<Boolean>> all = new ArrayList<>(total);
    final long start = System.nanoTime();
    for (int i = 0; i < total; i++) {
      slots.acquire();
      final CompletableFuture<Boolean> f = op.apply(i);
      f.whenComplete((ok, ex) -> {
        if (ex != null || !Boolean.TRUE.equals(ok)) {
          failures.incrementAndGet();
        }
        slots.release();
      });
      all.add(f);
    }
    CompletableFuture.allOf(all.toArray(CompletableFuture[]::new)).handle((v, ex) -> null).join();
    final double secs = (System.nanoTime() - start) / 1e9;
    if (failures.get() > 0) {
      throw new IllegalStateException(failures.get() + " of " + total + " artifacts failed; figures would be"
          + " meaningless");
    }
    return total / secs;
  }

  /** Same URLs, same shape: manifest, then fallback index, then signature manifests, then their blobs. */
  private static CompletableFuture<Boolean> bareFetch(final HttpClient http, final SignedRegistry.Plan p) {
    return get(http, p.manifest(), MT).thenCompose(a -> get(http, p.fallbackIndex(),
        "application/vnd.oci.image.index.v1+json")).thenCompose(b -> all(http, p.sigManifests(), MT))
        .thenCompose(c -> all(http, p.blobs(), "*/*")).thenApply(x -> true);
  }

  private static CompletableFuture<Void> all(final HttpClient http, final List<URI> uris, final String accept) {
    return CompletableFuture.allOf(uris.stream().map(u -> get(http, u, accept)).toArray(CompletableFuture[]::new));
  }

  private static CompletableFuture<byte[]> get(final HttpClient http, final URI u, final String accept) {
    return http.sendAsync(HttpRequest.newBuilder(u).header("Accept", accept).build(),
        HttpResponse.BodyHandlers.ofByteArray()).thenApply(r -> {
          if (r.statusCode() != 200) {
            throw new IllegalStateException("GET " + u + " -> " + r.statusCode());
          }
          return r.body();
        });
  }

  private static double median(final double[] v) {
    final double[] s = v.clone();
    Arrays.sort(s);
    return s[s.length / 2];
  }
}
