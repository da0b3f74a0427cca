package dev.sigstream.app;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/**
 * Container health check: {@code java -cp /app/classes dev.sigstream.app.HealthProbe http://127.0.0.1:8080/readyz}
 * exits 0 on a 2xx answer within 3 s, else 1. The image has no shell tools (no curl, no wget); this class uses the
 * JDK only, so it starts without the application's classpath. Loopback URLs only: it is a local probe, not a client.
 */
public final class HealthProbe {

  private HealthProbe() {
  }

  public static void main(final String[] args) {
    System.exit(probe(args));
  }

  static int probe(final String[] args) {
    if (args.length != 1) {
      System.err.println("usage: HealthProbe http://127.0.0.1:PORT/PATH");
      return 2;
    }
    final URI uri;
    try {
      uri = URI.create(args[0]);
    } catch (final IllegalArgumentException e) {
      System.err.println("not a URL: " + e.getMessage());
      return 2;
    }
    if (!"http".equals(uri.getScheme()) || !("127.0.0.1".equals(uri.getHost()) || "localhost".equals(uri.getHost()))) {
      System.err.println("only http://127.0.0.1 or http://localhost URLs are probed");
      return 2;
    }
    try {
      final HttpResponse<String> r = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build().send(
          HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(3)).build(), HttpResponse.BodyHandlers.ofString());
      if (r.statusCode() / 100 == 2) {
        return 0;
      }
      System.err.println(r.statusCode() + " " + r.body().lines().findFirst().orElse(""));
      return 1;
    } catch (final java.io.IOException e) {
      System.err.println("unreachable: " + e.getMessage());
      return 1;
    } catch (final InterruptedException e) {
      Thread.currentThread().interrupt();
      return 1;
    }
  }
}
