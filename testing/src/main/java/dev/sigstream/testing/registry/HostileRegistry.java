package dev.sigstream.testing.registry;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A tampering proxy in front of a real registry ({@link TestRegistry}): by default it forwards every request
 * unchanged; {@link #attack} switches it to one hostile behaviour, as an attacker controlling a registry (or the path
 * to it) would. Plain HTTP on loopback, like the harness it fronts.
 *
 * <p>The Debian {@code docker-registry} has no referrers API, so the referrers attacks are served by the proxy
 * itself ({@code GET /v2/<name>/referrers/<digest>}); without one, that path is forwarded (404: tag-schema fallback).
 */
public final class HostileRegistry implements AutoCloseable {

  private static final Pattern REFERRERS = Pattern.compile("^/v2/(.+)/referrers/([a-z0-9]+:[a-f0-9]+)$");
  private static final Pattern MANIFEST = Pattern.compile("^/v2/(.+)/manifests/([^/]+)$");
  private static final Pattern BLOB = Pattern.compile("^/v2/(.+)/blobs/([a-z0-9]+:[a-f0-9]+)$");
  private static final Set<String> HOP_BY_HOP = Set.of("connection", "content-length", "transfer-encoding", "date",
      "keep-alive");
  private static final String EMPTY_INDEX = "{\"schemaVersion\":2,\"mediaType\":"
      + "\"application/vnd.oci.image.index.v1+json\",\"manifests\":[]}";

  /** One hostile behaviour. */
  public sealed interface Attack {
    /** Forward unchanged. */
    record None() implements Attack {}

    /** Hold every response for {@code delay} before answering (a registry that is slow, or never answers). */
    record Delay(Duration delay) implements Attack {}

    /**
     * Serve the referrers API for every subject as an endless list: each page empty, answered after
     * {@code perPage} (slow but within a request timeout), with {@code Link: <next page>; rel="next"}.
     */
    record EndlessReferrers(Duration perPage) implements Attack {}

    /** Answer manifest and blob GETs (and referrers) with a 307 redirect to {@code location}. */
    record Redirect(String location) implements Attack {}

    /** Serve one referrers page whose {@code Link: rel="next"} points to {@code target} (another host). */
    record LinkTo(String target) implements Attack {}

    /** Answer every request with 401 and a Bearer challenge whose realm is {@code realm}. */
    record TokenRealm(String realm) implements Attack {}

    /** Replace {@code Docker-Content-Digest} on manifests by the digest of other bytes. */
    record LyingDigest() implements Attack {}

    /**
     * Lie about sizes: HEAD manifest answers declare {@code Content-Length} {@code declared}, and blob bodies carry
     * {@code extraBytes} more bytes than the blob.
     */
    record LyingSize(long declared, int extraBytes) implements Attack {}

    /**
     * Add header {@code name} of {@code length} copies of {@code fill} to every response; for
     * {@code WWW-Authenticate} every request is answered 401; for {@code Link} the proxy serves referrers pages
     * carrying it.
     */
    record HugeHeader(String name, int length, char fill) implements Attack {}
  }

