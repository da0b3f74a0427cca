package dev.sigstream.oci.client;

import com.sun.net.httpserver.Headers;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ExecutorService;

/** A loopback HTTP server for protocol tests: routes by "METHOD path", records every request. */
final class StubServer implements AutoCloseable {

  /** A recorded request. */
  record Seen(String method, String pathAndQuery, Headers headers) {}

  @FunctionalInterface
  interface Handler {
    void handle(HttpExchange ex) throws IOException;
  }

  private final HttpServer server;
  private final ExecutorService pool = Executors.newCachedThreadPool();
  private final Map<String, Handler> routes = new ConcurrentHashMap<>();
  final List<Seen> seen = new CopyOnWriteArrayList<>();

  StubServer() throws IOException {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext("/", ex -> {
      try (ex) {
        final String pq = ex.getRequestURI().getRawPath()
            + (ex.getRequestURI().getRawQuery() != null ? "?" + ex.getRequestURI().getRawQuery() : "");
        seen.add(new Seen(ex.getRequestMethod(), pq, ex.getRequestHeaders()));
        ex.getRequestBody().readAllBytes();
        final Handler h = routes.get(ex.getRequestMethod() + " " + ex.getRequestURI().getRawPath());
        if (h == null) {
          send(ex, 404, "text/plain", "404 page not found");
        } else {
          h.handle(ex);
        }
      }
    });
    server.setExecutor(pool);
    server.start();
  }

  String url() {
    return "http://" + host();
  }

  String host() {
    return "127.0.0.1:" + server.getAddress().getPort();
  }

  StubServer on(final String method, final String path, final Handler h) {
    routes.put(method + " " + path, h);
    return this;
  }

  long count(final String method, final String pathPrefix) {
    return seen.stream().filter(s -> s.method().equals(method) && s.pathAndQuery().startsWith(pathPrefix)).count();
  }

  static void send(final HttpExchange ex, final int status, final String contentType, final String body)
      throws IOException {
    send(ex, status, contentType, body.getBytes(StandardCharsets.UTF_8));
  }

  static void send(final HttpExchange ex, final int status, final String contentType, final byte[] body)
      throws IOException {
    if (contentType != null) {
      ex.getResponseHeaders().set("Content-Type", contentType);
    }
    if ("HEAD".equals(ex.getRequestMethod())) {
      ex.getResponseHeaders().set("Content-Length", String.valueOf(body.length));
      ex.sendResponseHeaders(status, -1);
      return;
    }
    ex.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
    try (OutputStream o = ex.getResponseBody()) {
      o.write(body);
    }
  }

  @Override
  public void close() {
    server.stop(0);
    pool.shutdownNow();
  }
}
