package dev.sigstream.ingest;

import java.io.IOException;
import java.io.InputStream;
import java.util.Map;

/**
 * What {@link WebhookEndpoint} needs of one HTTP exchange, so that the one endpoint (caps, auth, parsing, replay,
 * publish, answers) serves both Javalin routes ({@link JavalinWebhookExchange}) and the plain Jetty handler in
 * front of Javalin ({@link WebhookJettyHandler}).
 */
interface WebhookExchange {

  /** The {@code {sourceName}} path segment, decoded. */
  String sourceName();

  /** The HTTP method, upper-case. */
  String method();

  /** The declared {@code Content-Length}, or -1 when absent (chunked). */
  long declaredLength();

  /** The request body as it arrives; the endpoint reads at most its cap plus one byte. */
  InputStream body() throws IOException;

  /** First value of each request header, keyed by lower-case name. */
  Map<String, String> headers();

  /** First non-empty value of each query parameter. */
  Map<String, String> query();

  /** Adds a response header; called before {@link #respond}. */
  void header(String name, String value);

  /** Sends the answer: {@code json} as {@code application/json}, or no body when empty. Called exactly once. */
  void respond(int status, String json);
}
