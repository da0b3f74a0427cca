package dev.sigstream.verifier.core;

import dev.sigstream.oci.FetchResult;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * Why a piece of material could not be had: a stable {@link Reason} (which says whether it is definite, worth a
 * retry, or needs configuration), one human sentence, and the registry's {@code Retry-After} when it gave one.
 */
public record FetchProblem(Reason reason, String detail, Optional<Duration> retryAfter) {

  public FetchProblem {
    Objects.requireNonNull(reason, "reason");
    detail = detail == null ? "" : detail;
    retryAfter = retryAfter == null ? Optional.empty() : retryAfter;
  }

  public static FetchProblem of(final Reason reason, final String detail) {
    return new FetchProblem(reason, detail, Optional.empty());
  }

  /**
   * A registry failure, mapped as the oci {@link FetchResult} Javadoc says: NotFound, Invalid and NotAllowed are
   * definite; credentials need configuration; rate limits, unavailability and a passed deadline are retryable.
   *
   * @param what what was being done, e.g. "fetching manifest registry/repo@sha256:…"
   */
  public static FetchProblem of(final FetchResult<?> failure, final String what) {
    final Optional<Duration> retryAfter = failure instanceof FetchResult.RateLimited<?> rl ? rl.retryAfter()
        : Optional.empty();
    return new FetchProblem(reason(failure), what + ": " + failure.describe(), retryAfter);
  }

  static Reason reason(final FetchResult<?> r) {
    if (r instanceof FetchResult.NotFound<?> nf) {
      return "NAME_UNKNOWN".equals(nf.code()) ? Reason.REPOSITORY_NOT_FOUND : Reason.ARTIFACT_NOT_FOUND;
    }
    if (r instanceof FetchResult.Invalid<?> inv) {
      return switch (inv.reason() == null ? "" : inv.reason()) {
        case "DIGEST_MISMATCH" -> Reason.CONTENT_DIGEST_MISMATCH;
        case "OVERSIZE" -> Reason.CONTENT_TOO_LARGE;
        default -> Reason.CONTENT_MALFORMED;
      };
    }
    if (r instanceof FetchResult.NotAllowed<?>) {
      return Reason.REGISTRY_NOT_ALLOWED;
    }
    if (r instanceof FetchResult.Unauthorized<?>) {
      return Reason.REGISTRY_UNAUTHORIZED;
    }
    if (r instanceof FetchResult.Forbidden<?>) {
      return Reason.REGISTRY_FORBIDDEN;
    }
    if (r instanceof FetchResult.RateLimited<?>) {
      return Reason.REGISTRY_RATE_LIMITED;
    }
    if (r instanceof FetchResult.Unavailable<?> u && u.deadlineExceeded()) {
      return Reason.DEADLINE_EXCEEDED;
    }
    if (r instanceof FetchResult.Found<?>) {
      throw new IllegalArgumentException("not a failure");
    }
    return Reason.REGISTRY_UNAVAILABLE;
  }
}
