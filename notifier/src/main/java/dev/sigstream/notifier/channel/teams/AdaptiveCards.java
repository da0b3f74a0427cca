package dev.sigstream.notifier.channel.teams;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sigstream.notifier.channel.Escape;
import dev.sigstream.notifier.channel.Http;
import dev.sigstream.notifier.channel.Render;
import dev.sigstream.notifier.route.Step;
import dev.sigstream.notifier.template.Markup;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The Workflows envelope around an Adaptive Card 1.4 (TextBlock title, FactSet, Action.OpenUrl, as Argo CD and
 * Alertmanager emit). Card errors happen inside the flow run after Teams already answered 202, so {@link #validate}
 * checks the envelope and card locally (the errors users hit: {@code type} not {@code AdaptiveCard}, unknown element
 * types, missing text, the 28 KB message limit).
 */
public final class AdaptiveCards {

  static final int MAX_BYTES = 28 * 1024;
  private static final Set<String> ELEMENTS = Set.of("TextBlock", "FactSet", "ColumnSet", "Container", "Image", "RichTextBlock");
  private static final Set<String> ACTIONS = Set.of("Action.OpenUrl", "Action.ShowCard", "Action.ToggleVisibility");

  private AdaptiveCards() {}

  /**
   * The Workflows envelope around the destination's {@code card} template when it has one, else a card with the
   * title, the body and an Action.OpenUrl to the verdict.
   */
  public static ObjectNode envelope(final Step s, final Render render) {
    final Optional<JsonNode> custom = render.json(s, "card", Markup.MARKDOWN);
    final JsonNode card = custom.isPresent() ? custom.get() : defaultCard(s, render);
    final ObjectNode env = Http.JSON.createObjectNode();
    env.put("type", "message");
    env.putArray("attachments").addObject()
        .put("contentType", "application/vnd.microsoft.card.adaptive")
        .putNull("contentUrl")
        .set("content", card);
    return env;
  }

  private static ObjectNode defaultCard(final Step s, final Render render) {
    final ObjectNode card = Http.JSON.createObjectNode();
    card.put("$schema", "http://adaptivecards.io/schemas/adaptive-card.json");
    card.put("type", "AdaptiveCard");
    card.put("version", "1.4");
    card.putObject("msteams").put("width", "Full");
    final ArrayNode body = card.putArray("body");
    final String color = switch (s.action()) {
      case RESOLVE -> "Good";
      default -> switch (s.severity()) {
        case CRITICAL, ERROR -> "Attention";
        case WARNING -> "Warning";
        case INFO -> "Default";
      };
    };
    body.addObject().put("type", "TextBlock").put("text", Escape.cap(render.title(s, Markup.MARKDOWN), 1024))
        .put("weight", "Bolder").put("size", "Medium").put("color", color).put("wrap", true);
    final String text = render.body(s, Markup.MARKDOWN);
    if (!text.isBlank()) {
      body.addObject().put("type", "TextBlock").put("text", Escape.cap(text, 16_000)).put("wrap", true);
    }
    card.putArray("actions").addObject().put("type", "Action.OpenUrl").put("title", "Open verdict").put("url", render.link(s.verdict()));
    return card;
  }

  /** Problems with an envelope, empty when the flow can post it. */
  public static List<String> validate(final JsonNode env) {
    final List<String> p = new ArrayList<>();
    if (!env.isObject()) {
      p.add("envelope must be a JSON object");
      return p;
    }
    if (!"message".equals(env.path("type").asText())) {
      p.add("envelope type must be 'message'");
    }
    final JsonNode atts = env.path("attachments");
    if (!atts.isArray() || atts.size() != 1) {
      p.add("exactly one attachment expected");
      return p;
    }
    final JsonNode att = atts.get(0);
    if (!"application/vnd.microsoft.card.adaptive".equals(att.path("contentType").asText())) {
      p.add("attachment contentType must be application/vnd.microsoft.card.adaptive");
    }
    final JsonNode card = att.path("content");
    if (!"AdaptiveCard".equals(card.path("type").asText())) {
      p.add("Property 'type' must be 'AdaptiveCard'");
    }
    if (!card.path("version").asText("").matches("1\\.[0-6]")) {
      p.add("card version must be 1.0 to 1.6");
    }
    if (!card.path("body").isArray() || card.path("body").isEmpty()) {
      p.add("card body must be a non-empty array");
    }
    for (final JsonNode e : card.path("body")) {
      final String t = e.path("type").asText("");
      if (!ELEMENTS.contains(t)) {
        p.add("unknown element type '" + t + "'");
      }
      if (t.equals("TextBlock") && e.path("text").asText("").isBlank()) {
        p.add("TextBlock without text");
      }
      if (t.equals("FactSet")) {
        for (final JsonNode f : e.path("facts")) {
          if (!f.path("title").isTextual() || !f.path("value").isTextual()) {
            p.add("fact without title or value");
          }
        }
      }
    }
    for (final JsonNode a : card.path("actions")) {
      if (!ACTIONS.contains(a.path("type").asText(""))) {
        p.add("unknown action type '" + a.path("type").asText("") + "'");
      }
      if (a.path("type").asText("").equals("Action.OpenUrl") && !a.path("url").asText("").startsWith("http")) {
        p.add("Action.OpenUrl needs an http(s) url");
      }
    }
    if (env.toString().getBytes(StandardCharsets.UTF_8).length > MAX_BYTES) {
      p.add("message larger than 28 KB");
    }
    return p;
  }
}
