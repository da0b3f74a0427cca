package dev.sigstream.app.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sigstream.oci.Descriptor;
import dev.sigstream.oci.RegistryClient;
import dev.sigstream.schemas.avro.Outcome;
import dev.sigstream.schemas.avro.ReasonCode;
import dev.sigstream.schemas.avro.Verdict;
import dev.sigstream.testing.pki.Ca;
import dev.sigstream.testing.pki.CertSpec;
import dev.sigstream.testing.pki.Issued;
import dev.sigstream.testing.pki.KeyType;
import dev.sigstream.testing.pki.TestPki;
import dev.sigstream.testing.registry.RegistryExtension;
import dev.sigstream.testing.registry.TestRegistry;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code sigstream verify} with many references in one call, against the real registry harness: signed (PASS),
 * unsigned (FAIL NO_SIGNATURE) and unreachable (ERROR REGISTRY_UNAVAILABLE) artifacts mixed, from arguments,
 * {@code --from-file} and {@code --from-manifests}; one line each, a summary, JSON Lines, and the worst exit code.
 */
@Tag("integration")
@Timeout(120)
@ExtendWith(RegistryExtension.class)
class CliManyIT {

  private static final String SIGNER_DN = "CN=signer,O=Sigstream,ST=WA,C=US";

  private static TestPki pki;
  private static Ca root;
  private static Issued signer;

  @TempDir
  Path tmp;

  private TestRegistry registry;
  private RegistryClient client;
  private String repo;
  private Path key;
  private Path chain;
  private Path config;
  private String unreachable;

  @BeforeAll
  static void startPki() {
    pki = TestPki.start();
    root = pki.root("CN=Sigstream Test Root,O=Sigstream,C=US", KeyType.EC_P256);
    signer = root.intermediate("CN=Sigstream Test CA,O=Sigstream,C=US", KeyType.EC_P256)
        .leaf(CertSpec.leaf(SIGNER_DN).keyType(KeyType.EC_P256));
  }

  @AfterAll
  static void stopPki() {
    pki.close();
  }

  @BeforeEach
  void setUp(final TestRegistry registry, final TestInfo info) throws IOException {
    this.registry = registry;
    this.client = Fixtures.client(registry);
    this.repo = RegistryExtension.uniqueRepository(info);
    this.key = Fixtures.write(tmp.resolve("keys/signer.key"), Fixtures.pem(signer.privateKey()));
    this.chain = Fixtures.write(tmp.resolve("keys/signer.crt"), Fixtures.pem(signer.chain()));
    this.config = tmp.resolve("notation");
    Fixtures.write(config.resolve("truststore/x509/ca/test/root.pem"), Fixtures.pem(root.certificate()));
    Fixtures.write(config.resolve("trustpolicy.oci.json"), "{\"version\":\"1.0\",\"trustPolicies\":[{\"name\":"
        + "\"test\",\"registryScopes\":[\"*\"],\"signatureVerification\":{\"level\":\"strict\",\"override\":"
        + "{\"revocation\":\"skip\"}},\"trustStores\":[\"ca:test\"],\"trustedIdentities\":[\"*\"]}]}");
    try (ServerSocket s = new ServerSocket(0)) {
      unreachable = "127.0.0.1:" + s.getLocalPort(); // nothing listens there any more
    }
  }

  @Test
  void passFailAndError_oneLineEach_summary_exitIsTheWorst() throws Exception {
    // Given: one signed image, one unsigned, one on a registry that does not answer
    final String signed = signedImage("signed");
    final String unsigned = refAt(Fixtures.pushImage(client, registry, repo, "unsigned"));
    final String down = unreachable + "/app@sha256:" + "c".repeat(64);

    // When
    final Cli.Result all = verify(signed, unsigned, down);
    final Cli.Result passAndError = verify(signed, down);
    final Cli.Result passes = verify(signed, signed);

    // Then: FAIL is worse than ERROR, ERROR worse than PASS
    assertThat(all.exit()).as(all.toString()).isEqualTo(1);
    final List<String> lines = all.out().lines().toList();
    assertThat(lines).hasSize(4);
    assertThat(lines.get(0)).startsWith("PASS     " + signed).contains("signed by C=US,ST=WA,O=Sigstream,CN=signer");
    assertThat(lines.get(1)).startsWith("FAIL     " + unsigned).contains("NO_SIGNATURE");
    assertThat(lines.get(2)).startsWith("ERROR    " + down).contains("REGISTRY_UNAVAILABLE");
    assertThat(lines.get(3)).isEqualTo("3 references: 1 passed, 1 failed, 1 inconclusive, 0 skipped; exit 1");
    assertThat(passAndError.exit()).as(passAndError.toString()).isEqualTo(3);
    assertThat(passes.exit()).as(passes.toString()).isZero();
    assertThat(passes.out().lines().toList()).hasSize(2); // the same reference twice is verified once
  }

