package dev.sigstream.notifier.channel.eventgrid;

import com.azure.core.credential.AzureKeyCredential;
import com.azure.core.exception.HttpResponseException;
import com.azure.core.http.HttpClient;
import com.azure.core.http.HttpHeaderName;
import com.azure.core.http.policy.FixedDelayOptions;
import com.azure.core.http.policy.RetryOptions;
import com.azure.core.models.CloudEvent;
import com.azure.core.models.CloudEventDataFormat;
import com.azure.core.util.BinaryData;
import com.azure.core.util.Context;
import com.azure.messaging.eventgrid.EventGridPublisherClient;
import com.azure.messaging.eventgrid.EventGridPublisherClientBuilder;
import dev.sigstream.notifier.channel.Channel;
import dev.sigstream.notifier.channel.Http;
import dev.sigstream.notifier.channel.Render;
import dev.sigstream.notifier.channel.webhook.WebhookChannel;
import dev.sigstream.notifier.delivery.DeliveryResult;
import dev.sigstream.notifier.route.Step;
import dev.sigstream.notifier.route.VerdictView;
import dev.sigstream.notifier.template.Markup;
import java.time.Duration;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Azure Event Grid: each notification is a CloudEvent ({@code type dev.sigstream.verdict.<action>}, subject the
 * artifact key, a stable id so subscribers deduplicate) published to a CloudEvents-schema topic through the SDK's
 * {@link EventGridPublisherClient} with the {@code aeg-sas-key} credential. The SDK's own retries are switched off:
 * the {@code Deliverer} owns retries, pacing and the dead-letter topic for every target alike.
 */
public final class EventGridChannel implements Channel {

  private final EventGridPublisherClient<CloudEvent> client;
  private final Render render;

  /** @param httpClient the azure-core HTTP client (JDK HttpClient based in production) */
  public EventGridChannel(final String endpoint, final String key, final HttpClient httpClient, final Render render) {
    this.client = new EventGridPublisherClientBuilder()
        .endpoint(endpoint)
        .credential(new AzureKeyCredential(key))
        .httpClient(httpClient)
        .retryOptions(new RetryOptions(new FixedDelayOptions(0, Duration.ofMillis(1))))
        .buildCloudEventPublisherClient();
    this.render = render;
  }

  @Override
  public String type() {
    return "eventgrid";
  }

  @Override
  public DeliveryResult send(final Step s, final int attempt, final boolean recover) {
    final VerdictView v = s.verdict();
    final Map<String, Object> data = new LinkedHashMap<>();
    data.put("dedupeKey", s.key().value());
    data.put("summary", render.title(s, Markup.PLAIN));
    data.put("message", render.body(s, Markup.PLAIN));
    data.put("artifactKey", v.key());
    data.put("registry", v.registry());
    data.put("repository", v.repository());
    data.put("digest", v.digest().orElse(null));
    data.put("outcome", v.outcome().name());
    data.put("reasonCode", v.reasonCode());
    data.put("failureClass", s.failureClass());
    data.put("severity", s.severity().name());
    data.put("policy", v.policy().orElse(null));
    data.put("signer", v.signer().orElse(null));
    data.put("verdictUrl", render.link(v));
    if (!s.grouped().isEmpty()) {
      data.put("alsoAffected", s.grouped().stream().map(VerdictView::key).toList());
    }
    final CloudEvent ev = new CloudEvent("/sigstream/notifier", "dev.sigstream.verdict." + s.action().name().toLowerCase(Locale.ROOT),
        BinaryData.fromObject(data), CloudEventDataFormat.JSON, "application/json")
        .setId(WebhookChannel.messageId(s))
        .setSubject(v.key())
        .setTime(v.decidedAt().atOffset(ZoneOffset.UTC));
    try {
      client.sendEventsWithResponse(List.of(ev), Context.NONE);
      return DeliveryResult.ok();
    } catch (HttpResponseException e) {
      final int status = e.getResponse() == null ? 0 : e.getResponse().getStatusCode();
      final Optional<Duration> ra = Optional.ofNullable(e.getResponse() == null ? null : e.getResponse().getHeaders().getValue(HttpHeaderName.RETRY_AFTER))
          .flatMap(x -> {
            try {
              return Optional.of(Duration.ofSeconds(Long.parseLong(x.trim())));
            } catch (NumberFormatException nfe) {
              return Optional.empty();
            }
          });
      if (status == 429 || status >= 500) {
        return new DeliveryResult.Retry("event grid " + status, status, ra, true);
      }
      // 400 bad format, 401 bad key, 404 wrong endpoint, 413 too large: sending again will not help.
      // 404: the topic endpoint does not exist (deleted or mistyped): gone, the destination is disabled.
      return new DeliveryResult.Permanent("event grid " + status + ": " + Http.snippet(e.getMessage()), status, status == 404 || status == 410);
    } catch (RuntimeException e) {
      // Network errors and timeouts surface as unchecked exceptions from the synchronous client.
      Throwable root = e;
      while (root.getCause() != null && root.getCause() != root) {
        root = root.getCause();
      }
      return new DeliveryResult.Retry("event grid: " + root.getClass().getSimpleName() + ": " + Http.snippet(String.valueOf(root.getMessage())), 0,
          Optional.empty(), true);
    }
  }
}
