package dev.sigstream.app.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sigstream.oci.Descriptor;
import dev.sigstream.oci.RegistryClient;
import dev.sigstream.testing.pki.Ca;
import dev.sigstream.testing.pki.CertSpec;
import dev.sigstream.testing.pki.Issued;
import dev.sigstream.testing.pki.KeyType;
import dev.sigstream.testing.pki.TestPki;
import dev.sigstream.testing.registry.Canary;
import dev.sigstream.testing.registry.HostileRegistry;
import dev.sigstream.testing.registry.HostileRegistry.Attack;
import dev.sigstream.testing.registry.RegistryExtension;
import dev.sigstream.testing.registry.TestRegistry;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The CLI against a hostile registry: a tampering proxy ({@link HostileRegistry}) in front of the real
 * {@code docker-registry} harness, and a {@link Canary} listener standing for every host that must never be
 * contacted. For each attack class: the documented exit code, one clean line, the run over within the per-artifact
 * deadline (3 x {@code --registry-timeout 2s} = 6 s) plus a margin, and no connection to the canary. Times are
 * measured and printed; only a generous upper bound is asserted.
 */
@Tag("integration")
@Timeout(90)
@ExtendWith(RegistryExtension.class)
class HostileRegistryIT {

  private static final Duration DEADLINE = Duration.ofSeconds(6);
  /** Generous: the deadline, JVM warm-up of the first command, and a slow CI core. */
  private static final long UPPER_BOUND_MS = DEADLINE.toMillis() + 6_000;
  private static final String SIGNER_DN = "CN=signer,O=Sigstream,C=US";
  private static final List<String> TIMINGS = new ArrayList<>();

  private static TestPki pki;
  private static Ca root;
  private static Issued signer;

  @TempDir
  Path tmp;

  private TestRegistry registry;
  private RegistryClient direct;
  private HostileRegistry hostile;
  private Canary canary;
  private String repo;
  private Descriptor image;
  private Path notation;

  @BeforeAll
  static void startPki() {
    pki = TestPki.start();
    root = pki.root("CN=Hostile Test Root,O=Sigstream,C=US", KeyType.EC_P256);
    signer = root.leaf(CertSpec.leaf(SIGNER_DN).keyType(KeyType.EC_P256));
  }

  @AfterAll
  static void stopPki() {
    pki.close();
    System.out.println("hostile registry timings (deadline " + DEADLINE.toMillis() + " ms):");
    TIMINGS.forEach(t -> System.out.println("  " + t));
  }

  @BeforeEach
  void setUp(final TestRegistry registry, final TestInfo info) throws IOException {
    this.registry = registry;
    this.direct = Fixtures.client(registry);
    this.repo = RegistryExtension.uniqueRepository(info);
    this.image = Fixtures.pushImage(direct, registry, repo, "v1");
    this.hostile = HostileRegistry.inFrontOf(registry);
    this.canary = Canary.start();
    this.notation = Files.createTempDirectory(tmp, "notation");
    Fixtures.write(notation.resolve("truststore/x509/ca/test/root.pem"), Fixtures.pem(root.certificate()));
    Fixtures.write(notation.resolve("trustpolicy.oci.json"), "{\"version\":\"1.0\",\"trustPolicies\":[{\"name\":"
        + "\"test\",\"registryScopes\":[\"*\"],\"signatureVerification\":{\"level\":\"strict\",\"override\":"
        + "{\"revocation\":\"skip\"}},\"trustStores\":[\"ca:test\"],\"trustedIdentities\":[\"*\"]}]}");
  }

  @AfterEach
  void tearDown() {
    hostile.close();
    canary.close();
  }

  // ------------------------------------------------------------------------------------------------ deadline

  @ParameterizedTest
  @ValueSource(strings = {"discover", "inspect", "verify"})
  void endlessSlowReferrerPages_endAtTheDeadline(final String command) {
    // Given: each page 1.5 s (within the 2 s request timeout), always a next page
    hostile.attack(new Attack.EndlessReferrers(Duration.ofMillis(1500)));

    // When
    final Timed t = run(command, "endless referrers", refAt());

    // Then
    assertThat(t.result.exit()).as(t.result.toString()).isEqualTo(3);
    assertThat(t.diagnostic()).contains("deadline");
    assertThat(hostile.referrerPages()).isBetween(1, 6);
    assertWithinDeadline(t);
    assertThat(canary.count()).isZero();
  }

