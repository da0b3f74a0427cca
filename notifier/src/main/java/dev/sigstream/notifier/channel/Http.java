package dev.sigstream.notifier.channel;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sigstream.notifier.delivery.DeliveryResult;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Function;

/**
 * The JDK HttpClient as every HTTP channel uses it: per-request timeout, no redirects (a 3xx is a failure, as
 * Standard Webhooks asks), response bodies capped, and the common classification of answers.
 */
public final class Http {

  /** Answers are small JSON documents; anything longer is cut before parsing. */
  static final int MAX_BODY = 64 * 1024;
  public static final ObjectMapper JSON = new ObjectMapper();

  /** An answer from the target. */
  public record Response(int status, String body, HttpHeaders headers) {
    public JsonNode json() {
      try {
        return JSON.readTree(body);
      } catch (IOException e) {
        return JSON.missingNode();
      }
    }
  }

  private final HttpClient client;
  private final Duration timeout;
  private final Clock clock;

  public Http(final Duration timeout, final Clock clock) {
    this.client = HttpClient.newBuilder().connectTimeout(timeout).followRedirects(HttpClient.Redirect.NEVER).build();
    this.timeout = timeout;
    this.clock = clock;
  }

  public Clock clock() {
    return clock;
  }

  public HttpRequest.Builder request(final String url) {
    return HttpRequest.newBuilder(URI.create(url)).timeout(timeout).header("User-Agent", "sigstream-notifier");
  }

  public static HttpRequest.BodyPublisher json(final Object body) {
    try {
      return HttpRequest.BodyPublishers.ofByteArray(JSON.writeValueAsBytes(body));
    } catch (IOException e) {
      throw new IllegalStateException("cannot serialise a request body", e);
    }
  }

  /**
   * Sends and hands a response to {@code onAnswer}; network errors and timeouts become an ambiguous retry (the
   * request may have reached the target).
   */
  public DeliveryResult exchange(final HttpRequest req, final Function<Response, DeliveryResult> onAnswer) {
    try {
      final HttpResponse<InputStream> r = client.send(req, HttpResponse.BodyHandlers.ofInputStream());
      final String body;
      try (InputStream in = r.body()) {
        body = new String(in.readNBytes(MAX_BODY), StandardCharsets.UTF_8);
      }
      return onAnswer.apply(new Response(r.statusCode(), body, r.headers()));
    } catch (HttpTimeoutException e) {
      return new DeliveryResult.Retry("timeout after " + timeout.toMillis() + " ms", 0, Optional.empty(), true);
    } catch (IOException e) {
      return new DeliveryResult.Retry("network: " + e.getClass().getSimpleName(), 0, Optional.empty(), true);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return new DeliveryResult.Retry("interrupted", 0, Optional.empty(), true);
    }
  }

  /**
   * The common rule: 2xx to {@code onSuccess}; 429 and 408 retry (after Retry-After when given); 5xx retry with
   * backoff (Retry-After honoured, Jira sends it on some 503s); 410 Gone is permanent and disables the destination
   * (Standard Webhooks; GitHub when issues are disabled; Slack for an archived channel); anything else, including
   * 3xx, is permanent.
   */
  public DeliveryResult classify(final Response r, final Function<Response, DeliveryResult> onSuccess) {
    final int s = r.status();
    if (s >= 200 && s < 300) {
      return onSuccess.apply(r);
    }
    if (s == 429 || s == 408) {
      return new DeliveryResult.Retry("throttled", s, retryAfter(r.headers()), s == 408);
    }
    if (s >= 500) {
      return new DeliveryResult.Retry("server error: " + snippet(r.body()), s, retryAfter(r.headers()), true);
    }
    return new DeliveryResult.Permanent(snippet(r.body()), s, s == 410);
  }

  /** {@code Retry-After} as seconds or an HTTP date. */
  public Optional<Duration> retryAfter(final HttpHeaders h) {
    final Optional<String> v = h.firstValue("retry-after");
    if (v.isEmpty()) {
      return Optional.empty();
    }
    final String s = v.get().trim();
    try {
      return Optional.of(Duration.ofSeconds(Math.max(0, Long.parseLong(s))));
    } catch (NumberFormatException e) {
      try {
        final Instant at = ZonedDateTime.parse(s, DateTimeFormatter.RFC_1123_DATE_TIME).toInstant();
        final Duration d = Duration.between(clock.instant(), at);
        return Optional.of(d.isNegative() ? Duration.ZERO : d);
      } catch (RuntimeException ignored) {
        return Optional.empty();
      }
    }
  }

  /** The start of an error body, single-line, for logs and the DLQ (never a request: those may carry secrets). */
  public static String snippet(final String body) {
    final String s = body == null ? "" : body.replaceAll("\\s+", " ").trim();
    return s.length() > 200 ? s.substring(0, 200) + "..." : s;
  }

  static String lower(final String s) {
    return s.toLowerCase(Locale.ROOT);
  }
}
