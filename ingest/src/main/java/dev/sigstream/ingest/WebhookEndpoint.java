package dev.sigstream.ingest;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.sigstream.ingest.publish.ArtifactEventPublisher;
import dev.sigstream.ingest.source.Source;
import dev.sigstream.ingest.source.SourceResult;
import dev.sigstream.ingest.source.WebhookRequest;
import dev.sigstream.schemas.avro.ArtifactPushed;
import io.javalin.http.Context;
import java.io.IOException;
import java.io.InputStream;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code POST|OPTIONS /v1/events/{sourceName}}: caps and reads the request, lets the source authenticate and
 * parse it, drops replays, publishes, and answers 2xx only once Kafka acknowledged every record of the request.
 * Every answer is JSON ({@code {"error": CODE, "message": ...}} on failure); no exception leaves this class.
 */
final class WebhookEndpoint {

  private static final Logger log = LoggerFactory.getLogger(WebhookEndpoint.class);
  private static final String UNKNOWN = "unknown";

  private final Map<String, Source> sources;
  private final ArtifactEventPublisher publisher;
  private final IngestConfig config;
  private final IngestMetrics metrics;
  private final ReplayCache replays;
  private final Clock clock;

  WebhookEndpoint(final List<Source> sources, final ArtifactEventPublisher publisher, final IngestConfig config,
      final IngestMetrics metrics, final Clock clock) {
    final Map<String, Source> byName = new HashMap<>();
    sources.forEach(s -> byName.put(s.name(), s));
    this.sources = Map.copyOf(byName);
    this.publisher = publisher;
    this.config = config;
    this.metrics = metrics;
    this.clock = clock;
    this.replays = new ReplayCache(config.replayWindow(), config.replayCapacity(), clock);
  }

  /** A Javalin route's handler. */
  void handle(final Context ctx) {
    handle(new JavalinWebhookExchange(ctx));
  }

  void handle(final WebhookExchange ctx) {
    try {
      handleUnsafe(ctx);
    } catch (RuntimeException e) {
      log.error("ingest request failed unexpectedly", e);
      error(ctx, 500, "INTERNAL_ERROR", "the request could not be processed; retry later");
    }
  }

  private void handleUnsafe(final WebhookExchange ctx) {
    final String name = ctx.sourceName();
    final Source source = sources.get(name);
    if (source == null) {
      metrics.rejected(UNKNOWN, "UNKNOWN_SOURCE");
      error(ctx, 404, "UNKNOWN_SOURCE", "no source named '" + clip(name) + "' is configured");
      return;
    }
    final String method = ctx.method();
    final long declared = ctx.declaredLength();
    if (declared > config.maxBodyBytes()) {
      reject(ctx, source, SourceResult.Reason.PAYLOAD_TOO_LARGE.reject(tooLarge()));
      return;
    }
    final byte[] body;
    try (InputStream in = ctx.body()) {
      body = in.readNBytes(config.maxBodyBytes() + 1);
    } catch (IOException e) {
      metrics.rejected(name, "READ_FAILED");
      error(ctx, 400, "READ_FAILED", "the request body could not be read");
      return;
    }
    if (body.length > config.maxBodyBytes()) {
      reject(ctx, source, SourceResult.Reason.PAYLOAD_TOO_LARGE.reject(tooLarge()));
      return;
    }
    final WebhookRequest request = new WebhookRequest(method, ctx.headers(), ctx.query(), body, clock.instant());
    final SourceResult result = source.handle(request);
    if (result instanceof SourceResult.Handshake h) {
      h.headers().forEach(ctx::header);
      ctx.respond(h.status(), h.jsonBody());
      log.info("answered {} handshake for source {}", method, name);
    } else if (result instanceof SourceResult.Rejected r) {
      reject(ctx, source, r);
    } else if (result instanceof SourceResult.Accepted a) {
      accept(ctx, source, a);
    }
  }

