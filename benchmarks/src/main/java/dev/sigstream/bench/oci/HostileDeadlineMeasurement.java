package dev.sigstream.bench.oci;

import dev.sigstream.oci.Descriptor;
import dev.sigstream.oci.Digest;
import dev.sigstream.oci.FetchResult;
import dev.sigstream.oci.MediaTypes;
import dev.sigstream.oci.Reference;
import dev.sigstream.oci.auth.Credentials;
import dev.sigstream.oci.client.OciRegistryHttpClient;
import dev.sigstream.oci.client.RegistryConfig;
import dev.sigstream.oci.client.RegistryEntry;
import dev.sigstream.testing.pki.KeyType;
import dev.sigstream.testing.pki.Pem;
import dev.sigstream.testing.pki.TestPki;
import dev.sigstream.testing.registry.HostileRegistry;
import dev.sigstream.testing.registry.HostileRegistry.Attack;
import dev.sigstream.testing.registry.Registries;
import dev.sigstream.testing.registry.RegistryAuth;
import dev.sigstream.testing.registry.TestRegistry;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

/**
 * The CLI against a hostile registry, as a real process from start to exit: {@code sigstream discover | inspect |
 * verify --registry-timeout 2s} (per-artifact deadline 6 s) against the {@link HostileRegistry} proxy in front of a
 * local {@code docker-registry}, for the attacks that try to keep it busy. Prints each run's wall time as a ratio to
 * the deadline (goal: at most 1.1), beside the same-run baseline of {@code sigstream --version} (JVM start-up).
 *
 * <p>Needs the packaged app ({@code ./mvnw -B -o -pl app -am package -DskipTests}). Run from the repository root:
 * {@code java -cp benchmarks/target/benchmarks.jar dev.sigstream.bench.oci.HostileDeadlineMeasurement [app/target]}.
 * The CLI is started exactly as {@code bin/sigstream} starts it (same JVM options, same classpath).
 */
public final class HostileDeadlineMeasurement {

  private static final Duration DEADLINE = Duration.ofSeconds(6);

  private HostileDeadlineMeasurement() {}

  public static void main(final String[] args) throws Exception {
    final Path appTarget = Path.of(args.length > 0 ? args[0] : "app/target");
    final List<String> base = cli(appTarget);
    final Path work = Files.createTempDirectory("hostile-measure");
    try (TestRegistry registry = Registries.start(RegistryAuth.NONE); TestPki pki = TestPki.start()) {
      final String repo = "hostile/app";
      final Descriptor image = pushImage(registry, repo);
      final Path notation = work.resolve("notation");
      Files.createDirectories(notation.resolve("truststore/x509/ca/test"));
      Files.writeString(notation.resolve("truststore/x509/ca/test/root.pem"), Pem.certificate(
          pki.root("CN=Measure Root,O=Sigstream,C=US", KeyType.EC_P256).certificate()));
      Files.writeString(notation.resolve("trustpolicy.oci.json"), "{\"version\":\"1.0\",\"trustPolicies\":[{"
          + "\"name\":\"m\",\"registryScopes\":[\"*\"],\"signatureVerification\":{\"level\":\"strict\"},"
          + "\"trustStores\":[\"ca:test\"],\"trustedIdentities\":[\"*\"]}]}");

      final List<String> version = new ArrayList<>(base);
      version.add("--version");
      run(version); // warm the page cache and CDS archive
      final long startup = run(version)[1];
      System.out.printf(Locale.ROOT, "baseline: sigstream --version, start to exit %d ms%n", startup);
      System.out.printf(Locale.ROOT, "%-26s %-9s %5s %9s %10s %22s%n", "attack", "command", "exit", "ms",
          "ratio", "ratio without start-up");
      double worst = 0;
      String worstCase = "";
      final List<Object[]> attacks = List.of(
          new Object[] {"endless referrers 1.5 s", new Attack.EndlessReferrers(Duration.ofMillis(1500))},
          new Object[] {"every response 1.8 s", new Attack.Delay(Duration.ofMillis(1800))},
          new Object[] {"never answers", new Attack.Delay(Duration.ofSeconds(120))});
      for (Object[] a : attacks) {
        for (String command : List.of("discover", "inspect", "verify")) {
          try (HostileRegistry hostile = HostileRegistry.inFrontOf(registry).attack((Attack) a[1])) {
            final List<String> cmd = new ArrayList<>(base);
            cmd.addAll(List.of(command, "--insecure-registry", hostile.host(), "--registry-timeout", "2s"));
            if ("verify".equals(command)) {
              cmd.addAll(List.of("--notation-config", notation.toString()));
            }
            cmd.add(hostile.host() + "/" + repo + "@" + image.digest());
            final long[] r = run(cmd);
            final double ratio = r[1] / (double) DEADLINE.toMillis();
            final double net = (r[1] - startup) / (double) DEADLINE.toMillis();
            System.out.printf(Locale.ROOT, "%-26s %-9s %5d %9d %10.2f %22.2f%n", a[0], command, r[0], r[1], ratio,
                net);
            if (ratio > worst) {
              worst = ratio;
              worstCase = a[0] + " / " + command;
            }
          }
        }
      }
      System.out.printf(Locale.ROOT, "slowest hostile case: %s, %.2f x the %d ms deadline, start to exit "
          + "(goal <= 1.1)%n", worstCase, worst, DEADLINE.toMillis());
    }
  }

