package dev.sigstream.ingest.source;

import dev.sigstream.testing.Reference;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Instant;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

/** Builds {@link WebhookRequest}s for tests; reads reference payloads in place. */
final class Req {

  static final Instant NOW = Instant.parse("2026-01-01T00:00:00Z");

  private String method = "POST";
  private final Map<String, String> headers = new HashMap<>();
  private final Map<String, String> query = new HashMap<>();
  private byte[] body = new byte[0];

  static Req post(final String contentType, final String body) {
    return new Req().header("Content-Type", contentType).body(body);
  }

  static Req options() {
    final Req r = new Req();
    r.method = "OPTIONS";
    return r;
  }

  Req header(final String name, final String value) {
    if (value == null) {
      headers.remove(name.toLowerCase(Locale.ROOT));
      return this;
    }
    headers.put(name.toLowerCase(Locale.ROOT), value);
    return this;
  }

  Req query(final String name, final String value) {
    query.put(name, value);
    return this;
  }

  Req body(final String s) {
    body = s.getBytes(StandardCharsets.UTF_8);
    return this;
  }

  Req body(final byte[] b) {
    body = b;
    return this;
  }

  WebhookRequest build() {
    return new WebhookRequest(method, headers, query, body, NOW);
  }

  /** A payload from {@code ../shared/reference/webhooks/examples}, read in place. */
  static String example(final String name) {
    try {
      return Files.readString(Reference.resolve("webhooks/examples/" + name), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
