package dev.sigstream.ingest.source;

import java.time.Instant;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * One inbound webhook delivery as the HTTP layer received it, already length-capped: the body is at most the
 * configured maximum and header values are as the server accepted them. Header names are lower-case.
 *
 * @param method HTTP method, upper-case
 * @param headers first value of each header, keyed by lower-case name
 * @param query first value of each query parameter
 * @param body raw body bytes (signatures are computed over these)
 * @param receivedAt when ingest received the request
 */
public record WebhookRequest(String method, Map<String, String> headers, Map<String, String> query, byte[] body,
    Instant receivedAt) {

  public WebhookRequest {
    Objects.requireNonNull(method, "method");
    headers = Map.copyOf(headers);
    query = Map.copyOf(query);
    Objects.requireNonNull(body, "body");
    Objects.requireNonNull(receivedAt, "receivedAt");
  }

  /** The header's value, or null. */
  public String header(final String name) {
    return headers.get(name.toLowerCase(Locale.ROOT));
  }

  /** The media type of {@code Content-Type} without parameters, lower-case; empty when absent. */
  public String mediaType() {
    final String ct = header("content-type");
    if (ct == null) {
      return "";
    }
    final int semi = ct.indexOf(';');
    return (semi < 0 ? ct : ct.substring(0, semi)).trim().toLowerCase(Locale.ROOT);
  }
}
