package dev.sigstream.verifier.core;

/**
 * Stable reason codes of an {@link ArtifactReport}: every {@link dev.sigstream.notary.ReasonCode} plus the
 * registry, classification and SBOM reasons the orchestration adds. Names are symbols of the Avro
 * {@code ReasonCode} enum (docs/verdicts.md), so the edge maps them by name; tests enforce both directions.
 */
public enum Reason {
  OK,
  ENVELOPE_MALFORMED,
  ENVELOPE_UNSUPPORTED,
  ENVELOPE_TOO_LARGE,
  SIGNATURE_INVALID,
  ALGORITHM_UNSUPPORTED,
  ALGORITHM_KEY_MISMATCH,
  CRITICAL_HEADER_UNKNOWN,
  CRITICAL_HEADER_MISSING,
  CONTENT_TYPE_INVALID,
  SIGNING_SCHEME_INVALID,
  SIGNING_TIME_INVALID,
  PAYLOAD_MALFORMED,
  CERT_CHAIN_INVALID,
  CERT_REQUIREMENTS_UNMET,
  CERT_WEAK_ALGORITHM,
  TRUST_STORE_MISSING,
  UNTRUSTED_CHAIN,
  UNTRUSTED_IDENTITY,
  CERT_EXPIRED,
  CERT_NOT_YET_VALID,
  SIGNATURE_EXPIRED,
  TIMESTAMP_MISSING,
  TIMESTAMP_INVALID,
  TIMESTAMP_UNTRUSTED,
  TIMESTAMP_OUTSIDE_CERT_VALIDITY,
  CERT_REVOKED,
  REVOCATION_UNKNOWN,
  PLUGIN_UNSUPPORTED,
  DIGEST_MISMATCH,
  SIZE_MISMATCH,
  MEDIA_TYPE_MISMATCH,
  USER_METADATA_MISMATCH,
  NO_SIGNATURE,
  TOO_MANY_SIGNATURES,
  NO_APPLICABLE_POLICY,
  POLICY_SKIPPED,
  POLICY_INVALID,
  ARTIFACT_NOT_FOUND,
  REPOSITORY_NOT_FOUND,
  TAG_NOT_RESOLVED,
  REGISTRY_NOT_ALLOWED,
  REGISTRY_UNAUTHORIZED,
  REGISTRY_FORBIDDEN,
  REGISTRY_RATE_LIMITED,
  REGISTRY_UNAVAILABLE,
  CONTENT_DIGEST_MISMATCH,
  CONTENT_TOO_LARGE,
  CONTENT_MALFORMED,
  DEADLINE_EXCEEDED,
  SBOM_INVALID,
  SBOM_FORMAT_UNKNOWN,
  SBOM_DENIED_LICENSE,
  SBOM_DENIED_PACKAGE,
  SBOM_UNSIGNED,
  SBOM_SIGNATURE_INVALID,
  INTERNAL_ERROR;

  /** The same code from notary (every notary code exists here; a unit test guards it). */
  public static Reason of(final dev.sigstream.notary.ReasonCode code) {
    return valueOf(code.name());
  }

  /** What a non-PASS outcome with this reason means for whoever acts on it. */
  public enum Disposition {
    /** A definite FAIL: the same input fails again. */
    DEFINITE,
    /** Inconclusive ERROR that may clear by itself (registry or responder down, rate limit, deadline): retry later. */
    RETRYABLE,
    /** Inconclusive ERROR that needs a change of configuration or code (credentials, trust material, a bug). */
    CONFIGURATION
  }

  /**
   * The one table of inconclusive reasons (docs/verdicts.md): every reason not listed here is definite. A stream
   * processor retries RETRYABLE outcomes with backoff and emits the others at once.
   */
  public Disposition disposition() {
    return switch (this) {
      case REGISTRY_RATE_LIMITED, REGISTRY_UNAVAILABLE, DEADLINE_EXCEEDED, REVOCATION_UNKNOWN, TAG_NOT_RESOLVED ->
          Disposition.RETRYABLE;
      case TRUST_STORE_MISSING, POLICY_INVALID, REGISTRY_UNAUTHORIZED, REGISTRY_FORBIDDEN, INTERNAL_ERROR ->
          Disposition.CONFIGURATION;
      default -> Disposition.DEFINITE;
    };
  }

  /** Whether a failure with this reason is inconclusive (ERROR) rather than a definite FAIL. */
  public boolean inconclusive() {
    return disposition() != Disposition.DEFINITE;
  }

  /** Whether an ERROR with this reason is worth retrying later without any change. */
  public boolean retryable() {
    return disposition() == Disposition.RETRYABLE;
  }
}