  @ParameterizedTest
  @ValueSource(strings = {"discover", "inspect", "verify"})
  void everyResponseSlowButWithinTheRequestTimeout_endsByTheDeadline(final String command) {
    // Given: 1.8 s per response. discover needs four requests (resolve, manifest, referrers, tag-schema index), so
    // it cannot finish; inspect and verify by digest need three and may just finish in time.
    hostile.attack(new Attack.Delay(Duration.ofMillis(1800)));

    final Timed t = run(command, "every response 1.8 s", refAt());

    switch (command) {
      case "discover" -> {
        assertThat(t.result.exit()).as(t.result.toString()).isEqualTo(3);
        assertThat(t.diagnostic()).contains("deadline");
      }
      case "inspect" -> assertThat(t.result.exit()).as(t.result.toString()).isIn(0, 3);
      default -> assertThat(t.result.exit()).as("no signature: never 0. " + t.result).isIn(1, 3);
    }
    assertWithinDeadline(t);
  }

  @ParameterizedTest
  @ValueSource(strings = {"discover", "inspect", "verify"})
  void registryThatNeverAnswers_failsAfterTheRequestTimeout(final String command) {
    hostile.attack(new Attack.Delay(Duration.ofSeconds(60)));

    final Timed t = run(command, "never answers", refAt());

    assertThat(t.result.exit()).as(t.result.toString()).isEqualTo(3);
    assertThat(t.diagnostic()).containsAnyOf("timed out", "deadline");
    assertWithinDeadline(t);
  }

  // ------------------------------------------------------------------------------------------------ steering

  @ParameterizedTest
  @ValueSource(strings = {"discover", "inspect", "verify"})
  void redirectToAnotherHost_isRefusedBeforeConnecting_exit2(final String command) {
    hostile.attack(new Attack.Redirect(canary.url()));

    final Timed t = run(command, "redirect to canary", refAt());

    assertThat(t.result.exit()).as(t.result.toString()).isEqualTo(2);
    assertThat(t.diagnostic()).contains(canary.host()).contains("not allowed");
    assertThat(canary.count()).isZero();
    assertWithinDeadline(t);
  }

  @ParameterizedTest
  @ValueSource(strings = {"discover", "inspect", "verify"})
  void tokenRealmOnAnotherHost_isRefusedBeforeConnecting_exit2(final String command) {
    hostile.attack(new Attack.TokenRealm(canary.url() + "/token"));

    final Timed t = run(command, "token realm on canary", refAt());

    assertThat(t.result.exit()).as(t.result.toString()).isEqualTo(2);
    assertThat(t.diagnostic()).contains(canary.host());
    assertThat(canary.count()).isZero();
    assertWithinDeadline(t);
  }

  @ParameterizedTest
  @ValueSource(strings = {"discover", "inspect", "verify"})
  void nextPageLinkToAnotherHost_isRefusedBeforeConnecting(final String command) {
    hostile.attack(new Attack.LinkTo(canary.url() + "/v2/" + repo + "/referrers/" + image.digest()));

    final Timed t = run(command, "Link to canary", refAt());

    assertThat(t.result.exit()).as(t.result.toString()).isEqualTo(2);
    assertThat(t.diagnostic()).contains(canary.host());
    assertThat(canary.count()).isZero();
    assertWithinDeadline(t);
  }

  // ------------------------------------------------------------------------------------------------ lies

  @ParameterizedTest
  @ValueSource(strings = {"discover", "inspect", "verify"})
  void lyingDockerContentDigest_neverSucceeds(final String command) {
    hostile.attack(new Attack.LyingDigest());

    final Timed t = run(command, "lying digest (by tag)", hostile.host() + "/" + repo + ":v1");

    assertThat(t.result.exit()).as(t.result.toString()).isNotZero();
    assertThat(t.result.out()).doesNotContain("Successfully verified");
    assertWithinDeadline(t);
  }

