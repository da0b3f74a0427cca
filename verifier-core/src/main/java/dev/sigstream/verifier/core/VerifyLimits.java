package dev.sigstream.verifier.core;

import java.time.Duration;
import java.util.Objects;

/**
 * The caps of the verification path and its one per-artifact deadline, set in one place: {@link ArtifactDiscovery}
 * applies them to what it fetches, and {@link VerifierFactory} gives the same signature cap to notary.
 *
 * @param maxSignatures Notary signatures fetched and tried per artifact (notation's {@code --max-signatures},
 *     default 100); more than this and none verifying gives TOO_MANY_SIGNATURES
 * @param maxEnvelopeBytes largest signature envelope fetched (default 32 MiB, notary's parse cap and notation-go's limit); larger ones are
 *     not downloaded and fail ENVELOPE_TOO_LARGE
 * @param maxSboms SBOM referrers checked per artifact (default 10); further ones are only counted
 * @param maxSbomBytes largest SBOM document fetched (default 32 MiB)
 * @param deadline total time for one artifact (every registry request of it, including pages, token fetches and
 *     redirects), after which outstanding requests are cancelled and the report is ERROR DEADLINE_EXCEEDED; default
 *     30 s, three times the registry client's default per-request timeout
 */
public record VerifyLimits(int maxSignatures, int maxEnvelopeBytes, int maxSboms, long maxSbomBytes,
    Duration deadline) {

  public static final VerifyLimits DEFAULTS = new VerifyLimits(100, 32 << 20, 10, 32L << 20, Duration.ofSeconds(30));

  public VerifyLimits {
    Objects.requireNonNull(deadline, "deadline");
    if (maxSignatures < 1 || maxEnvelopeBytes < 1 || maxSboms < 0 || maxSbomBytes < 1 || deadline.isNegative()
        || deadline.isZero()) {
      throw new IllegalArgumentException("verification limits must be positive");
    }
  }

  public VerifyLimits withMaxSignatures(final int n) {
    return new VerifyLimits(n, maxEnvelopeBytes, maxSboms, maxSbomBytes, deadline);
  }

  public VerifyLimits withDeadline(final Duration d) {
    return new VerifyLimits(maxSignatures, maxEnvelopeBytes, maxSboms, maxSbomBytes, d);
  }
}
