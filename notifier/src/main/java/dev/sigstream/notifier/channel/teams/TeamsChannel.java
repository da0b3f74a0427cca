package dev.sigstream.notifier.channel.teams;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sigstream.notifier.channel.Channel;
import dev.sigstream.notifier.channel.Http;
import dev.sigstream.notifier.channel.Render;
import dev.sigstream.notifier.delivery.DeliveryResult;
import dev.sigstream.notifier.route.Step;
import java.util.List;

/**
 * Microsoft Teams through a Workflows webhook ("When a Teams webhook request is received"): the URL is the secret;
 * any 2xx (typically 202) is success. Because a bad card is only noticed inside the flow after the 202, the card is
 * validated locally and an invalid one is a permanent failure, never sent.
 */
public final class TeamsChannel implements Channel {

  private final String url;
  private final Http http;
  private final Render render;

  public TeamsChannel(final String url, final Http http, final Render render) {
    this.url = url;
    this.http = http;
    this.render = render;
  }

  @Override
  public String type() {
    return "teams";
  }

  @Override
  public DeliveryResult send(final Step s, final int attempt, final boolean recover) {
    final ObjectNode env;
    try {
      env = AdaptiveCards.envelope(s, render);
    } catch (IllegalArgumentException e) {
      return new DeliveryResult.Permanent("invalid Adaptive Card: " + e.getMessage(), 0);
    }
    final List<String> problems = AdaptiveCards.validate(env);
    if (!problems.isEmpty()) {
      return new DeliveryResult.Permanent("invalid Adaptive Card: " + problems, 0);
    }
    return http.exchange(http.request(url).header("Content-Type", "application/json").POST(Http.json(env)).build(),
        r -> http.classify(r, ok -> DeliveryResult.ok()));
  }
}
