package dev.sigstream.app.cli;

import java.nio.charset.StandardCharsets;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.Signature;
import java.security.cert.CertificateFactory;
import java.security.spec.X509EncodedKeySpec;
import java.util.Base64;

/**
 * Start-up work done on the second core: a {@code sigstream verify} spends about a quarter of its CPU in picocli
 * building its command model and parsing the arguments, on one thread, while the other core is idle. This daemon
 * thread, started by {@code main} before picocli, meanwhile initialises what the verify path needs next, in the
 * order it needs it: Logback (configured in code, {@link CliLogging}), Jackson and the classes holding its mappers,
 * the JDK HttpClient, the X.509 certificate factory, the one BouncyCastle provider, and a P-256 signature check,
 * so that BouncyCastle's EC arithmetic is compiled before the chain and envelope checks need it.
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
   * A P-256 public key and an ECDSA signature of {@link #MESSAGE}, made for this class (a key pair generated once
   * with the JDK; its private key was never kept). Checking it runs the same BouncyCastle code as a chain check.
   */
  private static final String KEY = "MFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAEaw3QeHt0nnlljjZhjEvM01aNFjtW28b/YWGicKl3/r8ByB5D"
      + "p1pArimcvoRiV3orDbo97F2ObcZFOJ3+6RMISg==";
  private static final String SIGNATURE = "MEUCIQChQ6Lcjy3yv7j7UYV57XtCtgzHEGV/ztRFOab9s7FangIgaVoVqzUsFCY30LWW0EUjo/"
      + "WVxsKLWRNlf3cNhXNC7hk=";
  private static final byte[] MESSAGE = "sigstream warm-up".getBytes(StandardCharsets.UTF_8);

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
    final Thread t = new Thread(Prewarm::run, "sigstream-prewarm");
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

  private static void run() {
    try {
      StartupTiming.mark("prewarm started");
      org.slf4j.LoggerFactory.getILoggerFactory();
      StartupTiming.mark("prewarm: logging");
      init(CLASSES);
      StartupTiming.mark("prewarm: Jackson, HttpClient");
      CertificateFactory.getInstance("X.509");
      final java.security.Provider bc = dev.sigstream.notary.internal.BcProvider.get();
      StartupTiming.mark("prewarm: BouncyCastle provider");
      final PublicKey key = KeyFactory.getInstance("EC", bc)
          .generatePublic(new X509EncodedKeySpec(Base64.getDecoder().decode(KEY)));
      final Signature s = Signature.getInstance("SHA256withECDSA", bc);
      s.initVerify(key);
      s.update(MESSAGE);
      final boolean ok = s.verify(Base64.getDecoder().decode(SIGNATURE));
      StartupTiming.mark("prewarm: P-256 check " + (ok ? "verified" : "did not verify"));
      init(LATE_CLASSES);
      StartupTiming.mark("prewarm done");
    } catch (final Throwable e) { // NOPMD: a failed warm-up only means the main thread does the work itself
      StartupTiming.mark("prewarm stopped: " + e);
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
