package dev.sigstream.notifier.channel.pagerduty;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sigstream.notifier.channel.Channel;
import dev.sigstream.notifier.channel.Escape;
import dev.sigstream.notifier.channel.Http;
import dev.sigstream.notifier.channel.Render;
import dev.sigstream.notifier.delivery.DeliveryResult;
import dev.sigstream.notifier.route.Step;
import dev.sigstream.notifier.template.Markup;
import java.util.Locale;
import java.util.Map;

/**
 * PagerDuty Events API v2: {@code POST /v2/enqueue}, no auth header ({@code routing_key} in the body). The dedupe
 * key is the {@code dedup_key}, so a retried trigger never opens a second incident; a PASS sends {@code resolve}.
 * 202 is success, 400 permanent, 429 and 5xx retry.
 */
public final class PagerDutyChannel implements Channel {

  private final String url;
  private final String routingKey;
  private final Http http;
  private final Render render;

  public PagerDutyChannel(final String url, final String routingKey, final Http http, final Render render) {
    this.url = url;
    this.routingKey = routingKey;
    this.http = http;
    this.render = render;
  }

  @Override
  public String type() {
    return "pagerduty";
  }

  @Override
  public DeliveryResult send(final Step s, final int attempt, final boolean recover) {
    if (s.action() == Step.Action.NOTIFY) {
      // Paging is for failures; a PASS with nothing open has nothing to page or resolve.
      return DeliveryResult.ok();
    }
    final ObjectNode ev = Http.JSON.createObjectNode();
    ev.put("routing_key", routingKey);
    ev.put("event_action", s.action() == Step.Action.RESOLVE ? "resolve" : "trigger");
    ev.put("dedup_key", s.key().value());
    if (s.action() != Step.Action.RESOLVE) {
      final ObjectNode p = ev.putObject("payload");
      p.put("summary", Escape.cap(render.title(s, Markup.PLAIN), 1024));
      p.put("timestamp", s.verdict().decidedAt().toString());
      p.put("source", Escape.cap(s.verdict().location(), 255));
      p.put("severity", switch (s.severity()) {
        case CRITICAL -> "critical";
        case ERROR -> "error";
        case WARNING -> "warning";
        case INFO -> "info";
      });
      p.put("component", s.verdict().artifactClass().toLowerCase(Locale.ROOT));
      p.put("group", s.verdict().policy().orElse("no-policy"));
      p.put("class", s.failureClass());
      final ObjectNode details = p.putObject("custom_details");
      for (final Map.Entry<String, String> f : render.facts(s).entrySet()) {
        details.put(f.getKey(), Escape.cap(f.getValue(), 4000));
      }
      details.put("message", Escape.cap(render.body(s, Markup.PLAIN), 16_000));
      ev.putArray("links").addObject().put("href", render.link(s.verdict())).put("text", "Sigstream verdict");
      ev.put("client", "Sigstream");
      ev.put("client_url", render.link(s.verdict()));
    }
    return http.exchange(http.request(url).header("Content-Type", "application/json").POST(Http.json(ev)).build(),
        r -> http.classify(r, ok -> DeliveryResult.ok(s.key().value())));
  }
}
