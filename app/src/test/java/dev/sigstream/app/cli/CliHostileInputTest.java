package dev.sigstream.app.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Hostile references and options: every command answers a usage error (exit 2) in one printable, bounded line —
 * no stack overflow, no raw control character, no line of ours faked by the input. No registry is contacted.
 */
class CliHostileInputTest {

  private static final String DIGEST = "sha256:" + "c".repeat(64);
  private static final List<String> COMMANDS = List.of("verify", "inspect", "discover", "sign");

  @TempDir
  Path tmp;

  private Cli.Result run(final String command, final String... rest) {
    final String[] args = new String[rest.length + ("sign".equals(command) ? 3 : 1)];
    args[0] = command;
    int i = 1;
    if ("sign".equals(command)) {
      args[i++] = "--key";
      args[i++] = tmp.resolve("none.key").toString();
    }
    System.arraycopy(rest, 0, args, i, rest.length);
    return new Cli().home(tmp).env(java.util.Map.of("NOTATION_CONFIG", tmp.toString())).run(args);
  }

  @ParameterizedTest
  @ValueSource(strings = {"verify", "inspect", "discover", "sign"})
  void hostOf4000Characters_isAUsageError_notAStackOverflow(final String command) {
    final Cli.Result r = run(command, "a.".repeat(2000) + "com:1/repo@" + DIGEST);

    assertUsageLine(r);
    assertThat(r.err()).contains("invalid reference");
  }

  @ParameterizedTest
  @ValueSource(strings = {"verify", "inspect", "discover", "sign"})
  void portOutOfRange_isAUsageError(final String command) {
    final Cli.Result r = run(command, "registry.example.com:99999/repo@" + DIGEST);

    assertUsageLine(r);
    assertThat(r.err()).contains("port must be 1..65535");
  }

  @ParameterizedTest
  @ValueSource(strings = {"verify", "inspect", "discover", "sign"})
  void controlCharactersInTheReference_areEscaped_oneLine(final String command) {
    final Cli.Result r = run(command, "registry.example.com/re\r\nsigstream: Successfully verified\u001b[2K\u202e"
        + "po@" + DIGEST);

    assertUsageLine(r);
    assertThat(r.err()).contains("\\u000d\\u000a").doesNotContain("\nsigstream: Successfully");
  }

  @Test
  void hugeReference_isAUsageError_withABoundedLine() {
    for (final String command : COMMANDS) {
      final Cli.Result r = run(command, "registry.example.com/" + "a".repeat(1_000_000) + ":t");

      assertUsageLine(r);
      assertThat(r.err().length()).isLessThan(TerminalSafe.MAX_LINE + 100);
    }
  }

  @Test
  void badAllowAndInsecureRegistryHosts_areUsageErrors() {
    for (final String command : COMMANDS) {
      final Cli.Result allow = run(command, "--allow-registry", "bad host\u001b:99999", "registry.example.com/r@"
          + DIGEST);
      final Cli.Result insecure = run(command, "--insecure-registry", "h:0", "registry.example.com/r@" + DIGEST);

      if (!"sign".equals(command) && !"verify".equals(command)) {
        assertUsageLine(allow);
        assertThat(allow.err()).contains("--allow-registry");
        assertUsageLine(insecure);
        assertThat(insecure.err()).contains("--insecure-registry");
      } else {
        // verify and sign fail earlier on their own configuration (trust policy, key): still exit 2, one line
        assertUsageLine(allow);
        assertUsageLine(insecure);
      }
    }
  }

  @Test
  void unknownOptionWithEscapeSequences_isEscaped() {
    final Cli.Result r = new Cli().run("discover", "--\u001b[31mevil", "registry.example.com/r@" + DIGEST);

    assertThat(r.exit()).isEqualTo(2);
    assertThat(r.err().chars().noneMatch(c -> c == 0x1b)).isTrue();
    assertThat(r.err()).contains("\\u001b");
  }

  @Test
  void terminalSafe_escapesEveryDangerousClass() {
    assertThat(TerminalSafe.line("a\rb\nc\u001bd\u007fe\u0085f\u202eg\u2066h\u2028i\tj"))
        .isEqualTo("a\\u000db\\u000ac\\u001bd\\u007fe\\u0085f\\u202eg\\u2066h\\u2028i\\u0009j");
    assertThat(TerminalSafe.line("x".repeat(5000))).hasSizeLessThan(TerminalSafe.MAX_LINE + 40)
        .endsWith("(3976 more characters)");
    assertThat(TerminalSafe.line(null)).isEqualTo("(no message)");
  }

  private static void assertUsageLine(final Cli.Result r) {
    assertThat(r.exit()).as(r.toString()).isEqualTo(2);
    assertThat(r.err().lines().count()).as(r.toString()).isEqualTo(1);
    assertThat(r.err()).startsWith("sigstream: ").doesNotContain("StackOverflow").doesNotContain("\tat ");
    assertThat(r.err().chars().noneMatch(c -> (c < 0x20 && c != '\n') || c == 0x7f || (c >= 0x80 && c <= 0x9f)
        || (c >= 0x202a && c <= 0x202e))).as("no raw control characters: %s", r.err()).isTrue();
    assertThat(r.out()).isEmpty();
  }
}
