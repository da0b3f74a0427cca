package dev.sigstream.notifier.channel;

import dev.sigstream.notifier.delivery.DeliveryResult;
import dev.sigstream.notifier.route.Step;

/**
 * An adapter to one target. {@link #send} makes one attempt and classifies the answer with the target's own
 * semantics; it never throws on network errors or bad answers (they become {@link DeliveryResult}s).
 */
public interface Channel {

  /** The destination type id, for metrics. */
  String type();

  /**
   * @param recover an earlier attempt (or a crashed run) may already have created the remote object: creates look
   *     it up by the step's dedupe key first
   */
  DeliveryResult send(Step step, int attempt, boolean recover);
}
