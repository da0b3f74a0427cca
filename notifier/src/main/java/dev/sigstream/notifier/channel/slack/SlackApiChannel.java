package dev.sigstream.notifier.channel.slack;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sigstream.notifier.channel.Channel;
import dev.sigstream.notifier.channel.Escape;
import dev.sigstream.notifier.channel.Http;
import dev.sigstream.notifier.channel.Render;
import dev.sigstream.notifier.delivery.DeliveryResult;
import dev.sigstream.notifier.route.Step;
import dev.sigstream.notifier.template.Markup;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * Slack Web API with a bot token ({@code Authorization: Bearer xoxb-...}): {@code chat.postMessage} opens (the
 * returned {@code ts} is kept as the remote id), reminders reply in its thread, a resolution edits it with {@code
 * chat.update}. Errors arrive as HTTP 200 with {@code ok:false}: {@code ratelimited} retries, every other code
 * ({@code invalid_auth}, {@code channel_not_found}, {@code not_in_channel}, ...) is permanent.
 */
public final class SlackApiChannel implements Channel {

  /** Errors after which no message can be posted until an operator acts (token or channel gone): disable. */
  static final java.util.Set<String> GONE = java.util.Set.of("invalid_auth", "token_revoked", "account_inactive", "channel_not_found", "is_archived");

  private final String baseUrl;
  private final String channel;
  private final String token;
  private final Http http;
  private final Render render;

  public SlackApiChannel(final String baseUrl, final String channel, final String token, final Http http, final Render render) {
    this.baseUrl = baseUrl.endsWith("/") ? baseUrl.substring(0, baseUrl.length() - 1) : baseUrl;
    this.channel = channel;
    this.token = token;
    this.http = http;
    this.render = render;
  }

  @Override
  public String type() {
    return "slack-api";
  }

  @Override
  public DeliveryResult send(final Step s, final int attempt, final boolean recover) {
    final ObjectNode msg = Http.JSON.createObjectNode();
    msg.put("channel", channel);
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
    final String method;
    if (s.action() == Step.Action.RESOLVE && s.remoteId().isPresent()) {
      method = "chat.update";
      msg.put("ts", s.remoteId().get());
    } else {
      method = "chat.postMessage";
      if ((s.action() == Step.Action.REMIND || s.action() == Step.Action.REOPEN) && s.remoteId().isPresent()) {
        msg.put("thread_ts", s.remoteId().get());
      }
    }
    final boolean keepTs = s.action() == Step.Action.OPEN || s.action() == Step.Action.NOTIFY;
    return http.exchange(http.request(baseUrl + "/" + method)
            .header("Content-Type", "application/json; charset=utf-8")
            .header("Authorization", "Bearer " + token)
            .POST(Http.json(msg)).build(),
        r -> http.classify(r, ok -> {
          final JsonNode j = ok.json();
          if (j.path("ok").asBoolean(false)) {
            return keepTs ? DeliveryResult.ok(j.path("ts").asText(null)) : DeliveryResult.ok();
          }
          final String err = j.path("error").asText("unparseable answer");
          if (err.equals("ratelimited") || err.equals("rate_limited")) {
            return new DeliveryResult.Retry(err, ok.status(), Optional.of(http.retryAfter(ok.headers()).orElse(Duration.ofSeconds(1))), false);
          }
          return new DeliveryResult.Permanent("slack error " + err, ok.status(), GONE.contains(err));
        }));
  }
}
