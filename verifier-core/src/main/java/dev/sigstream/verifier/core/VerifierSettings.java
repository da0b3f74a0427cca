package dev.sigstream.verifier.core;

import dev.sigstream.oci.sbom.SbomPolicy;
import java.time.Clock;
import java.util.Objects;
import java.util.concurrent.Executor;

/**
 * Everything {@link VerifierFactory} needs to build a ready verifier, as typed values. The CLI parses its options
 * into one; the stream service builds one from its configuration; neither wires the parts itself.
 *
 * @param trust where the trust policy and store are
 * @param registry allowlist, credentials, caps and request timeout
 * @param limits signature and SBOM caps and the one per-artifact deadline
 * @param sbomPolicy deny lists and the signed-SBOM requirement ({@link SbomPolicy#NONE}: SBOM findings are warnings)
 * @param executor a bounded pool of the caller's for decisions (never the common pool)
 * @param clock the only source of wall-clock time
 * @param classes what each artifact class must carry
 */
public record VerifierSettings(TrustSettings trust, RegistrySettings registry, VerifyLimits limits,
    SbomPolicy sbomPolicy, Executor executor, Clock clock, ClassPolicy classes) {

  /** Settings with the default class policy (a signature on everything), as {@code sigstream verify} uses. */
  public VerifierSettings(final TrustSettings trust, final RegistrySettings registry, final VerifyLimits limits,
      final SbomPolicy sbomPolicy, final Executor executor, final Clock clock) {
    this(trust, registry, limits, sbomPolicy, executor, clock, ClassPolicy.DEFAULT);
  }

  public VerifierSettings {
    Objects.requireNonNull(trust, "trust");
    Objects.requireNonNull(registry, "registry");
    Objects.requireNonNull(limits, "limits");
    Objects.requireNonNull(sbomPolicy, "sbomPolicy");
    Objects.requireNonNull(executor, "executor");
    Objects.requireNonNull(clock, "clock");
    Objects.requireNonNull(classes, "classes");
  }
}
