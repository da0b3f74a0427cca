package dev.sigstream.verifier.core;

import dev.sigstream.oci.FetchResult;

/** Maps oci {@link FetchResult} failures to reasons, following the disposition table in its Javadoc. */
final class RegistryFailures {

  private RegistryFailures() {}

  /**
   * The reason for a failed fetch. NotFound, Invalid and NotAllowed give definite (FAIL) reasons; credentials,
   * rate limits and unavailability give inconclusive (ERROR) ones, so a transient problem is never read as absence.
   */
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
