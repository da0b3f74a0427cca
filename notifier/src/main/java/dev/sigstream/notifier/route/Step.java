package dev.sigstream.notifier.route;

import java.util.List;
import java.util.Optional;

/**
 * One thing to send to one destination, decided by {@link Lifecycle}.
 *
 * @param key the dedupe key of the ticket this step acts on (also the idempotency key of every attempt)
 * @param remoteId the remote object to update, resolve or reopen; empty for a first OPEN
 * @param recover an earlier create may have reached the target without us learning its id: look it up first
 * @param failureClass the failure class the ticket is about (for RESOLVE, the class that was open)
 * @param template the rule's templates for this destination, over the destination's own
 * @param grouped further verdicts of the same failure class folded into this one as a digest (chat targets)
 */
public record Step(
    Action action,
    DedupeKey key,
    Optional<String> remoteId,
    boolean recover,
    VerdictView verdict,
    Severity severity,
    String failureClass,
    TemplateSpec template,
    List<VerdictView> grouped) {

  public Step {
    grouped = List.copyOf(grouped);
  }

  /** OPEN a ticket, REMIND about an unchanged one, RESOLVE it, REOPEN it, or NOTIFY without a ticket. */
  public enum Action { OPEN, REMIND, RESOLVE, REOPEN, NOTIFY }

  public Step withGrouped(final List<VerdictView> more) {
    return new Step(action, key, remoteId, recover, verdict, severity, failureClass, template, more);
  }
}
