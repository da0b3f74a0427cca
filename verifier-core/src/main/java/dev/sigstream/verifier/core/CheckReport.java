package dev.sigstream.verifier.core;

import dev.sigstream.notary.CheckResult;
import java.util.Objects;

/**
 * One check in an {@link ArtifactReport}.
 *
 * @param check what was checked
 * @param action what a failure does: ENFORCED decides the outcome, LOGGED becomes a warning, SKIPPED never ran
 * @param status passed, failed or not run
 * @param reason {@link Reason#OK} when passed
 * @param detail one human sentence (no secrets, no signature bytes)
 */
public record CheckReport(CheckType check, Action action, Status status, Reason reason, String detail) {

  public enum Action { ENFORCED, LOGGED, SKIPPED }

  public enum Status { PASSED, FAILED, NOT_RUN }

  public CheckReport {
    Objects.requireNonNull(check, "check");
    Objects.requireNonNull(action, "action");
    Objects.requireNonNull(status, "status");
    Objects.requireNonNull(reason, "reason");
    detail = detail == null ? "" : detail;
  }

  public static CheckReport enforcedFailure(final CheckType check, final Reason reason, final String detail) {
    return new CheckReport(check, Action.ENFORCED, Status.FAILED, reason, detail);
  }

  public static CheckReport warning(final CheckType check, final Reason reason, final String detail) {
    return new CheckReport(check, Action.LOGGED, Status.FAILED, reason, detail);
  }

  public static CheckReport passed(final CheckType check, final Action action, final String detail) {
    return new CheckReport(check, action, Status.PASSED, Reason.OK, detail);
  }

  /** A notary check result; notary's check names are a subset of ours. */
  public static CheckReport of(final CheckResult r) {
    return new CheckReport(CheckType.valueOf(r.check().name()), Action.valueOf(r.action().name()),
        Status.valueOf(r.status().name()), Reason.of(r.reason()), r.detail());
  }

  public boolean isEnforcedFailure() {
    return status == Status.FAILED && action == Action.ENFORCED;
  }

  public boolean isWarning() {
    return status == Status.FAILED && action == Action.LOGGED;
  }
}
