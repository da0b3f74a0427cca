package dev.sigstream.notifier.route;

import dev.sigstream.notifier.route.LifecycleState.Status;
import dev.sigstream.notifier.route.Step.Action;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Pure ticket lifecycle for one (artifact, destination): one ticket per failure class, reminders only after the
 * repeat interval, resolution on a later PASS, reopening within the reopen window (Alertmanager's Jira
 * integration), and recovery of a create whose outcome we never learned.
 */
public final class Lifecycle {

  private Lifecycle() {}

  /**
   * @param prev what this destination remembers about the artifact
   * @param v the new verdict
   * @param routed the routing result for this destination, empty when no rule sends the verdict here
   */
  public static List<Step> decide(
      final Optional<LifecycleState> prev,
      final VerdictView v,
      final Optional<Notification> routed,
      final String destination,
      final LifecyclePolicy policy,
      final Instant now) {
    if (v.failing()) {
      if (routed.isEmpty()) {
        return List.of();
      }
      final Notification n = routed.get();
      final String cls = n.failureClass();
      final DedupeKey key = DedupeKey.of(v, cls, destination);
      if (prev.isEmpty()) {
        return List.of(step(Action.OPEN, key, Optional.empty(), false, n, cls));
      }
      final LifecycleState p = prev.get();
      final boolean same = p.failureClass().equals(cls);
      switch (p.status()) {
        case PENDING:
          return List.of(step(Action.OPEN, key, Optional.empty(), same, n, cls));
        case OPEN:
          if (same) {
            final boolean due = !Duration.between(p.lastNotifiedAt(), now).minus(policy.repeatInterval()).isNegative();
            return due ? List.of(step(Action.REMIND, key, p.remoteId(), false, n, cls)) : List.of();
          }
          // A different failure class is a different ticket: close the old one, open the new one.
          return List.of(
              new Step(Action.RESOLVE, new DedupeKey(p.dedupeKey()), p.remoteId(), false, v, n.severity(), p.failureClass(), n.template(), List.of()),
              step(Action.OPEN, key, Optional.empty(), false, n, cls));
        case RESOLVED:
        default:
          final boolean recent = p.resolvedAt().map(r -> Duration.between(r, now).compareTo(policy.reopenWindow()) <= 0).orElse(false);
          if (same && recent && p.remoteId().isPresent()) {
            return List.of(step(Action.REOPEN, key, p.remoteId(), false, n, cls));
          }
          return List.of(step(Action.OPEN, key, Optional.empty(), false, n, cls));
      }
    }
    if (v.outcome() == VerdictView.Outcome.PASS && prev.isPresent() && prev.get().active()) {
      final LifecycleState p = prev.get();
      return List.of(new Step(Action.RESOLVE, new DedupeKey(p.dedupeKey()), p.remoteId(), p.status() == Status.PENDING, v,
          Severity.INFO, p.failureClass(), routed.map(Notification::template).orElse(TemplateSpec.NONE), List.of()));
    }
    return routed.map(n -> List.of(step(Action.NOTIFY, DedupeKey.of(v, n.failureClass(), destination), Optional.empty(), false, n,
        n.failureClass()))).orElse(List.of());
  }

  /**
   * The state after a step. {@code delivered} false means it went to the dead-letter topic: a started OPEN stays
   * PENDING (the next verdict retries it with recovery); anything else keeps the previous state.
   */
  public static Optional<LifecycleState> after(
      final Optional<LifecycleState> prev, final Step s, final boolean delivered, final Optional<String> remoteId, final Instant now) {
    switch (s.action()) {
      case OPEN:
        if (!delivered) {
          return Optional.of(pending(s, now));
        }
        return Optional.of(new LifecycleState(Status.OPEN, s.failureClass(), s.key().value(), remoteId.or(s::remoteId), now, now, Optional.empty()));
      case REOPEN:
        return !delivered ? prev : prev.map(p -> new LifecycleState(Status.OPEN, p.failureClass(), p.dedupeKey(), remoteId.or(p::remoteId), p.openedAt(), now, Optional.empty()));
      case REMIND:
        return !delivered ? prev : prev.map(p -> new LifecycleState(p.status(), p.failureClass(), p.dedupeKey(), p.remoteId(), p.openedAt(), now, p.resolvedAt()));
      case RESOLVE:
        return !delivered ? prev : prev.map(p -> new LifecycleState(Status.RESOLVED, p.failureClass(), p.dedupeKey(), remoteId.or(p::remoteId), p.openedAt(), now, Optional.of(now)));
      case NOTIFY:
      default:
        return prev;
    }
  }

  /** Written before a create is attempted, so a crash mid-delivery leads to a lookup, never a second ticket. */
  public static LifecycleState pending(final Step s, final Instant now) {
    return new LifecycleState(Status.PENDING, s.failureClass(), s.key().value(), Optional.empty(), now, now, Optional.empty());
  }

  private static Step step(final Action a, final DedupeKey key, final Optional<String> remote, final boolean recover, final Notification n, final String cls) {
    return new Step(a, key, remote, recover, n.verdict(), n.severity(), cls, n.template(), List.of());
  }
}
