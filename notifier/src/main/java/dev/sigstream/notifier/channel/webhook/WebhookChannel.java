package dev.sigstream.notifier.channel.webhook;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sigstream.notifier.channel.Channel;
import dev.sigstream.notifier.channel.Http;
import dev.sigstream.notifier.channel.Render;
import dev.sigstream.notifier.delivery.DeliveryResult;
import dev.sigstream.notifier.route.Step;
import dev.sigstream.notifier.route.VerdictView;
import dev.sigstream.notifier.template.Markup;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Optional;

/**
 * A generic webhook signed per Standard Webhooks: {@code webhook-id} (stable across retries of one message, so the
 * receiver deduplicates), {@code webhook-timestamp} (per attempt), {@code webhook-signature}. Body {@code {type,
 * timestamp, data}}. 2xx success; 3xx failure (never followed); 410 gone (the destination is disabled);
 * 429, 502, 504 and other 5xx retry; other 4xx permanent.
 */
public final class WebhookChannel implements Channel {

  private final String url;
  private final StandardWebhookSigner signer;
  private final Http http;
  private final Render render;

  public WebhookChannel(final String url, final StandardWebhookSigner signer, final Http http, final Render render) {
    this.url = url;
    this.signer = signer;
    this.http = http;
    this.render = render;
  }

  @Override
  public String type() {
    return "webhook";
  }

  /** One id per message: the ticket's dedupe key, the action and the verdict's event id. */
  public static String messageId(final Step s) {
    try {
      final byte[] h = MessageDigest.getInstance("SHA-256").digest(
          (s.key().value() + "|" + s.action() + "|" + s.verdict().eventId()).getBytes(StandardCharsets.UTF_8));
      return "msg_" + HexFormat.of().formatHex(h, 0, 16);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  @Override
  public DeliveryResult send(final Step s, final int attempt, final boolean recover) {
    final VerdictView v = s.verdict();
    final ObjectNode body = Http.JSON.createObjectNode();
    body.put("type", "sigstream.verdict." + s.action().name().toLowerCase(Locale.ROOT));
    body.put("timestamp", http.clock().instant().toString());
    final ObjectNode data = body.putObject("data");
    data.put("dedupeKey", s.key().value());
    data.put("summary", render.title(s, Markup.PLAIN));
    data.put("message", render.body(s, Markup.PLAIN));
    data.put("artifactKey", v.key());
    data.put("registry", v.registry());
    data.put("repository", v.repository());
    data.put("digest", v.digest().orElse(null));
    data.put("tag", v.tag().orElse(null));
    data.put("artifactClass", v.artifactClass());
    data.put("outcome", v.outcome().name());
    data.put("reasonCode", v.reasonCode());
    data.put("failureClass", s.failureClass());
    data.put("severity", s.severity().name());
    data.put("detail", v.detail());
    data.put("policy", v.policy().orElse(null));
    data.put("signer", v.signer().orElse(null));
    data.put("verdictUrl", render.link(v));
    data.put("eventId", v.eventId());
    if (!s.grouped().isEmpty()) {
      data.putArray("alsoAffected").addAll(s.grouped().stream().map(g -> (com.fasterxml.jackson.databind.JsonNode) Http.JSON.getNodeFactory().textNode(g.key())).toList());
    }
    final byte[] bytes;
    try {
      bytes = Http.JSON.writeValueAsBytes(body);
    } catch (IOException e) {
      return new DeliveryResult.Permanent("cannot serialise", 0);
    }
    final String id = messageId(s);
    final long ts = http.clock().instant().getEpochSecond();
    return http.exchange(http.request(url)
            .header("Content-Type", "application/json")
            .header("webhook-id", id)
            .header("webhook-timestamp", Long.toString(ts))
            .header("webhook-signature", signer.sign(id, ts, bytes))
            .POST(java.net.http.HttpRequest.BodyPublishers.ofByteArray(bytes)).build(),
        r -> {
          if (r.status() == 502 || r.status() == 504) {
            return new DeliveryResult.Retry("throttled", r.status(), http.retryAfter(r.headers()), true);
          }
          if (r.status() == 410) {
            // Standard Webhooks: 410 asks the sender to stop; the destination is disabled.
            return new DeliveryResult.Permanent("endpoint gone (410)", 410, true);
          }
          return http.classify(r, ok -> DeliveryResult.ok(Optional.of(id).get()));
        });
  }
}
