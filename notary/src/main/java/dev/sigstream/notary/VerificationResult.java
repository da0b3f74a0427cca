package dev.sigstream.notary;

import dev.sigstream.notary.policy.VerificationLevel;
import java.util.List;
import java.util.Objects;

/**
 * The decision about one artifact.
 *
 * <ul>
 *   <li>PASS: at least one signature satisfied the policy (no enforced failure, target and metadata match).
 *   <li>FAIL: no signature satisfied it and at least one failed definitively, or there was none.
 *   <li>ERROR: no signature satisfied it and every failure was inconclusive (missing trust store, revocation
 *       status unknown, internal error); retrying later may help.
 *   <li>SKIPPED: the applicable policy statement has level {@code skip}.
 * </ul>
 *
 * @param outcome the decision
 * @param reason OK for PASS; otherwise the reason that decided it
 * @param detail one human sentence
 * @param policy the statement that applied, or null when none did
 * @param signatures every tried signature, in order
 * @param warnings logged failures (of the verified signature on PASS, of every tried signature otherwise) and
 *     result-level findings such as {@link ReasonCode#TOO_MANY_SIGNATURES}
 */
public record VerificationResult(
    Outcome outcome,
    ReasonCode reason,
    String detail,
    AppliedPolicy policy,
    List<SignatureResult> signatures,
    List<CheckResult> warnings) {

  public VerificationResult {
    Objects.requireNonNull(outcome, "outcome");
    Objects.requireNonNull(reason, "reason");
    detail = detail == null ? "" : detail;
    signatures = List.copyOf(signatures);
    warnings = List.copyOf(warnings);
  }

  public enum Outcome { PASS, FAIL, ERROR, SKIPPED }

  /** @param statement trust policy statement name @param level its verification level */
  public record AppliedPolicy(String statement, VerificationLevel level) {}

  public boolean passed() {
    return outcome == Outcome.PASS;
  }
}
