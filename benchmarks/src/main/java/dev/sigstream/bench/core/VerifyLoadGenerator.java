package dev.sigstream.bench.core;

import dev.sigstream.notary.TargetDescriptor;
import dev.sigstream.notary.sign.EnvelopeFormat;
import dev.sigstream.notary.sign.LocalSigningKey;
import dev.sigstream.notary.sign.NotarySigner;
import dev.sigstream.notary.sign.SignRequest;
import dev.sigstream.notary.sign.SignedEnvelope;
import dev.sigstream.oci.Descriptor;
import dev.sigstream.oci.Digest;
import dev.sigstream.oci.Reference;
import dev.sigstream.oci.auth.Credentials;
import dev.sigstream.oci.client.OciRegistryHttpClient;
import dev.sigstream.oci.client.RegistryConfig;
import dev.sigstream.oci.client.RegistryEntry;
import dev.sigstream.oci.sbom.SbomPolicy;
import dev.sigstream.testing.pki.CertSpec;
import dev.sigstream.testing.pki.Issued;
import dev.sigstream.testing.pki.KeyType;
import dev.sigstream.testing.pki.Pem;
import dev.sigstream.testing.pki.TestPki;
import dev.sigstream.testing.registry.Registries;
import dev.sigstream.testing.registry.RegistryAuth;
import dev.sigstream.testing.registry.TestRegistry;
import dev.sigstream.verifier.core.ArtifactReport;
import dev.sigstream.verifier.core.ArtifactVerifier;
import dev.sigstream.verifier.core.RegistrySettings;
import dev.sigstream.verifier.core.TrustSettings;
import dev.sigstream.verifier.core.VerifierFactory;
import dev.sigstream.verifier.core.VerifierSettings;
import dev.sigstream.verifier.core.VerifyLimits;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
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
  private static final int SIGNATURES = 2;
  private static final String MT = "application/vnd.oci.image.manifest.v1+json";
  private static final String NOTARY = "application/vnd.cncf.notary.signature";

  /** The URLs one discovery fetches, in dependency order. */
  private record Plan(Reference ref, URI manifest, URI fallbackIndex, List<URI> sigManifests, List<URI> blobs) {
    int requests() {
      return 2 + sigManifests.size() + blobs.size();
    }
  }

  private VerifyLoadGenerator() {}

  public static void main(final String[] args) throws Exception {
    final int perRun = args.length > 0 ? Integer.parseInt(args[0]) : 400;
    final int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 3;
    final Path trustDir = Files.createTempDirectory("sigstream-bench-trust");
    final ExecutorService pool = VerifierFactory.boundedExecutor("bench-verify", 2, 256);
    try (TestRegistry registry = Registries.startDistribution(RegistryAuth.NONE);
        TestPki pki = TestPki.start(Clock.systemUTC())) {
      final var root = pki.root("CN=Bench Root,O=Sigstream,C=US", KeyType.EC_P384);
      final Issued signer = root.intermediate("CN=Bench CA,O=Sigstream,C=US", KeyType.EC_P256)
          .leaf(CertSpec.leaf("CN=bench,O=Sigstream,ST=WA,C=US").keyType(KeyType.EC_P256));
      final OciRegistryHttpClient client = OciRegistryHttpClient.create(RegistryConfig.of(
          RegistryEntry.insecure(registry.host(), Credentials.ANONYMOUS)), Clock.systemUTC());
      final List<Plan> plans = seed(client, registry, signer);
      final TrustSettings trust = writeTrust(trustDir, registry.host(), Pem.certificate(root.certificate()));
      final ArtifactVerifier verifier = VerifierFactory.verifier(new VerifierSettings(trust,
          RegistrySettings.of(List.of(RegistryEntry.insecure(registry.host(), Credentials.ANONYMOUS)),
              Duration.ofSeconds(10)), VerifyLimits.DEFAULTS, SbomPolicy.NONE, pool, Clock.systemUTC()));
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

  /** A Notation configuration on disk, as an operator would write it: the factory reads it like production. */
  private static TrustSettings writeTrust(final Path dir, final String host, final String rootPem)
      throws java.io.IOException {
    final Path store = dir.resolve("truststore/x509/ca/bench");
    Files.createDirectories(store);
    Files.writeString(store.resolve("root.pem"), rootPem);
    final Path policy = dir.resolve("trustpolicy.oci.json");
    Files.writeString(policy, "{\"version\":\"1.0\",\"trustPolicies\":[{\"name\":\"bench\","
        + "\"registryScopes\":[\"*\"],\"signatureVerification\":{\"level\":\"strict\"},"
        + "\"trustStores\":[\"ca:bench\"],\"trustedIdentities\":[\"*\"]}]}");
    return new TrustSettings(policy, dir);
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
  private static CompletableFuture<Boolean> bareFetch(final HttpClient http, final Plan p) {
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

  private static List<Plan> seed(final OciRegistryHttpClient c, final TestRegistry registry, final Issued signer)
      throws Exception {
    final NotarySigner notary = NotarySigner.create(new LocalSigningKey(signer.privateKey(), signer.chain()),
        Clock.systemUTC(), null, "bench");
    final List<Plan> plans = new ArrayList<>();
    final String base = registry.url() + "/v2/";
    for (int i = 0; i < SEEDED; i++) {
      final Reference repo = Reference.repository(registry.host(), "bench/app" + (i % 8));
      final byte[] config = ("{\"architecture\":\"amd64\",\"os\":\"linux\",\"n\":" + i + "}")
          .getBytes(StandardCharsets.UTF_8);
      final byte[] layer = ("layer " + i).repeat(100).getBytes(StandardCharsets.UTF_8);
      final Descriptor cfg = c.pushBlob(repo, "application/vnd.oci.image.config.v1+json", config).get()
          .orElseThrow();
      final Descriptor lay = c.pushBlob(repo, "application/vnd.oci.image.layer.v1.tar+gzip", layer).get()
          .orElseThrow();
      final byte[] manifest = ("{\"schemaVersion\":2,\"mediaType\":\"" + MT + "\",\"config\":" + json(cfg)
          + ",\"layers\":[" + json(lay) + "]}").getBytes(StandardCharsets.UTF_8);
      final Descriptor image = c.pushManifest(repo.withTag("v" + i), MT, manifest).get().orElseThrow();
      c.pushBlob(repo, "application/vnd.oci.empty.v1+json", "{}".getBytes(StandardCharsets.UTF_8)).get()
          .orElseThrow();
      final List<URI> sigs = new ArrayList<>();
      final List<URI> blobs = new ArrayList<>();
      for (int s = 0; s < SIGNATURES; s++) {
        // Real signatures, one of each envelope format.
        final SignedEnvelope signed = notary.sign(SignRequest.of(new TargetDescriptor(image.mediaType(),
            image.digest().toString(), image.size()), s % 2 == 0 ? EnvelopeFormat.JWS : EnvelopeFormat.COSE));
        final byte[] env = signed.envelope();
        final Descriptor envD = c.pushBlob(repo, signed.mediaType(), env).get().orElseThrow();
        final byte[] sig = ("{\"schemaVersion\":2,\"mediaType\":\"" + MT + "\",\"artifactType\":\"" + NOTARY
            + "\",\"config\":{\"mediaType\":\"application/vnd.oci.empty.v1+json\",\"digest\":\""
            + Digest.sha256("{}".getBytes(StandardCharsets.UTF_8)) + "\",\"size\":2},\"layers\":[" + json(envD)
            + "],\"subject\":" + json(image) + "}").getBytes(StandardCharsets.UTF_8);
        final Descriptor sigD = c.pushReferrer(repo, MT, sig).get().orElseThrow();
        sigs.add(URI.create(base + repo.repository() + "/manifests/" + sigD.digest()));
        blobs.add(URI.create(base + repo.repository() + "/blobs/" + envD.digest()));
      }
      plans.add(new Plan(repo.withTag("v" + i).withDigest(image.digest()),
          URI.create(base + repo.repository() + "/manifests/" + image.digest()),
          URI.create(base + repo.repository() + "/manifests/" + image.digest().referrersTag()), sigs, blobs));
    }
    return plans;
  }

  private static String json(final Descriptor d) {
    return "{\"mediaType\":\"" + d.mediaType() + "\",\"digest\":\"" + d.digest() + "\",\"size\":" + d.size() + "}";
  }

  private static double median(final double[] v) {
    final double[] s = v.clone();
    Arrays.sort(s);
    return s[s.length / 2];
  }
}