  private final TestRegistry upstream;
  private final HttpServer server;
  private final ExecutorService pool = Executors.newCachedThreadPool(r -> {
    final Thread t = new Thread(r, "hostile-registry");
    t.setDaemon(true);
    return t;
  });
  private final HttpClient http = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER)
      .version(HttpClient.Version.HTTP_1_1).build();
  private final AtomicInteger requests = new AtomicInteger();
  private final AtomicInteger referrerPages = new AtomicInteger();
  private volatile Attack attack = new Attack.None();
  /** GET answers recorded by {@link #replaying}, by path and query; null while not replaying. */
  private volatile Map<String, Recorded> replay;
  private final AtomicInteger replayed = new AtomicInteger();

  private record Recorded(int status, Map<String, List<String>> headers, byte[] body) {}

  private HostileRegistry(final TestRegistry upstream) throws IOException {
    this.upstream = Objects.requireNonNull(upstream, "upstream");
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 64);
    server.createContext("/", this::handle);
    server.setExecutor(pool);
    server.start();
  }

  /** A proxy in front of {@code upstream}, forwarding unchanged until {@link #attack} is called. */
  public static HostileRegistry inFrontOf(final TestRegistry upstream) {
    try {
      return new HostileRegistry(upstream);
    } catch (IOException e) {
      throw new IllegalStateException("cannot start the hostile registry proxy", e);
    }
  }

  /** {@code 127.0.0.1:port}, to use in references (as an insecure registry). */
  public String host() {
    return "127.0.0.1:" + server.getAddress().getPort();
  }

  public String url() {
    return "http://" + host();
  }

  /** Switches to {@code a} for every following request; returns this. */
  public HostileRegistry attack(final Attack a) {
    this.attack = Objects.requireNonNull(a, "attack");
    return this;
  }

  /**
   * From now on, answers every GET it has answered 200 or 404 before from memory, without asking the registry again; the
   * first answer for each path is recorded as the registry gave it. For load generators: a registry's CPU is on
   * another machine in production, so a benchmark that measures the verifier against a registry {@code N} ms away
   * records the registry's answers once and replays them, and the 2 cores measured are spent on the verifier alone.
   * Only for content that does not change while it runs (tags are recorded too). Returns this.
   */
  public HostileRegistry replaying() {
    if (replay == null) {
      replay = new java.util.concurrent.ConcurrentHashMap<>();
    }
    return this;
  }

  /** GETs answered from the {@link #replaying} record so far. */
  public int replayed() {
    return replayed.get();
  }

  /** Requests received so far. */
  public int requests() {
    return requests.get();
  }

  /** Referrers pages the proxy served itself so far. */
  public int referrerPages() {
    return referrerPages.get();
  }

  private void handle(final HttpExchange ex) throws IOException {
    requests.incrementAndGet();
    try (ex) {
      final Attack a = attack;
      final String path = ex.getRequestURI().getRawPath();
      final String method = ex.getRequestMethod();
      final byte[] requestBody = ex.getRequestBody().readAllBytes();
      final Map<String, Recorded> memo = replay;
      final Recorded hit = memo == null || !"GET".equals(method) || !(a instanceof Attack.None) ? null
          : memo.get(replayKey(ex));
      if (hit != null) {
        replayed.incrementAndGet();
        hit.headers().forEach((name, values) -> values.forEach(v -> ex.getResponseHeaders().add(name, v)));
        ex.sendResponseHeaders(hit.status(), hit.body().length == 0 ? -1 : hit.body().length);
        try (OutputStream o = ex.getResponseBody()) {
          o.write(hit.body());
        }
        return;
      }
      if (a instanceof Attack.Delay d) {
        sleep(d.delay());
      } else if (a instanceof Attack.TokenRealm t) {
        ex.getResponseHeaders().set("WWW-Authenticate", "Bearer realm=\"" + t.realm() + "\",service=\"hostile\"");
        send(ex, 401, "application/json", "{\"errors\":[{\"code\":\"UNAUTHORIZED\"}]}".getBytes(
            StandardCharsets.UTF_8));
        return;
      } else if (a instanceof Attack.HugeHeader h) {
        final String value = String.valueOf(h.fill()).repeat(h.length());
        if ("www-authenticate".equalsIgnoreCase(h.name())) {
          ex.getResponseHeaders().set("WWW-Authenticate", "Bearer " + value);
          send(ex, 401, "application/json", "{\"errors\":[{\"code\":\"UNAUTHORIZED\"}]}".getBytes(
              StandardCharsets.UTF_8));
          return;
        }
        if ("link".equalsIgnoreCase(h.name())) {
          final Matcher m = REFERRERS.matcher(path);
          if (m.matches() && "GET".equals(method)) {
            referrerPages.incrementAndGet();
            ex.getResponseHeaders().set("Link", value);
            send(ex, 200, "application/vnd.oci.image.index.v1+json", EMPTY_INDEX.getBytes(StandardCharsets.UTF_8));
            return;
          }
        } else {
          ex.getResponseHeaders().set(h.name(), value);
        }
      } else if (a instanceof Attack.EndlessReferrers e) {
        final Matcher m = REFERRERS.matcher(path);
        if (m.matches() && "GET".equals(method)) {
          final int page = referrerPages.incrementAndGet();
          sleep(e.perPage());
          ex.getResponseHeaders().set("Link", "</v2/" + m.group(1) + "/referrers/" + m.group(2) + "?page=" + page
              + ">; rel=\"next\"");
          send(ex, 200, "application/vnd.oci.image.index.v1+json", EMPTY_INDEX.getBytes(StandardCharsets.UTF_8));
          return;
        }
      } else if (a instanceof Attack.LinkTo l) {
        final Matcher m = REFERRERS.matcher(path);
        if (m.matches() && "GET".equals(method)) {
          referrerPages.incrementAndGet();
          ex.getResponseHeaders().set("Link", "<" + l.target() + ">; rel=\"next\"");
          send(ex, 200, "application/vnd.oci.image.index.v1+json", EMPTY_INDEX.getBytes(StandardCharsets.UTF_8));
          return;
        }
      } else if (a instanceof Attack.Redirect r && "GET".equals(method)
          && (MANIFEST.matcher(path).matches() || BLOB.matcher(path).matches() || REFERRERS.matcher(path).matches())) {
        ex.getResponseHeaders().set("Location", r.location() + path);
        send(ex, 307, null, new byte[0]);
        return;
      }
      forward(ex, a, method, path, requestBody);
    } catch (IOException | RuntimeException e) {
      // The client under test hung up (e.g. cancelled at its deadline): nothing to answer.
    }
  }

  private void forward(final HttpExchange ex, final Attack a, final String method, final String path,
      final byte[] requestBody) throws IOException {
    final URI target = URI.create(upstream.url() + ex.getRequestURI().getRawPath()
        + (ex.getRequestURI().getRawQuery() == null ? "" : "?" + ex.getRequestURI().getRawQuery()));
    final HttpRequest.Builder b = HttpRequest.newBuilder(target).timeout(Duration.ofSeconds(30))
        .method(method, requestBody.length == 0 ? HttpRequest.BodyPublishers.noBody()
            : HttpRequest.BodyPublishers.ofByteArray(requestBody));
    for (Map.Entry<String, List<String>> h : ex.getRequestHeaders().entrySet()) {
      final String name = h.getKey().toLowerCase(Locale.ROOT);
      if (HOP_BY_HOP.contains(name) || "host".equals(name) || "expect".equals(name) || "upgrade".equals(name)) {
        continue;
      }
      for (String v : h.getValue()) {
        b.header(h.getKey(), v);
      }
    }
    final HttpResponse<byte[]> res;
    try {
      res = http.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted", e);
    }
    byte[] body = res.body();
    res.headers().map().forEach((name, values) -> {
      if (!HOP_BY_HOP.contains(name.toLowerCase(Locale.ROOT))) {
        values.forEach(v -> ex.getResponseHeaders().add(name, v));
      }
    });
    final Map<String, Recorded> memo = replay;
    if (memo != null && "GET".equals(method) && a instanceof Attack.None
        && (res.statusCode() == 200 || res.statusCode() == 404)) {
      final Map<String, List<String>> kept = new java.util.TreeMap<>();
      res.headers().map().forEach((name, values) -> {
        if (!HOP_BY_HOP.contains(name.toLowerCase(Locale.ROOT))) {
          kept.put(name, List.copyOf(values));
        }
      });
      memo.putIfAbsent(replayKey(ex), new Recorded(res.statusCode(), kept, body));
    }
    final boolean manifest = MANIFEST.matcher(path).matches();
    if (a instanceof Attack.LyingDigest && manifest && res.headers().firstValue("docker-content-digest")
        .isPresent()) {
      ex.getResponseHeaders().set("Docker-Content-Digest", sha256(("lie " + path).getBytes(StandardCharsets.UTF_8)));
    }
    if (a instanceof Attack.LyingSize s) {
      if (manifest && "HEAD".equals(method)) {
        ex.getResponseHeaders().set("Content-Length", String.valueOf(s.declared()));
        ex.sendResponseHeaders(res.statusCode(), -1);
        return;
      }
      if (BLOB.matcher(path).matches() && "GET".equals(method) && res.statusCode() == 200) {
        final byte[] longer = new byte[body.length + s.extraBytes()];
        System.arraycopy(body, 0, longer, 0, body.length);
        body = longer;
      }
    }
    if ("HEAD".equals(method)) {
      res.headers().firstValue("content-length").ifPresent(v -> ex.getResponseHeaders().set("Content-Length", v));
      ex.sendResponseHeaders(res.statusCode(), -1);
      return;
    }
    ex.sendResponseHeaders(res.statusCode(), body.length == 0 ? -1 : body.length);
    try (OutputStream o = ex.getResponseBody()) {
      o.write(body);
    }
  }

  private static String replayKey(final HttpExchange ex) {
    final String q = ex.getRequestURI().getRawQuery();
    return ex.getRequestURI().getRawPath() + (q == null ? "" : "?" + q);
  }

  private static void send(final HttpExchange ex, final int status, final String contentType, final byte[] body)
      throws IOException {
    if (contentType != null) {
      ex.getResponseHeaders().set("Content-Type", contentType);
    }
    if ("HEAD".equals(ex.getRequestMethod())) {
      ex.sendResponseHeaders(status, -1);
      return;
    }
    ex.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
    try (OutputStream o = ex.getResponseBody()) {
      o.write(body);
    }
  }

  private static void sleep(final Duration d) {
    try {
      Thread.sleep(d.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static String sha256(final byte[] b) {
    try {
      return "sha256:" + HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(b));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  @Override
  public void close() {
    server.stop(0);
    pool.shutdownNow();
  }
}
