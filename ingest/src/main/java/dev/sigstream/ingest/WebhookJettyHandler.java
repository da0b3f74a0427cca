package dev.sigstream.ingest;

import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import org.eclipse.jetty.http.HttpField;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.Fields;

/**
 * Serves {@code POST} and {@code OPTIONS /v1/events/{sourceName}} on Jetty's core API, in front of Javalin's
 * servlet; every other request (other paths and methods, and the same path with a trailing slash) goes on to
 * Javalin, where the same {@link WebhookEndpoint} is registered as routes. The endpoint holds all of ingest's logic
 * (caps, auth, parsing, replay, publish, answers); this class only adapts the exchange.
 *
 * <p>Why: on 2 cores a webhook is CPU-bound, and Javalin's path (the ee10 servlet layer, session handler, Javalin's
 * context and task pipeline, response stream wrappers) cost more server CPU per webhook than the rest of ingest
 * together. Measured with {@code IngestLoadGenerator --breakdown}: see docs/ingest.md, Performance.
 */
final class WebhookJettyHandler extends Handler.Wrapper {

  static final String PREFIX = "/v1/events/";

  private final WebhookEndpoint endpoint;

  WebhookJettyHandler(final WebhookEndpoint endpoint) {
    this.endpoint = endpoint;
  }

  @Override
  public boolean handle(final Request request, final Response response, final Callback callback) throws Exception {
    final String method = request.getMethod();
    if (method.equals("POST") || method.equals("OPTIONS")) {
      final String path = Request.getPathInContext(request);
      if (path != null && path.length() > PREFIX.length() && path.startsWith(PREFIX)
          && path.indexOf('/', PREFIX.length()) < 0) {
        final Exchange exchange = new Exchange(request, response, callback, path.substring(PREFIX.length()));
        try {
          endpoint.handle(exchange);
        } finally {
          if (!exchange.responded) {
            // The endpoint answers every request; should writing its answer itself have failed, end the exchange.
            Response.writeError(request, response, callback, 500);
          }
        }
        return true;
      }
    }
    return super.handle(request, response, callback);
  }

  /** One exchange on Jetty's core request and response. */
  private static final class Exchange implements WebhookExchange {
    private final Request request;
    private final Response response;
    private final Callback callback;
    private final String sourceName;
    private boolean responded;

    Exchange(final Request request, final Response response, final Callback callback, final String sourceName) {
      this.request = request;
      this.response = response;
      this.callback = callback;
      this.sourceName = sourceName;
    }

    @Override
    public String sourceName() {
      return sourceName;
    }

    @Override
    public String method() {
      return request.getMethod().toUpperCase(Locale.ROOT);
    }

    @Override
    public long declaredLength() {
      return request.getLength();
    }

    @Override
    public InputStream body() {
      return Request.asInputStream(request);
    }

    @Override
    public Map<String, String> headers() {
      final Map<String, String> headers = new HashMap<>();
      for (final HttpField f : request.getHeaders()) {
        headers.putIfAbsent(f.getLowerCaseName(), f.getValue());
      }
      return headers;
    }

    @Override
    public Map<String, String> query() {
      final Map<String, String> query = new HashMap<>();
      if (request.getHttpURI().getQuery() != null) {
        for (final Fields.Field f : Request.extractQueryParameters(request, StandardCharsets.UTF_8)) {
          if (!f.getValues().isEmpty()) {
            query.put(f.getName(), f.getValue());
          }
        }
      }
      return query;
    }

    @Override
    public void header(final String name, final String value) {
      response.getHeaders().put(name, value);
    }

    @Override
    public void respond(final int status, final String json) {
      if (responded) {
        return;
      }
      responded = true;
      response.setStatus(status);
      if (json.isEmpty()) {
        response.getHeaders().put(HttpHeader.CONTENT_LENGTH, 0L);
        response.write(true, null, callback);
      } else {
        final byte[] bytes = json.getBytes(StandardCharsets.UTF_8);
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, "application/json");
        response.getHeaders().put(HttpHeader.CONTENT_LENGTH, (long) bytes.length);
        response.write(true, ByteBuffer.wrap(bytes), callback);
      }
    }
  }
}