  @ParameterizedTest
  @ValueSource(strings = {"inspect", "verify"})
  void lyingBlobSizes_neverVerify(final String command) throws IOException {
    // Given: a real signature, pushed straight to the registry; the proxy then pads every blob it serves
    final Path key = Fixtures.write(tmp.resolve("signer.key"), Fixtures.pem(signer.privateKey()));
    final Path chain = Fixtures.write(tmp.resolve("signer.crt"), Fixtures.pem(signer.chain()));
    final Cli.Result sign = new Cli().run("sign", "--key", key.toString(), "--cert-chain", chain.toString(),
        "--insecure-registry", registry.host(), registry.host() + "/" + repo + "@" + image.digest());
    assertThat(sign.exit()).as(sign.toString()).isZero();
    final Cli.Result honest = new Cli().run("verify", "--notation-config", notation.toString(),
        "--insecure-registry", hostile.host(), refAt());
    assertThat(honest.exit()).as("through the honest proxy: " + honest).isZero();
    hostile.attack(new Attack.LyingSize(1L << 40, 16));

    // When
    final Timed t = run(command, "lying sizes", refAt());

    // Then
    assertThat(t.result.out()).doesNotContain("Successfully verified");
    if ("verify".equals(command)) {
      assertThat(t.result.exit()).as(t.result.toString()).isNotZero();
    }
    assertWithinDeadline(t);
  }

  // ------------------------------------------------------------------------------------------------ huge headers

  @ParameterizedTest
  @ValueSource(strings = {"discover", "inspect", "verify"})
  void hugeLinkHeader_isCappedNotParsed(final String command) {
    hostile.attack(new Attack.HugeHeader("Link", 300_000, '<'));

    final Timed t = run(command, "300,000-character Link", refAt());

    assertOneCleanOutcome(t);
    assertWithinDeadline(t);
  }

  @ParameterizedTest
  @ValueSource(strings = {"discover", "inspect", "verify"})
  void hugeWwwAuthenticate_isCappedNotParsed_exit3(final String command) {
    hostile.attack(new Attack.HugeHeader("WWW-Authenticate", 300_000, ','));

    final Timed t = run(command, "300,000-character WWW-Authenticate", refAt());

    assertThat(t.result.exit()).as(t.result.toString()).isEqualTo(3);
    assertWithinDeadline(t);
  }

  @ParameterizedTest
  @ValueSource(strings = {"discover", "inspect", "verify"})
  void hugeContentType_isCappedNotParsed(final String command) {
    hostile.attack(new Attack.HugeHeader("Content-Type", 300_000, ';'));

    final Timed t = run(command, "300,000-character Content-Type", refAt());

    assertOneCleanOutcome(t);
    assertThat(t.result.out()).doesNotContain("Successfully verified");
    assertWithinDeadline(t);
  }

  // ------------------------------------------------------------------------------------------------ helpers

  private record Timed(Cli.Result result, long millis) {
    /** Where the command reports a failure: its stderr line, or for verify the report on stdout. */
    String diagnostic() {
      return result.err() + result.out();
    }
  }

  private Timed run(final String command, final String attack, final String reference) {
    final List<String> args = new ArrayList<>(List.of(command, "--insecure-registry", hostile.host(),
        "--registry-timeout", "2s"));
    if ("verify".equals(command)) {
      args.addAll(List.of("--notation-config", notation.toString()));
    }
    args.add(reference);
    final long t0 = System.nanoTime();
    final Cli.Result r = new Cli().run(args.toArray(String[]::new));
    final long ms = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
    final String line = String.format("%-36s %-8s exit %d  %6d ms  ratio to deadline %.2f", attack, command,
        r.exit(), ms, ms / (double) DEADLINE.toMillis());
    System.out.println("hostile: " + line);
    synchronized (TIMINGS) {
      TIMINGS.add(line);
    }
    assertOneCleanOutcome(new Timed(r, ms));
    return new Timed(r, ms);
  }

  private String refAt() {
    return hostile.host() + "/" + repo + "@" + image.digest();
  }

  private static void assertWithinDeadline(final Timed t) {
    assertThat(t.millis).as("run took %d ms", t.millis).isLessThan(UPPER_BOUND_MS);
  }

  /** stderr: nothing, or exactly one {@code sigstream: } line, with no control character; no stack trace. */
  private static void assertOneCleanOutcome(final Timed t) {
    final String err = t.result.err();
    assertThat(err).doesNotContain("\tat ").doesNotContain("Exception in");
    final List<String> lines = err.lines().filter(l -> !l.startsWith("Warning: ")).toList();
    if (t.result.exit() != 0 && t.result.out().isEmpty()) {
      assertThat(lines).as(t.result.toString()).hasSize(1);
      assertThat(lines.get(0)).startsWith("sigstream: ");
    } else {
      assertThat(lines).as(t.result.toString()).isEmpty();
    }
    assertThat((err + t.result.out()).chars().noneMatch(c -> c == '\r' || c == 0x1b || c == 0x7f))
        .as("no raw control characters").isTrue();
  }
}
