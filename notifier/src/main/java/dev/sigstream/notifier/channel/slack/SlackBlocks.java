package dev.sigstream.notifier.channel.slack;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sigstream.notifier.channel.Escape;
import dev.sigstream.notifier.channel.Http;
import dev.sigstream.notifier.channel.Render;
import dev.sigstream.notifier.route.Step;
import dev.sigstream.notifier.template.Markup;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Block Kit for a verdict: the destination's blocks template, or a section with the title, a section with the body
 * and a context line with the link. Every user-controlled value is mrkdwn-escaped. {@link #validate} checks Slack's limits locally before sending (50
 * blocks, 3,000 characters per section text, 10 fields of 2,000), since Slack answers a bad payload with a
 * plain-text 400 that cannot be fixed by retrying.
 */
public final class SlackBlocks {

  static final int MAX_BLOCKS = 50;
  static final int MAX_SECTION_TEXT = 3000;
  static final int MAX_FIELDS = 10;
  static final int MAX_FIELD_TEXT = 2000;
  private static final Set<String> TYPES = Set.of("section", "context", "divider", "header", "actions");

  private SlackBlocks() {}

  /**
   * The {@code blocks} of a message: the destination's {@code blocks} template when it has one, else a section with
   * the title, a section with the body and a context line with the link.
   *
   * @throws IllegalArgumentException when a blocks template renders something other than a JSON array
   */
  public static ArrayNode blocks(final Step s, final Render render) {
    final Optional<JsonNode> custom = render.json(s, "blocks", Markup.SLACK);
    if (custom.isPresent()) {
      if (!(custom.get() instanceof ArrayNode a)) {
        throw new IllegalArgumentException("the blocks template must render a JSON array");
      }
      return a;
    }
    final ArrayNode blocks = Http.JSON.createArrayNode();
    final ObjectNode head = blocks.addObject().put("type", "section");
    head.putObject("text").put("type", "mrkdwn").put("text", Escape.cap("*" + render.title(s, Markup.SLACK) + "*", MAX_SECTION_TEXT));
    final String body = render.body(s, Markup.SLACK);
    if (!body.isBlank()) {
      blocks.addObject().put("type", "section").putObject("text").put("type", "mrkdwn").put("text", Escape.cap(body, MAX_SECTION_TEXT));
    }
    final ObjectNode ctx = blocks.addObject().put("type", "context");
    ctx.putArray("elements").addObject().put("type", "mrkdwn").put("text", "<" + render.link(s.verdict()) + "|Verdict> \u00b7 sigstream");
    return blocks;
  }

  /** Problems with a message, empty when Slack would accept it. */
  public static List<String> validate(final JsonNode message) {
    final List<String> problems = new ArrayList<>();
    if (!message.path("text").isTextual() || message.path("text").asText().isBlank()) {
      problems.add("text (the notification fallback) is required");
    }
    final JsonNode blocks = message.path("blocks");
    if (!blocks.isArray()) {
      problems.add("blocks must be an array");
      return problems;
    }
    if (blocks.size() > MAX_BLOCKS) {
      problems.add("more than " + MAX_BLOCKS + " blocks");
    }
    for (int i = 0; i < blocks.size(); i++) {
      final JsonNode b = blocks.get(i);
      final String type = b.path("type").asText("");
      if (!TYPES.contains(type)) {
        problems.add("blocks[" + i + "]: unknown type '" + type + "'");
      }
      if (type.equals("section")) {
        final JsonNode text = b.path("text");
        final JsonNode fields = b.path("fields");
        if (text.isMissingNode() && fields.isMissingNode()) {
          problems.add("blocks[" + i + "]: a section needs text or fields");
        }
        if (text.path("text").asText("").length() > MAX_SECTION_TEXT) {
          problems.add("blocks[" + i + "]: section text longer than " + MAX_SECTION_TEXT);
        }
        if (fields.size() > MAX_FIELDS) {
          problems.add("blocks[" + i + "]: more than " + MAX_FIELDS + " fields");
        }
        for (final JsonNode f : fields) {
          if (f.path("text").asText("").length() > MAX_FIELD_TEXT) {
            problems.add("blocks[" + i + "]: a field longer than " + MAX_FIELD_TEXT);
          }
        }
      }
    }
    return problems;
  }
}
