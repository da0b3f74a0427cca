package dev.sigstream.notifier.route;

import java.util.Set;

/** How urgent a verdict is; destinations name a minimum (Falcosidekick's per-output minimum priority). */
public enum Severity {
  INFO, WARNING, ERROR, CRITICAL;

  // Failures that mean someone is actively tampering or a signer was compromised, rather than a missing signature.
  private static final Set<String> CRITICAL_REASONS = Set.of(
      "CERT_REVOKED", "DIGEST_MISMATCH", "CONTENT_DIGEST_MISMATCH", "SIGNATURE_INVALID", "SIZE_MISMATCH",
      "MEDIA_TYPE_MISMATCH", "UNTRUSTED_IDENTITY", "UNTRUSTED_CHAIN");

  /** PASS and SKIPPED are INFO, ERROR (inconclusive) is WARNING, FAIL is ERROR or CRITICAL by reason. */
  public static Severity of(final VerdictView v) {
    return switch (v.outcome()) {
      case PASS, SKIPPED -> INFO;
      case ERROR -> WARNING;
      case FAIL -> CRITICAL_REASONS.contains(v.reasonCode()) ? CRITICAL : ERROR;
    };
  }

  public boolean atLeast(final Severity min) {
    return compareTo(min) >= 0;
  }
}