  private void accept(final WebhookExchange ctx, final Source source, final SourceResult.Accepted a) {
    final String name = source.name();
    metrics.events(name, "ignored", a.ignored());
    metrics.events(name, "deleted", a.deleted());
    if (a.deleted() > 0) {
      log.info("source {}: {} delete event(s) recorded, not published", name, a.deleted());
    }
    final String deliveryKey = a.deliveryId() == null ? null : name + "|delivery|" + a.deliveryId();
    if (deliveryKey != null && replays.seen(deliveryKey)) {
      metrics.events(name, "duplicate", a.events().size());
      ok(ctx, 0, a.ignored(), a.deleted(), a.events().size());
      return;
    }
    final List<ArtifactPushed> fresh = new ArrayList<>(a.events().size());
    for (final ArtifactPushed e : a.events()) {
      if (!replays.seen(name + "|" + e.getEventId())) {
        fresh.add(e);
      }
    }
    final int duplicates = a.events().size() - fresh.size();
    metrics.events(name, "duplicate", duplicates);
    if (fresh.isEmpty()) {
      if (deliveryKey != null) {
        replays.remember(deliveryKey);
      }
      ok(ctx, 0, a.ignored(), a.deleted(), duplicates);
      return;
    }
    if (!publisher.available()) {
      unavailable(ctx, name, "Kafka is unreachable");
      return;
    }
    final long t0 = System.nanoTime();
    final long deadline = config.produceTimeout().toNanos();
    final CompletableFuture<Void> sent = publisher.publishAll(fresh);
    // The request thread waits for the acknowledgement with a timed get: send() may itself have blocked for
    // metadata, so the whole request keeps to one deadline. A timed get rather than orTimeout(), whose shared timer
    // thread was woken for every request. Measured: Javalin's ctx.future() path served a third of the webhooks/s
    // of this blocking wait on the same machine.
    Throwable failure = null;
    try {
      sent.get(Math.max(1, deadline - (System.nanoTime() - t0)), TimeUnit.NANOSECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      failure = e;
    } catch (java.util.concurrent.ExecutionException e) {
      failure = e.getCause();
    } catch (TimeoutException e) {
      failure = e;
    }
    final long took = System.nanoTime() - t0;
    if (failure == null) {
      metrics.produced(took, true);
      final List<String> ids = new ArrayList<>(fresh.size() + 1);
      for (final ArtifactPushed e : fresh) {
        ids.add(name + "|" + e.getEventId());
      }
      if (deliveryKey != null) {
        ids.add(deliveryKey);
      }
      replays.rememberAll(ids);
      metrics.events(name, "accepted", fresh.size());
      ok(ctx, fresh.size(), a.ignored(), a.deleted(), duplicates);
    } else {
      metrics.produced(took, false);
      unavailable(ctx, name, failure instanceof TimeoutException
          ? "Kafka did not acknowledge within " + config.produceTimeout().toMillis() + " ms"
          : "Kafka refused the records (" + failure.getClass().getSimpleName() + ")");
    }
  }

  private void unavailable(final WebhookExchange ctx, final String source, final String why) {
    metrics.rejected(source, "KAFKA_UNAVAILABLE");
    metrics.request(source, 503);
    log.warn("source {}: answering 503, {}", source, why);
    ctx.header("Retry-After", Long.toString(config.retryAfter().toSeconds()));
    json(ctx, 503, body("KAFKA_UNAVAILABLE", why + "; nothing was accepted, retry the whole delivery"));
  }

  private void ok(final WebhookExchange ctx, final int accepted, final int ignored, final int deleted, final int duplicates) {
    metrics.request(ctx.sourceName(), 200);
    // Four integers: formatted directly; Jackson's tree and serializer were 4% of a webhook's samples (JFR).
    json(ctx, 200, "{\"accepted\":" + accepted + ",\"ignored\":" + ignored + ",\"deleted\":" + deleted
        + ",\"duplicates\":" + duplicates + "}");
  }

  private void reject(final WebhookExchange ctx, final Source source, final SourceResult.Rejected r) {
    metrics.rejected(source.name(), r.reason().name());
    metrics.request(source.name(), r.status());
    log.info("source {}: rejected {} {}: {}", source.name(), r.status(), r.reason(), r.message());
    if (r.status() == 401) {
      ctx.header("WWW-Authenticate", "Bearer realm=\"sigstream-ingest\"");
    }
    json(ctx, r.status(), body(r.reason().name(), r.message()));
  }

  private String tooLarge() {
    return "request body exceeds " + config.maxBodyBytes() + " bytes";
  }

  private static void error(final WebhookExchange ctx, final int status, final String code, final String message) {
    json(ctx, status, body(code, message));
  }

  private static String body(final String code, final String message) {
    return JsonNodeFactory.instance.objectNode().put("error", code).put("message", message).toString();
  }

  private static void json(final WebhookExchange ctx, final int status, final String json) {
    ctx.respond(status, json);
  }

  private static String clip(final String s) {
    return s.length() > 64 ? s.substring(0, 64) + "…" : s.replaceAll("[^A-Za-z0-9._-]", "?");
  }
}
