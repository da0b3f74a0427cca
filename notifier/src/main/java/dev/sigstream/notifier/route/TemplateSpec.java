package dev.sigstream.notifier.route;

import java.util.Optional;

/**
 * A destination's message templates (Mustache text, see docs/notifier.md), by slot. An empty slot falls back to the
 * destination's template, then to the channel's default for the target's markup.
 *
 * @param title one line: Slack fallback text, Teams card title, Jira and GitHub issue title, ServiceNow short
 *     description, PagerDuty summary, webhook and Event Grid {@code data.summary}, the console line
 * @param body the message or ticket text in the target's markup
 * @param blocks Slack only: the whole Block Kit {@code blocks} array as a JSON template
 * @param card Teams only: the whole Adaptive Card as a JSON template
 */
public record TemplateSpec(Optional<String> title, Optional<String> body, Optional<String> blocks, Optional<String> card) {

  public static final TemplateSpec NONE = new TemplateSpec(Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty());

  public static TemplateSpec title(final String title) {
    return new TemplateSpec(Optional.of(title), Optional.empty(), Optional.empty(), Optional.empty());
  }

  /** This spec's slots, each falling back to {@code base}'s. */
  public TemplateSpec over(final TemplateSpec base) {
    return new TemplateSpec(title.or(base::title), body.or(base::body), blocks.or(base::blocks), card.or(base::card));
  }

  public boolean isEmpty() {
    return title.isEmpty() && body.isEmpty() && blocks.isEmpty() && card.isEmpty();
  }
}
