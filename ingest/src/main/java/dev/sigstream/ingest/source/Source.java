package dev.sigstream.ingest.source;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * One configured webhook source: its type's parser, its authenticator and the registries it may speak for.
 * {@link #handle} is pure (no I/O beyond a JWKS fetch by a JWT authenticator) and never throws.
 *
 * <p>Order: handshakes first (they publish nothing and Event Grid expects them answered before any auth that
 * would reject them), then authentication on the raw request, then parsing, then edge validation and the
 * registry allowlist. A request is published entirely or not at all.
 */
public final class Source {

  private static final Pattern ORIGIN = Pattern.compile("\\*|[A-Za-z0-9](?:[A-Za-z0-9.-]{0,251}[A-Za-z0-9])?");

  private final String name;
  private final SourceType type;
  private final Authenticator auth;
  private final SourceParser parser;
  private final Normalizer normalizer;

  /**
   * @param registries allowed registry hosts ({@code host[:port]}, lower-case); the first is the default for
   *     payloads that do not name their registry
   */
  public Source(final String name, final SourceType type, final Authenticator auth, final List<String> registries) {
    if (registries.isEmpty()) {
      throw new IllegalArgumentException("a source needs at least one registry");
    }
    this.name = name;
    this.type = type;
    this.auth = auth;
    this.parser = type.newParser();
    this.normalizer = new Normalizer(type.eventSource().wireName(), Set.copyOf(registries), registries.get(0));
  }

  public String name() {
    return name;
  }

  public SourceType type() {
    return type;
  }

  public Authenticator authenticator() {
    return auth;
  }

  public SourceResult handle(final WebhookRequest request) {
    try {
      if (request.method().equals("OPTIONS")) {
        return options(request);
      }
      if (type == SourceType.EVENTGRID && "SubscriptionValidation".equalsIgnoreCase(request.header("aeg-event-type"))) {
        Parsed p = null;
        try {
          p = parser.parse(request);
        } catch (BadInput e) {
          // not a well-formed handshake: authenticate first, then report the problem
        }
        if (p != null && p.handshake != null) {
          return p.handshake;
        }
      }
      final SourceResult.Rejected denied = auth.check(request);
      if (denied != null) {
        return denied;
      }
      final Parsed parsed = parser.parse(request);
      if (parsed.handshake != null) {
        return parsed.handshake;
      }
      return new SourceResult.Accepted(normalizer.normalize(parsed.pushes, request.receivedAt()), parsed.ignored,
          parsed.deleted, parsed.deliveryId);
    } catch (BadInput e) {
      return e.toRejection();
    } catch (RuntimeException | StackOverflowError e) {
      // A parser bug must not become a 500 with a trace; the sender gets a 400 naming the failure class.
      return SourceResult.Reason.INVALID_FIELD.reject("payload could not be processed (" + e.getClass().getSimpleName() + ")");
    }
  }

  /** CloudEvents webhook abuse protection (http-webhook.md section 4), for types that receive CloudEvents. */
  private SourceResult options(final WebhookRequest request) {
    if (!parser.cloudEventsHandshake()) {
      return new SourceResult.Handshake(405, Map.of("Allow", "POST"), "{\"error\":\"METHOD_NOT_ALLOWED\",\"message\":\"this source has no OPTIONS handshake\"}");
    }
    String origin = request.header("webhook-request-origin");
    if (origin == null) {
      origin = request.header("origin");
    }
    if (origin == null || origin.isEmpty()) {
      return SourceResult.Reason.MISSING_FIELD.reject("header WebHook-Request-Origin is required for the handshake");
    }
    if (origin.length() > 253 || !ORIGIN.matcher(origin).matches()) {
      return SourceResult.Reason.INVALID_FIELD.reject("WebHook-Request-Origin is not a host name");
    }
    final Map<String, String> headers = new LinkedHashMap<>();
    headers.put("WebHook-Allowed-Origin", origin);
    headers.put("WebHook-Allowed-Rate", "*");
    headers.put("Allow", "POST, OPTIONS");
    return new SourceResult.Handshake(200, headers, "");
  }
}
