package dev.sigstream.notifier.route;

import java.util.Optional;

/**
 * A verdict routed to one destination by one rule, before lifecycle decides what (if anything) to send.
 *
 * @param template the summary template from the rule, if it overrides the destination's
 */
public record Notification(VerdictView verdict, String destination, Severity severity, String rule, Optional<String> template) {

  /** The reason code of a failure (the class tickets are deduplicated on), or the outcome otherwise. */
  public String failureClass() {
    return verdict.failing() ? verdict.reasonCode() : verdict.outcome().name();
  }
}
