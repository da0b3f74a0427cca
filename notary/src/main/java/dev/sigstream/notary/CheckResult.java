package dev.sigstream.notary;

import java.util.Objects;

/**
 * The outcome of one check on one signature.
 *
 * @param check which check
 * @param action what the trust policy said to do with a failure of this check
 * @param status whether it passed, failed, or did not run (skipped by policy, or an earlier enforced failure)
 * @param reason stable reason code ({@link ReasonCode#OK} when passed)
 * @param detail one human sentence; never contains signature bytes or secrets
 */
public record CheckResult(Check check, Action action, Status status, ReasonCode reason, String detail) {

  public CheckResult {
    Objects.requireNonNull(check, "check");
    Objects.requireNonNull(action, "action");
    Objects.requireNonNull(status, "status");
    Objects.requireNonNull(reason, "reason");
    detail = detail == null ? "" : detail;
  }

  /** What a failure of the check does. */
  public enum Action {
    /** A failure stops this signature and it cannot satisfy the policy. */
    ENFORCED,
    /** A failure is recorded as a warning and verification continues. */
    LOGGED,
    /** The check is not performed. */
    SKIPPED
  }

  public enum Status { PASSED, FAILED, NOT_RUN }

  /** True when this result is a failure that decides the signature (an enforced failure). */
  public boolean isEnforcedFailure() {
    return status == Status.FAILED && action == Action.ENFORCED;
  }

  /** True when this result is a failure that was only logged. */
  public boolean isWarning() {
    return status == Status.FAILED && action == Action.LOGGED;
  }

  static CheckResult passed(final Check check, final Action action, final String detail) {
    return new CheckResult(check, action, Status.PASSED, ReasonCode.OK, detail);
  }

  static CheckResult failed(final Check check, final Action action, final ReasonCode reason, final String detail) {
    return new CheckResult(check, action, Status.FAILED, reason, detail);
  }

  static CheckResult notRun(final Check check, final Action action, final String detail) {
    return new CheckResult(check, action, Status.NOT_RUN, ReasonCode.OK, detail);
  }
}
