package dev.sigstream.app.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Many-reference {@code verify}: input problems are usage errors (exit 2, one line) before any registry is asked. */
class ManyReferencesTest {

  private static final String DIGEST = "sha256:" + "a".repeat(64);

  @TempDir
  Path tmp;

  @Test
  void exitCodeOrder_failWorstThenUsageThenRegistryThenOk() {
    assertThat(ExitCodes.worst(ExitCodes.OK, ExitCodes.REGISTRY)).isEqualTo(ExitCodes.REGISTRY);
    assertThat(ExitCodes.worst(ExitCodes.REGISTRY, ExitCodes.USAGE)).isEqualTo(ExitCodes.USAGE);
    assertThat(ExitCodes.worst(ExitCodes.USAGE, ExitCodes.VERIFICATION_FAILED))
        .isEqualTo(ExitCodes.VERIFICATION_FAILED);
    assertThat(ExitCodes.worst(ExitCodes.VERIFICATION_FAILED, ExitCodes.REGISTRY))
        .isEqualTo(ExitCodes.VERIFICATION_FAILED);
    assertThat(ExitCodes.worst(ExitCodes.OK, ExitCodes.OK)).isEqualTo(ExitCodes.OK);
  }

  @Test
  void noReferenceAtAll_isAUsageError() {
    final Cli.Result r = new Cli().run("verify");

    assertThat(r.exit()).as(r.toString()).isEqualTo(2);
    assertThat(r.err()).startsWith("sigstream: no reference").hasLineCount(1);
  }

  @Test
  void invalidReferenceInFile_namesFileAndLine() throws IOException {
    final Path list = Files.writeString(tmp.resolve("refs.txt"), "# images to check\n\nregistry.example.com/a@"
        + DIGEST + "\n  not-a-reference   # the bad one\n");

    final Cli.Result r = new Cli().run("verify", "--from-file", list.toString());

    assertThat(r.exit()).as(r.toString()).isEqualTo(2);
    assertThat(r.err()).startsWith("sigstream: invalid reference (" + list + ":4)").hasLineCount(1);
  }

  @Test
  void oversizedList_isRefusedBeforeParsing() throws IOException {
    final Path list = Files.writeString(tmp.resolve("big.txt"), ("registry.example.com/a@" + DIGEST + "\n")
        .repeat(ReferenceSources.MAX_LIST_BYTES / 80 + 1000));

    final Cli.Result r = new Cli().run("verify", "--from-file", list.toString());

    assertThat(r.exit()).as(r.toString()).isEqualTo(2);
    assertThat(r.err()).contains("larger than 1024 KiB").hasLineCount(1);
  }

  @Test
  void manifestThatIsNotYaml_isAUsageErrorNamingTheFile() throws IOException {
    final Path m = Files.writeString(tmp.resolve("deploy.yaml"), "spec: [containers: {image: x");

    final Cli.Result r = new Cli().run("verify", "--from-manifests", m.toString());

    assertThat(r.exit()).as(r.toString()).isEqualTo(2);
    assertThat(r.err()).startsWith("sigstream: --from-manifests: " + m + ": not valid YAML").hasLineCount(1);
  }

  @Test
  void usernameWithReferencesOnSeveralRegistries_isAUsageError() throws IOException {
    final Path policy = Files.writeString(tmp.resolve("trustpolicy.json"), "{\"version\":\"1.0\",\"trustPolicies\":"
        + "[{\"name\":\"s\",\"registryScopes\":[\"*\"],\"signatureVerification\":{\"level\":\"skip\"},"
        + "\"trustStores\":[],\"trustedIdentities\":[]}]}");

    final Cli.Result r = new Cli().stdin("secret\n").run("verify", "--trust-policy", policy.toString(),
        "--trust-store", tmp.toString(), "-u", "me", "--password-stdin", "one.example.com/a@" + DIGEST,
        "two.example.com/b@" + DIGEST);

    assertThat(r.exit()).as(r.toString()).isEqualTo(2);
    assertThat(r.err()).contains("--username applies to one registry").doesNotContain("secret");
  }
}