  /** The command line {@code bin/sigstream} runs for a CLI command. */
  private static List<String> cli(final Path appTarget) throws IOException {
    final Path jar;
    try (var s = Files.list(appTarget)) {
      jar = s.filter(p -> p.getFileName().toString().matches("sigstream-app-.*\\.jar")).findFirst()
          .orElseThrow(() -> new IllegalStateException("no sigstream-app jar in " + appTarget
              + ": ./mvnw -B -o -pl app -am package -DskipTests"));
    }
    final String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    return List.of(java, "-XX:TieredStopAtLevel=1", "-Xshare:auto", "-cp",
        jar + File.pathSeparator + appTarget.resolve("lib") + File.separator + "*", "dev.sigstream.app.Sigstream");
  }

  /** Exit code and wall milliseconds from process start to exit. */
  private static long[] run(final List<String> cmd) throws IOException, InterruptedException {
    final long t0 = System.nanoTime();
    final Process p = new ProcessBuilder(cmd).redirectOutput(ProcessBuilder.Redirect.DISCARD)
        .redirectError(ProcessBuilder.Redirect.DISCARD).start();
    if (!p.waitFor(120, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      throw new IllegalStateException("still running after 120 s: " + String.join(" ", cmd));
    }
    return new long[] {p.exitValue(), TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0)};
  }

  private static Descriptor pushImage(final TestRegistry r, final String repo) {
    final OciRegistryHttpClient c = OciRegistryHttpClient.create(RegistryConfig.of(RegistryEntry.insecure(r.host(),
        Credentials.ANONYMOUS)), Clock.systemUTC());
    final Reference repoRef = Reference.repository(r.host(), repo);
    final byte[] config = ("{\"architecture\":\"amd64\",\"os\":\"linux\",\"rootfs\":{\"type\":\"layers\","
        + "\"diff_ids\":[]},\"comment\":\"" + UUID.randomUUID() + "\"}").getBytes(StandardCharsets.UTF_8);
    found(c.pushBlob(repoRef, MediaTypes.OCI_CONFIG, config).join());
    final String manifest = "{\"schemaVersion\":2,\"mediaType\":\"" + MediaTypes.OCI_MANIFEST + "\","
        + "\"config\":{\"mediaType\":\"" + MediaTypes.OCI_CONFIG + "\",\"digest\":\"" + Digest.sha256(config)
        + "\",\"size\":" + config.length + "},\"layers\":[]}";
    return found(c.pushManifest(new Reference(r.host(), repo, "v1", null), MediaTypes.OCI_MANIFEST,
        manifest.getBytes(StandardCharsets.UTF_8)).join());
  }

  private static <T> T found(final FetchResult<T> r) {
    if (!(r instanceof FetchResult.Found<T> f)) {
      throw new IllegalStateException(r.describe());
    }
    return f.value();
  }
}
