package dev.sigstream.notifier.channel.slack;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sigstream.notifier.channel.Channel;
import dev.sigstream.notifier.channel.Escape;
import dev.sigstream.notifier.channel.Http;
import dev.sigstream.notifier.channel.Render;
import dev.sigstream.notifier.delivery.DeliveryResult;
import dev.sigstream.notifier.route.Step;
import dev.sigstream.notifier.template.Markup;
import java.util.List;

/**
 * Slack incoming webhook: {@code POST <url>} with {@code {text, blocks}}, no auth header (the URL is the secret).
 * Success is HTTP 200 with the plain-text body {@code ok}; any other 200 body is an error (as Alertmanager treats
 * it); 4xx text codes ({@code invalid_payload}, {@code channel_not_found}, {@code no_team} for a revoked URL) are
 * permanent; 429 and 5xx retry. Webhooks cannot edit messages: a resolution is a new message.
 */
public final class SlackWebhookChannel implements Channel {

  private final String url;
  private final Http http;
  private final Render render;

  public SlackWebhookChannel(final String url, final Http http, final Render render) {
    this.url = url;
    this.http = http;
    this.render = render;
  }

  @Override
  public String type() {
    return "slack-webhook";
  }

  @Override
  public DeliveryResult send(final Step s, final int attempt, final boolean recover) {
    final ObjectNode msg = Http.JSON.createObjectNode();
    msg.put("text", Escape.cap(render.title(s, Markup.SLACK), 1024));
    try {
      msg.set("blocks", SlackBlocks.blocks(s, render));
    } catch (IllegalArgumentException e) {
      return new DeliveryResult.Permanent("invalid Block Kit message: " + e.getMessage(), 0);
    }
    final List<String> problems = SlackBlocks.validate(msg);
    if (!problems.isEmpty()) {
      return new DeliveryResult.Permanent("invalid Block Kit message: " + problems, 0);
    }
    return http.exchange(http.request(url).header("Content-Type", "application/json").POST(Http.json(msg)).build(),
        r -> r.status() == 404 && r.body().trim().equals("no_team")
            // Slack: a revoked webhook URL answers 404 no_team; nothing sent to it can succeed again.
            ? new DeliveryResult.Permanent("webhook URL revoked (404 no_team)", 404, true)
            : http.classify(r, ok -> "ok".equals(ok.body().trim())
            ? DeliveryResult.ok()
            : new DeliveryResult.Permanent("unexpected answer: " + Http.snippet(ok.body()), ok.status())));
  }
}
