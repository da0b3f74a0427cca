package dev.sigstream.verifier.core;

import dev.sigstream.notary.NotaryVerifier;
import dev.sigstream.notary.revocation.HttpRevocationFetcher;
import dev.sigstream.notary.revocation.OcspCrlRevocationChecker;
import dev.sigstream.notary.timestamp.BcTimestampVerifier;
import dev.sigstream.oci.RegistryClient;
import dev.sigstream.oci.RegistryReader;
import dev.sigstream.oci.client.OciRegistryHttpClient;
import dev.sigstream.oci.client.RegistryConfig;
import java.time.Clock;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The one composition root of verification: from typed settings to a ready {@link ArtifactVerifier} (trust material
 * loaded offline, revocation checker, timestamp verifier, notary verifier, registry client). The CLI and the stream
 * service call the same methods, so they verify the same way.
 */
public final class VerifierFactory {

  private VerifierFactory() {}

  /**
   * A verifier ready to use.
   *
   * @throws SettingsException when the trust material or a registry entry is unusable
   */
  public static ArtifactVerifier verifier(final VerifierSettings s) {
    return verifier(s, registry(s.registry(), s.clock()));
  }

  /**
   * A verifier over an existing registry client: the stream keeps one client (its connections and tokens) across
   * reloads of the trust material.
   */
  public static ArtifactVerifier verifier(final VerifierSettings s, final RegistryReader registry) {
    final TrustMaterial trust = TrustMaterial.load(s.trust());
    return ArtifactVerifier.builder()
        .registry(registry)
        .notary(notary(trust, s.limits(), s.clock()))
        .trustVersion(trust.version())
        .sbomPolicy(s.sbomPolicy())
        .classPolicy(s.classes())
        .limits(s.limits())
        .executor(s.executor())
        .clock(s.clock())
        .build();
  }

  /** The Notary verifier over {@code trust}, with OCSP/CRL revocation and RFC 3161 timestamp checks. */
  public static NotaryVerifier notary(final TrustMaterial trust, final VerifyLimits limits, final Clock clock) {
    // One revocation checker (and so one response cache) for code-signing and timestamping chains.
    final OcspCrlRevocationChecker revocation = new OcspCrlRevocationChecker(new HttpRevocationFetcher(), clock);
    return NotaryVerifier.builder()
        .trustPolicy(trust.policy())
        .trustStore(trust.store())
        .clock(clock)
        .revocationChecker(revocation)
        .timestampVerifier(new BcTimestampVerifier(clock, revocation))
        // The same cap the discovery applies, so there is one setting for it.
        .maxSignatures(limits.maxSignatures())
        .build();
  }

  /**
   * The registry client for the allowlist in {@code s}.
   *
   * @throws SettingsException when an entry is invalid (a host configured twice)
   */
  public static OciRegistryHttpClient registry(final RegistrySettings s, final Clock clock) {
    try {
      return OciRegistryHttpClient.create(RegistryConfig.of(s.registries(), s.limits()), clock);
    } catch (final IllegalArgumentException e) {
      throw new SettingsException("invalid registry settings: " + e.getMessage(), e);
    }
  }

  /**
   * A bounded pool for decisions: {@code threads} daemon threads named {@code name-N} and a bounded queue; when the
   * queue is full the submitting thread runs the task itself, which slows the producer instead of dropping work.
   */
  public static ExecutorService boundedExecutor(final String name, final int threads, final int queue) {
    final AtomicInteger n = new AtomicInteger();
    final ThreadPoolExecutor pool = new ThreadPoolExecutor(threads, threads, 30, TimeUnit.SECONDS,
        new LinkedBlockingQueue<>(queue), r -> {
          final Thread t = new Thread(r, name + "-" + n.incrementAndGet());
          t.setDaemon(true);
          return t;
        }, new ThreadPoolExecutor.CallerRunsPolicy());
    pool.allowCoreThreadTimeOut(true);
    return pool;
  }
}
