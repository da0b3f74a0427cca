package dev.sigstream.notifier.route;

import java.time.Instant;
import java.util.Optional;

/**
 * What one destination remembers about one artifact: the open (or last) ticket, kept in a changelogged store.
 *
 * @param status PENDING: a create was started but its remote id is not known (recovered by lookup on the next try)
 * @param remoteId Jira key, GitHub issue number, ServiceNow sys_id, Slack ts, PagerDuty dedup_key
 */
public record LifecycleState(
    Status status,
    String failureClass,
    String dedupeKey,
    Optional<String> remoteId,
    Instant openedAt,
    Instant lastNotifiedAt,
    Optional<Instant> resolvedAt) {

  public enum Status { PENDING, OPEN, RESOLVED }

  public boolean active() {
    return status != Status.RESOLVED;
  }
}
