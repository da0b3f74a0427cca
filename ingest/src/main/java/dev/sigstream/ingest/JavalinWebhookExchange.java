package dev.sigstream.ingest;

import io.javalin.http.Context;
import java.io.IOException;
import java.io.InputStream;
import java.util.Enumeration;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

/** A webhook exchange on a Javalin route ({@code sigstream run}'s shared server, and what the Jetty handler leaves). */
final class JavalinWebhookExchange implements WebhookExchange {

  private final Context ctx;

  JavalinWebhookExchange(final Context ctx) {
    this.ctx = ctx;
  }

  @Override
  public String sourceName() {
    return ctx.pathParam("sourceName");
  }

  @Override
  public String method() {
    return ctx.req().getMethod().toUpperCase(Locale.ROOT);
  }

  @Override
  public long declaredLength() {
    return ctx.req().getContentLengthLong();
  }

  @Override
  public InputStream body() throws IOException {
    return ctx.req().getInputStream();
  }

  @Override
  public Map<String, String> headers() {
    final Map<String, String> headers = new HashMap<>();
    final Enumeration<String> names = ctx.req().getHeaderNames();
    while (names.hasMoreElements()) {
      final String h = names.nextElement();
      headers.putIfAbsent(h.toLowerCase(Locale.ROOT), ctx.req().getHeader(h));
    }
    return headers;
  }

  @Override
  public Map<String, String> query() {
    final Map<String, String> query = new HashMap<>();
    ctx.queryParamMap().forEach((k, v) -> {
      if (!v.isEmpty()) {
        query.put(k, v.get(0));
      }
    });
    return query;
  }

  @Override
  public void header(final String name, final String value) {
    ctx.header(name, value);
  }

  @Override
  public void respond(final int status, final String json) {
    ctx.status(status);
    if (!json.isEmpty()) {
      ctx.contentType("application/json").result(json);
    }
  }
}
