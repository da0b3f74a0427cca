package dev.sigstream.testing.hsm;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A real PKCS#11 token for tests: Debian's SoftHSM 2 ({@code apt-get install softhsm2}, done by {@code
 * scripts/test}). {@link #initToken} creates a fresh token in the directory named by the {@code SOFTHSM2_CONF} file
 * the build points the test JVM at (failsafe sets it to {@code target/softhsm/softhsm2.conf}); the library reads
 * that variable once, when the JVM first loads it, so create every token a test class needs before loading a
 * provider. Tests fail with an install hint when SoftHSM is missing; they never skip.
 *
 * <pre>{@code
 * SoftHsm.Token t = SoftHsm.initToken("sigstream-test", "1234");
 * Provider p = Security.getProvider("SunPKCS11").configure("--" + t.sunPkcs11Config());
 * }</pre>
 */
public final class SoftHsm {

  /** Where Debian installs the module. */
  public static final List<Path> LIBRARIES = List.of(Path.of("/usr/lib/softhsm/libsofthsm2.so"),
      Path.of("/usr/lib/x86_64-linux-gnu/softhsm/libsofthsm2.so"), Path.of("/usr/lib/aarch64-linux-gnu/softhsm/libsofthsm2.so"));

  private static final String HINT = "SoftHSM 2 is needed for the PKCS#11 tests: run ./scripts/test (it installs it)"
      + " or apt-get install -y softhsm2";

  private SoftHsm() {}

  /**
   * A token: its slot id, the module, and a SunPKCS11 configuration for it.
   *
   * @param slot the slot id SoftHSM assigned
   * @param library the PKCS#11 module
   */
  public record Token(long slot, Path library, String label) {

    /** A SunPKCS11 configuration naming this slot; generated keys become token objects that cannot leave it. */
    public String sunPkcs11Config() {
      return "name = softhsm-" + slot + "\nlibrary = " + library + "\nslot = " + slot + "\n"
          + "attributes(generate, *, *) = {\n  CKA_TOKEN = true\n}\n"
          + "attributes(generate, CKO_PRIVATE_KEY, *) = {\n  CKA_PRIVATE = true\n  CKA_SENSITIVE = true\n"
          + "  CKA_EXTRACTABLE = false\n  CKA_SIGN = true\n}\n";
    }
  }

  /** The module, or an {@link AssertionError} with the install hint. */
  public static Path library() {
    for (final Path p : LIBRARIES) {
      if (Files.isRegularFile(p)) {
        return p;
      }
    }
    throw new AssertionError("libsofthsm2.so not found in " + LIBRARIES + ". " + HINT);
  }

  /** Initialises a new token labelled {@code label} with user PIN {@code pin} (SO PIN: the PIN reversed). */
  public static Token initToken(final String label, final String pin) throws IOException, InterruptedException {
    final Path library = library();
    final String conf = System.getenv("SOFTHSM2_CONF");
    if (conf == null || conf.isBlank()) {
      throw new AssertionError("SOFTHSM2_CONF is not set for this test JVM (the build's failsafe configuration sets"
          + " it); without it SoftHSM would use the system's token store");
    }
    final Path confFile = Path.of(conf);
    final Path tokens = confFile.resolveSibling("tokens");
    Files.createDirectories(tokens);
    Files.writeString(confFile, "directories.tokendir = " + tokens.toAbsolutePath() + "\nobjectstore.backend = file\n"
        + "log.level = ERROR\nslots.removable = false\n");
    final ProcessBuilder pb = new ProcessBuilder("softhsm2-util", "--init-token", "--free", "--label", label,
        "--pin", pin, "--so-pin", new StringBuilder(pin).reverse().toString()).redirectErrorStream(true);
    pb.environment().put("SOFTHSM2_CONF", confFile.toString());
    final Process p;
    try {
      p = pb.start();
    } catch (final IOException e) {
      throw new AssertionError("softhsm2-util cannot be run: " + e.getMessage() + ". " + HINT, e);
    }
    if (!p.waitFor(30, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      throw new IOException("softhsm2-util --init-token did not finish");
    }
    final String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    final Matcher m = Pattern.compile("reassigned to slot (\\d+)").matcher(out);
    if (p.exitValue() != 0 || !m.find()) {
      throw new IOException("softhsm2-util --init-token failed (exit " + p.exitValue() + "): " + out.trim());
    }
    return new Token(Long.parseLong(m.group(1)), library, label);
  }
}
