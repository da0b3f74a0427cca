package dev.sigstream.app.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Bad input: one clear line on stderr, the documented exit code, and a stack trace only with --debug. */
class CliErrorsTest {

  private static final String DIGEST = "sha256:" + "c".repeat(64);

  @TempDir
  Path tmp;

  @Test
  void malformedReference_exits2_withOneLine() {
    final Cli.Result r = new Cli().run("verify", "not-a-reference");

    assertThat(r.exit()).isEqualTo(2);
    assertThat(r.err()).isEqualTo("sigstream: invalid reference: reference 'not-a-reference' must start with a"
        + " registry host, e.g. registry.example.com/repo:tag\n");
    assertThat(r.out()).isEmpty();
  }

  @Test
  void referenceWithoutTagOrDigest_exits2() {
    final Cli.Result r = new Cli().run("inspect", "registry.example.com/app");

    assertThat(r.exit()).isEqualTo(2);
    assertThat(r.err()).startsWith("sigstream: invalid reference:").contains("needs a :tag or an @digest");
  }

  @Test
  void missingTrustPolicy_exits2_namingWhereItWasLookedFor() {
    final Path empty = tmp.resolve("notation");
    final Cli.Result r = new Cli().env(Map.of("NOTATION_CONFIG", empty.toString()))
        .run("verify", "registry.example.com/app@" + DIGEST);

    assertThat(r.exit()).isEqualTo(2);
    assertThat(r.err()).startsWith("sigstream: no trust policy: pass --trust-policy FILE, or create"
        + " trustpolicy.oci.json in " + empty);
    assertThat(r.err().lines().count()).isEqualTo(1);
  }

  @Test
  void defaultNotationLocation_isXdgConfigHome() throws IOException {
    final Path xdg = tmp.resolve("xdg");
    Fixtures.write(xdg.resolve("notation/trustpolicy.oci.json"), "{\"version\":\"2.0\",\"trustPolicies\":[]}");

    final Cli.Result r = new Cli().env(Map.of("XDG_CONFIG_HOME", xdg.toString()))
        .run("verify", "registry.example.com/app@" + DIGEST);

    assertThat(r.exit()).isEqualTo(2);
    assertThat(r.err()).contains("invalid trust policy " + xdg.resolve("notation/trustpolicy.oci.json"));
  }

  @Test
  void invalidTrustPolicy_exits2_namingStatementAndField() throws IOException {
    final Path policy = Fixtures.write(tmp.resolve("trustpolicy.json"), "{\"version\":\"1.0\",\"trustPolicies\":[{"
        + "\"name\":\"prod-images\",\"registryScopes\":[\"registry.example.com/app\"],"
        + "\"signatureVerification\":{\"level\":\"strictest\"},\"trustStores\":[\"ca:prod\"],"
        + "\"trustedIdentities\":[\"*\"]}]}");

    final Cli.Result r = new Cli().run("verify", "--trust-policy", policy.toString(), "--trust-store",
        tmp.toString(), "registry.example.com/app@" + DIGEST);

    assertThat(r.exit()).isEqualTo(2);
    assertThat(r.err()).startsWith("sigstream: invalid trust policy " + policy + ": ")
        .contains("prod-images").contains("level").doesNotContain("\tat ");
    assertThat(r.err().lines().count()).isEqualTo(1);
  }

  @Test
  void debug_addsTheStackTrace() throws IOException {
    final Path policy = Fixtures.write(tmp.resolve("trustpolicy.json"), "{not json");

    final Cli.Result plain = new Cli().run("verify", "--trust-policy", policy.toString(),
        "registry.example.com/app@" + DIGEST);
    final Cli.Result debug = new Cli().run("--debug", "verify", "--trust-policy", policy.toString(),
        "registry.example.com/app@" + DIGEST);

    assertThat(plain.exit()).isEqualTo(2);
    assertThat(plain.err()).doesNotContain("\tat ");
    assertThat(debug.exit()).isEqualTo(2);
    assertThat(debug.err()).contains("TrustPolicyException").contains("\tat ");
  }

  @Test
  void trustStoreNotInNotationLayout_exits2() throws IOException {
    final Path policy = Fixtures.write(tmp.resolve("p/trustpolicy.json"), "{\"version\":\"1.0\",\"trustPolicies\":[{"
        + "\"name\":\"a\",\"registryScopes\":[\"*\"],\"signatureVerification\":{\"level\":\"strict\"},"
        + "\"trustStores\":[\"ca:x\"],\"trustedIdentities\":[\"*\"]}]}");

    final Cli.Result r = new Cli().run("verify", "--trust-policy", policy.toString(), "--trust-store",
        tmp.resolve("p").toString(), "registry.example.com/app@" + DIGEST);

    assertThat(r.exit()).isEqualTo(2);
    assertThat(r.err()).contains("is not in Notation's layout");
  }

  @Test
  void badOutputFormat_andUnknownOption_exit2() {
    final Cli.Result bad = new Cli().run("discover", "-o", "yaml", "registry.example.com/app@" + DIGEST);
    final Cli.Result unknown = new Cli().run("verify", "--no-such-option", "registry.example.com/app@" + DIGEST);

    assertThat(bad.exit()).isEqualTo(2);
    assertThat(bad.err()).isEqualTo("sigstream: --output must be text or json, not 'yaml'\n");
    assertThat(unknown.exit()).isEqualTo(2);
    assertThat(unknown.err()).startsWith("sigstream: Unknown option: '--no-such-option'");
  }

  @Test
  void sign_badExpiry_missingKey_andTwoStdinReaders_exit2() throws IOException {
    final Path key = Fixtures.write(tmp.resolve("k.pem"), "not a key");

    final Cli.Result expiry = new Cli().run("sign", "--key", key.toString(), "--expiry", "soon",
        "registry.example.com/app@" + DIGEST);
    final Cli.Result missing = new Cli().run("sign", "--key", tmp.resolve("nope.p12").toString(),
        "registry.example.com/app@" + DIGEST);
    final Cli.Result garbage = new Cli().run("sign", "--key", key.toString(), "registry.example.com/app@" + DIGEST);
    final Cli.Result both = new Cli().run("sign", "--key", key.toString(), "--key-password-stdin",
        "-u", "me", "--password-stdin", "registry.example.com/app@" + DIGEST);

    assertThat(expiry.exit()).isEqualTo(2);
    assertThat(expiry.err()).contains("--expiry: invalid duration 'soon'");
    assertThat(missing.exit()).isEqualTo(2);
    assertThat(missing.err()).contains("does not exist");
    assertThat(garbage.exit()).isEqualTo(2);
    assertThat(garbage.err()).startsWith("sigstream: cannot load signing key").contains("PKCS#12");
    assertThat(both.exit()).isEqualTo(2);
    assertThat(both.err()).contains("cannot both read stdin");
  }

  @Test
  void durations_parseUnits() {
    assertThat(Durations.parse("--expiry", "24h")).hasHours(24);
    assertThat(Durations.parse("--expiry", "30d")).hasDays(30);
    assertThat(Durations.parse("--expiry", "90m")).hasMinutes(90);
    assertThat(Durations.parse("--expiry", "15s")).hasSeconds(15);
  }

  @Test
  void help_listsTheCommands_andExits0() {
    final Cli.Result r = new Cli().run("--help");

    assertThat(r.exit()).isZero();
    assertThat(r.out()).contains("verify").contains("sign").contains("inspect").contains("discover").contains("run");
  }
}
