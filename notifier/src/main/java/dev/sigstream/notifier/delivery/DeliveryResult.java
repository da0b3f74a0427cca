package dev.sigstream.notifier.delivery;

import java.time.Duration;
import java.util.Optional;

/** How a target answered one attempt, classified by the channel that knows the target's semantics. */
public sealed interface DeliveryResult permits DeliveryResult.Delivered, DeliveryResult.Retry, DeliveryResult.Permanent {

  /** Accepted; {@code remoteId} is the created or updated object's id when the target returns one. */
  record Delivered(Optional<String> remoteId) implements DeliveryResult {}

  /**
   * Worth retrying. {@code retryAfter} is the target's own instruction (Retry-After, GitHub's reset); {@code
   * ambiguous} means the request may have taken effect (5xx, timeout), so a create must look up before retrying.
   */
  record Retry(String reason, int status, Optional<Duration> retryAfter, boolean ambiguous) implements DeliveryResult {}

  /**
   * Will never succeed as sent (bad request, auth, unknown channel): to the dead-letter topic. {@code gone} means
   * the target itself is gone (410, a revoked Slack URL, a deleted topic: see docs/notifier.md) and no later
   * request can succeed either: the destination is disabled.
   */
  record Permanent(String reason, int status, boolean gone) implements DeliveryResult {
    public Permanent(final String reason, final int status) {
      this(reason, status, false);
    }
  }

  static Delivered ok(final String remoteId) {
    return new Delivered(Optional.ofNullable(remoteId));
  }

  static Delivered ok() {
    return new Delivered(Optional.empty());
  }
}
