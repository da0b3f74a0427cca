package dev.sigstream.app.cli;

import dev.sigstream.notary.cert.Certificates;
import java.security.cert.X509Certificate;
import java.util.Base64;

/**
 * Start-up work done on the second core: a {@code sigstream verify} spends about a quarter of its CPU in picocli
 * building its command model and parsing the arguments, on one thread, while the other core is idle. This daemon
 * thread, started by {@code main} before picocli, meanwhile initialises what the verify path needs next, in the
 * order it needs it: Logback (configured in code, {@link CliLogging}), Jackson and the classes holding its mappers,
 * the JDK HttpClient, the X.509 certificate factory, the one BouncyCastle provider (through a P-256 certificate check
 * of the notary's own, so that BouncyCastle's EC arithmetic is compiled before the chain and envelope checks need
 * it), and the classes of the signature, chain and OCSP checks.
 *
 * <p>It only initialises classes and checks a fixed signature of its own; it reads no input, keeps no result and
 * decides nothing, so no verdict can depend on it. When the main thread reaches a class the warm-up is still
 * initialising, it waits for it (the JVM's class-initialisation lock) instead of doing the work twice. Any failure
 * here is ignored: the main thread then does the same work itself, as it would without a warm-up. Measured phase by
 * phase with {@code SIGSTREAM_TIMING=1} (docs/cli.md, "Start-up").
 */
public final class Prewarm {

  /**
   * {@code SIGSTREAM_PREWARM=off} turns the start-up overlap off: this warm-up and the early registry requests of a
   * one-reference verify ({@link PrefetchingRegistry}). For measurements with and without, and for diagnosis.
   */
  static final String SWITCH = "SIGSTREAM_PREWARM";

  /**
   * A self-signed P-256 certificate made for this class (a key pair generated once with the JDK's keytool; its private
   * key was never kept). Checking its signature runs the code of a chain check: {@link Certificates#verifySignature},
   * BouncyCastle's ECDSA.
   */
  private static final String CERTIFICATE =
      "MIIBUTCB+KADAgECAgkA3xxTXCnTTnMwCgYIKoZIzj0EAwIwHDEaMBgGA1UEAxMRc2lnc3RyZWFtIHdhcm0tdXAwIBcNMjYx"
      + "MjAzMTUyMjM0WhgPMjEyNjExMDkxNTIyMzRaMBwxGjAYBgNVBAMTEXNpZ3N0cmVhbSB3YXJtLXVwMFkwEwYHKoZIzj0CAQYI"
      + "KoZIzj0DAQcDQgAEJ9PaDDPbf62snPcnE1EKQuALe2WUSEV8A8LNWqVsNqbCfuFRhQD0wdsLOYQaXZ0/N3uPeiK3KbR4uedN"
      + "azx0tKMhMB8wHQYDVR0OBBYEFKsnsRyNZOR2Q+G7TvjGaHfb0ZCdMAoGCCqGSM49BAMCA0gAMEUCICEwGYGS7BTS9wrEccCn"
      + "YbkXlbFYkhMR8X4fGt84LLYMAiEAthtQLsuoHzeGlpV9L7uQsij9LRORO6T1ulRGV5wKIxU=";

  /** Classes whose static initialisers build what verify uses (Jackson mappers, HttpClient internals). */
  private static final String[] CLASSES = {
      "dev.sigstream.notary.policy.TrustPolicyDocument",
      "dev.sigstream.oci.Manifest",
      "dev.sigstream.oci.client.Responses",
      "dev.sigstream.oci.client.Transport",
      "java.net.http.HttpClient",
      "jdk.internal.net.http.HttpClientImpl",
      "jdk.internal.net.http.HttpRequestImpl",
      "dev.sigstream.notary.envelope.JwsEnvelope",
      "dev.sigstream.notary.envelope.CoseEnvelope",
  };

  /** Classes of the decision (signature, chain and OCSP checks), initialised after the provider. */
  private static final String[] LATE_CLASSES = {
      "dev.sigstream.notary.envelope.SignatureAlgorithms",
      "dev.sigstream.notary.revocation.Evidence",
      "org.bouncycastle.cert.ocsp.OCSPResp",
      "org.bouncycastle.cert.ocsp.BasicOCSPResp",
      "org.bouncycastle.cert.jcajce.JcaX509CertificateConverter",
  };

  private Prewarm() {}

  /**
   * Starts the warm-up for the command {@code args} run, when it is one that verifies signatures ({@code verify})
   * and is not asking for help or the version; otherwise does nothing. Call after
   * {@link CliLogging#markCliProcess}, so Logback is configured for the CLI.
   */
  public static void start(final String[] args) {
    if (!enabled(System.getenv()) || !verifies(args)) {
      return;
    }
    final Thread t = new Thread(Prewarm::warm, "sigstream-prewarm");
    t.setDaemon(true);
    t.setPriority(Thread.NORM_PRIORITY - 1);
    t.start();
  }

  /** Whether the start-up overlap is on in the environment {@code env} ({@link #SWITCH}). */
  static boolean enabled(final java.util.Map<String, String> env) {
    return !"off".equalsIgnoreCase(env.getOrDefault(SWITCH, "on"));
  }

  /** True for {@code verify} with no help or version option. */
  static boolean verifies(final String[] args) {
    boolean verify = false;
    for (final String a : args) {
      if (a.equals("-h") || a.equals("--help") || a.equals("-V") || a.equals("--version")) {
        return false;
      }
      if (!verify && !a.startsWith("-")) {
        if (!a.equals("verify")) {
          return false;
        }
        verify = true;
      }
    }
    return verify;
  }

  /** The warm-up itself; true when every step completed (a class not found is only marked, not a failure). */
  static boolean warm() {
    try {
      StartupTiming.mark("prewarm started");
      // Longest first: the main thread needs the provider at the trust store, and by then logging and Jackson too,
      // which it can do itself in less time than the provider takes.
      final X509Certificate c = Certificates.parseDer(Base64.getDecoder().decode(CERTIFICATE));
      StartupTiming.mark("prewarm: X.509");
      // The provider is built on first use; the certificate check uses it, and compiles its EC arithmetic.
      Certificates.verifySignature(c, c.getPublicKey());
      StartupTiming.mark("prewarm: BouncyCastle provider, P-256 certificate check");
      init(CLASSES);
      StartupTiming.mark("prewarm: Jackson, HttpClient");
      org.slf4j.LoggerFactory.getILoggerFactory();
      StartupTiming.mark("prewarm: logging");
      init(LATE_CLASSES);
      StartupTiming.mark("prewarm done");
      return true;
    } catch (final Throwable e) { // NOPMD: a failed warm-up only means the main thread does the work itself
      StartupTiming.mark("prewarm stopped: " + e);
      return false;
    }
  }

  private static void init(final String[] names) {
    final ClassLoader loader = Prewarm.class.getClassLoader();
    for (final String n : names) {
      try {
        Class.forName(n, true, loader);
      } catch (final ClassNotFoundException | LinkageError e) {
        StartupTiming.mark("prewarm: no " + n);
      }
    }
  }
}
