package dev.sigstream.notary;

import dev.sigstream.notary.policy.TrustPolicyStatement;
import dev.sigstream.notary.policy.VerificationLevel;

/**
 * Which trust policy statement applies to a reference. Callers use it before fetching signatures: for
 * {@link Applicable} with level {@code skip} there is nothing to fetch.
 */
public sealed interface PolicySelection permits PolicySelection.Applicable, PolicySelection.NotApplicable {

  /** @param statement the selected statement */
  record Applicable(TrustPolicyStatement statement) implements PolicySelection {
    public boolean skip() {
      return statement.level() == VerificationLevel.SKIP;
    }
  }

  /**
   * No statement applies, or the reference is unusable.
   *
   * @param reason NO_APPLICABLE_POLICY or POLICY_INVALID (bad reference)
   * @param detail one human sentence
   */
  record NotApplicable(ReasonCode reason, String detail) implements PolicySelection {}
}
