package dev.sigstream.verifier.topology;

import java.util.Objects;

/**
 * One artifact the stream has taken on and not yet published a final verdict for, as kept in the changelogged
 * {@value VerifierTopology#PENDING_STORE} store: it survives restarts and rebalances, so every timer does too.
 *
 * @param event the triggering {@code ArtifactPushed}, Avro single-object encoded (kept as bytes: the store never
 *     needs to read it, only to hand it back)
 * @param state why it is pending
 * @param firstSeenMs when the stream first took it on (wall clock, ms): grace windows and retry deadlines count from
 *     here
 * @param dueMs when it should be checked next (wall clock, ms)
 * @param attempts retries made so far
 * @param lastReason the reason of the last inconclusive or held outcome, for the final verdict and the query API
 */
public record PendingWork(byte[] event, State state, long firstSeenMs, long dueMs, int attempts, String lastReason) {

  /** Why an artifact is pending. */
  public enum State {
    /** Due for verification (new, or re-checked because a referrer arrived). */
    DUE,
    /** Found without an acceptable signature; held until its grace window ends or a referrer arrives. */
    AWAITING_SIGNATURE,
    /** A retryable ERROR; retried at {@code dueMs}. */
    RETRYING
  }

  public PendingWork {
    Objects.requireNonNull(event, "event");
    Objects.requireNonNull(state, "state");
  }

  PendingWork due(final long nowMs) {
    return new PendingWork(event, State.DUE, firstSeenMs, nowMs, attempts, lastReason);
  }
}
