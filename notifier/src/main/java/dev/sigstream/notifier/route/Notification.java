package dev.sigstream.notifier.route;

/**
 * A verdict routed to one destination by one rule, before lifecycle decides what (if anything) to send.
 *
 * @param template the rule's templates, over the destination's
 */
public record Notification(VerdictView verdict, String destination, Severity severity, String rule, TemplateSpec template) {

  /** The reason code of a failure (the class tickets are deduplicated on), or the outcome otherwise. */
  public String failureClass() {
    return verdict.failing() ? verdict.reasonCode() : verdict.outcome().name();
  }
}