  @Test
  void jsonLines_oneVerdictPerReference_inInputOrder_summaryOnStderr() throws Exception {
    final String signed = signedImage("signed");
    final String unsigned = refAt(Fixtures.pushImage(client, registry, repo, "unsigned"));
    final String down = unreachable + "/app@sha256:" + "d".repeat(64);

    final Cli.Result r = verify("-o", "json", down, signed, unsigned);

    assertThat(r.exit()).as(r.toString()).isEqualTo(1);
    final List<String> lines = r.out().lines().toList();
    assertThat(lines).hasSize(3);
    final List<Verdict> verdicts = lines.stream().map(CliManyIT::verdict).toList();
    assertThat(verdicts).extracting(Verdict::getOutcome).containsExactly(Outcome.ERROR, Outcome.PASS, Outcome.FAIL);
    assertThat(verdicts).extracting(Verdict::getReasonCode).containsExactly(ReasonCode.REGISTRY_UNAVAILABLE,
        ReasonCode.OK, ReasonCode.NO_SIGNATURE);
    assertThat(verdicts.get(1).getArtifact().getDigest()).isEqualTo(signed.substring(signed.indexOf('@') + 1));
    assertThat(verdicts).extracting(Verdict::getEventId).doesNotHaveDuplicates();
    assertThat(r.err()).contains("3 references: 1 passed, 1 failed, 1 inconclusive, 0 skipped; exit 1");
  }

  @Test
  void fromManifests_initContainerSidecarCronJob_byDigestTagAndBoth() throws Exception {
    // Given: a Deployment (init container by digest, sidecar by tag, app by tag and digest) and a CronJob, as Helm
    // renders them, in a directory beside a Compose file
    final String byDigest = signedImage("init");
    final String sidecarTag = registry.host() + "/" + repo + ":sidecar";
    signedImage("sidecar");
    final String app = signedImage("app");
    final String both = registry.host() + "/" + repo + ":app@" + app.substring(app.indexOf('@') + 1);
    final String unsigned = refAt(Fixtures.pushImage(client, registry, repo, "job"));
    final Path dir = Files.createDirectories(tmp.resolve("rendered"));
    Files.writeString(dir.resolve("deploy.yaml"), """
        ---
        # Source: app/templates/deployment.yaml
        apiVersion: apps/v1
        kind: Deployment
        spec:
          template:
            spec:
              initContainers:
                - {name: migrate, image: "%s"}
                - name: proxy
                  image: %s
                  restartPolicy: Always
              containers:
                - {name: app, image: "%s"}
        ---
        # Source: app/templates/cronjob.yaml
        apiVersion: batch/v1
        kind: CronJob
        spec:
          jobTemplate:
            spec:
              template:
                spec:
                  containers:
                    - {name: job, image: "%s"}
        """.formatted(byDigest, sidecarTag, both, unsigned));
    Files.writeString(dir.resolve("compose.yml"), "services:\n  web:\n    image: " + byDigest + "\n");
    Files.writeString(dir.resolve("README.md"), "image: not/a-manifest:1\n");

    // When
    final Cli.Result r = verify("--from-manifests", dir.toString());

    // Then: the compose file repeats the init container's image (verified once); README.md is not read
    assertThat(r.exit()).as(r.toString()).isEqualTo(1);
    final Map<String, String> byRef = r.out().lines().filter(l -> !l.contains(" references: "))
        .collect(Collectors.toMap(l -> l.split("\\s+")[1], Function.identity()));
    assertThat(byRef).hasSize(4);
    assertThat(byRef.get(byDigest)).startsWith("PASS");
    assertThat(byRef.get(sidecarTag + "@" + Fixtures.found(client.resolve(
        dev.sigstream.oci.Reference.parse(sidecarTag)).join()).digest())).startsWith("PASS");
    assertThat(byRef.get(both)).startsWith("PASS");
    assertThat(byRef.get(unsigned)).startsWith("FAIL").contains("NO_SIGNATURE");
    assertThat(r.err()).contains("resolving 1 tag reference to digests");
    assertThat(r.out()).contains("4 references: 3 passed, 1 failed, 0 inconclusive, 0 skipped; exit 1");
  }

  @Test
  void fromFileAndArguments_togetherAndFromStdin() throws Exception {
    final String a = signedImage("a");
    final String b = signedImage("b");
    final Path list = Files.writeString(tmp.resolve("images.txt"), "# base images\n" + b + "\n\n");

    final Cli.Result r = verify(a, "--from-file", list.toString());
    final Cli.Result stdin = new Cli().stdin(a + "\n" + b + "\n").run("verify", "--notation-config",
        config.toString(), "--insecure-registry", registry.host(), "--from-file", "-");

    assertThat(r.exit()).as(r.toString()).isZero();
    assertThat(r.out().lines().toList()).hasSize(3).first().asString().startsWith("PASS     " + a);
    assertThat(stdin.exit()).as(stdin.toString()).isZero();
    assertThat(stdin.out()).contains("2 references: 2 passed");
  }

  // ------------------------------------------------------------------------------------------------ helpers

  private Cli.Result verify(final String... args) {
    final List<String> all = new java.util.ArrayList<>(List.of("verify", "--notation-config", config.toString(),
        "--insecure-registry", registry.host(), "--insecure-registry", unreachable, "--registry-timeout", "5s"));
    all.addAll(List.of(args));
    return new Cli().run(all.toArray(String[]::new));
  }

  /** Pushes an image under {@code tag}, signs it with the CLI, returns its reference by digest. */
  private String signedImage(final String tag) {
    final String ref = refAt(Fixtures.pushImage(client, registry, repo, tag));
    final Cli.Result s = new Cli().run("sign", "--key", key.toString(), "--cert-chain", chain.toString(),
        "--insecure-registry", registry.host(), ref);
    assertThat(s.exit()).as(s.toString()).isZero();
    return ref;
  }

  private String refAt(final Descriptor d) {
    return registry.host() + "/" + repo + "@" + d.digest();
  }

  private static Verdict verdict(final String line) {
    try {
      return CliIT.verdict(line);
    } catch (final Exception e) {
      throw new AssertionError("not a Verdict: " + line, e);
    }
  }
}
