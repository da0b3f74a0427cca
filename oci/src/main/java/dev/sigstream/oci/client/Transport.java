package dev.sigstream.oci.client;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sigstream.oci.Deadline;
import dev.sigstream.oci.FetchResult;
import dev.sigstream.oci.auth.Credentials;
import dev.sigstream.oci.auth.Secret;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * HTTP exchange with one allowlisted registry: allowlist and scheme checks before any connection, the
 * Basic/Bearer challenge flow with a per-scope token cache, redirects followed only to allowed hosts, capped bodies
 * and timeouts. Returns {@link FetchResult.Found} with the raw response for every HTTP status; failures are only
 * for requests that produced no usable response.
 *
 * <p>A transport may be bound to a {@link Deadline} ({@link #within}): then every exchange it makes (the request
 * itself, token fetches, redirect hops) gets the shorter of the per-request timeout and the time left, is not sent
 * once the deadline has passed, and is cancelled when its time is up. Cancelling the future of
 * {@link HttpClient#sendAsync} aborts the exchange and closes its connection (JDK 16+), so nothing outlives the
 * deadline.
 */
final class Transport {

  private static final Logger log = LoggerFactory.getLogger(Transport.class);
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final int MAX_REDIRECTS = 5;
  private static final long MAX_TOKEN_BYTES = 1L << 20;
  private static final Duration TOKEN_SKEW = Duration.ofSeconds(10);
  static final String USER_AGENT = "sigstream-oci/0.1";
  /** Cancels exchanges whose time is up; one daemon thread for every client, cancelled timers removed at once. */

  /** One HTTP response. Headers may be logged by name only; values can carry tokens. */
  record Response(int status, HttpHeaders headers, byte[] body, URI uri) {
    /** The first value of {@code name}, or empty when absent or longer than {@code cap} (see {@link RegistryHeaders}). */
    Optional<String> header(final String name, final int cap) {
      return headers.firstValue(name).filter(v -> v.length() <= cap);
    }

    /** {@code Content-Type}, or null when absent or longer than {@link RegistryHeaders#MAX_CONTENT_TYPE}. */
    String contentType() {
      return RegistryHeaders.contentType(headers.firstValue("content-type").orElse(null));
    }
  }

  /**
   * @param scope the token scope this request needs, e.g. {@code repository:a/b:pull}
   */
  record Req(String method, URI uri, Map<String, String> headers, byte[] body, long maxBody, String scope,
      boolean followRedirects) {}

  private record Token(Secret value, Instant expiresAt) {}

  /** Authentication state for one registry host. */
  private static final class AuthState {
    volatile Challenge challenge;
    final ConcurrentMap<String, Token> tokens = new ConcurrentHashMap<>();
    final ConcurrentMap<String, CompletableFuture<FetchResult<Token>>> inflight = new ConcurrentHashMap<>();
    volatile Token acrRefresh;
  }

  private final HttpClient http;
  private final Clock clock;
  private final Limits limits;
  private final ConcurrentMap<String, AuthState> auth;
  /** Null: each exchange is bounded by the per-request timeout only. */
  private final Deadline deadline;

  Transport(final HttpClient http, final Clock clock, final Limits limits) {
    this(http, clock, limits, new ConcurrentHashMap<>(), null);
  }

  private Transport(final HttpClient http, final Clock clock, final Limits limits,
      final ConcurrentMap<String, AuthState> auth, final Deadline deadline) {
    this.http = http;
    this.clock = clock;
    this.limits = limits;
    this.auth = auth;
    this.deadline = deadline;
  }

  /**
   * This transport (same connections, same tokens) with every exchange bounded by {@code d}; if already bounded,
   * by whichever deadline ends first.
   */
  Transport within(final Deadline d) {
    final Deadline sooner = deadline == null || d.remaining().compareTo(deadline.remaining()) < 0 ? d : deadline;
    return new Transport(http, clock, limits, auth, sooner);
  }

  Deadline deadline() {
    return deadline;
  }

  CompletableFuture<FetchResult<Response>> send(final RegistryEntry entry, final Req req) {
    return send(entry, req, 0, false);
  }

  private CompletableFuture<FetchResult<Response>> send(final RegistryEntry entry, final Req req, final int hops,
      final boolean authRetried) {
    final boolean toRegistry = entry.host().equals(hostPort(req.uri()));
    final AuthState state = auth.computeIfAbsent(entry.host(), h -> new AuthState());
    // Credentials and tokens go only to the registry host itself, never to a redirect target (blob storage URLs are
    // pre-signed) — a redirect must not be a way to collect our credentials.
    final String authorization = toRegistry ? authorization(entry, state, req.scope()) : null;
    final Map<String, String> headers = new LinkedHashMap<>(req.headers());
    if (authorization != null) {
      headers.put("Authorization", authorization);
    }
    return raw(entry, req.method(), req.uri(), headers, req.body(), req.maxBody()).thenCompose(res -> {
      if (!(res instanceof FetchResult.Found<Response> found)) {
        return CompletableFuture.completedFuture(res);
      }
      final Response r = found.value();
      if (r.status() == 401 && toRegistry && !authRetried) {
        return onChallenge(entry, state, req, r, authorization, hops);
      }
      final Optional<String> location = r.header("location", RegistryHeaders.MAX_LOCATION);
      if (req.followRedirects() && isRedirect(r.status()) && location.isPresent()) {
        if (hops >= MAX_REDIRECTS) {
          return CompletableFuture.completedFuture(new FetchResult.Invalid<>("PROTOCOL", "more than "
              + MAX_REDIRECTS + " redirects from " + entry.host()));
        }
        final URI next;
        try {
          next = r.uri().resolve(location.get());
        } catch (IllegalArgumentException e) {
          return CompletableFuture.completedFuture(new FetchResult.Invalid<>("PROTOCOL", "malformed redirect"));
        }
        final String method = r.status() == 303 ? "GET" : req.method();
        final byte[] body = r.status() == 303 ? null : req.body();
        final Map<String, String> h = new LinkedHashMap<>(req.headers());
        log.debug("redirect {} {} -> {}", r.status(), req.uri().getPath(), hostPort(next));
        return send(entry, new Req(method, next, h, body, req.maxBody(), req.scope(), true), hops + 1, authRetried);
      }
      return CompletableFuture.completedFuture(res);
    });
  }

  private CompletableFuture<FetchResult<Response>> onChallenge(final RegistryEntry entry, final AuthState state,
      final Req req, final Response r, final String sentAuthorization, final int hops) {
    final Optional<Challenge> ch = Challenge.parse(r.headers().firstValue("www-authenticate").orElse(null));
    if (ch.isEmpty()) {
      return CompletableFuture.completedFuture(FetchResult.found(r));
    }
    state.challenge = ch.get();
    if ("basic".equals(ch.get().scheme())) {
      if (!(entry.credentials() instanceof Credentials.Basic)) {
        return CompletableFuture.completedFuture(FetchResult.found(r));
      }
      return send(entry, req, hops, true);
    }
    final String scope = ch.get().params().getOrDefault("scope", req.scope());
    if (sentAuthorization != null) {
      // The token we sent was refused: drop it rather than reusing it.
      state.tokens.remove(req.scope());
      state.tokens.remove(scope);
    }
    return token(entry, state, ch.get(), scope).thenCompose(t -> {
      if (!(t instanceof FetchResult.Found<Token> tok)) {
        return CompletableFuture.completedFuture(t.<Response>castFailure());
      }
      state.tokens.put(req.scope(), tok.value());
      // One retry only: a registry that keeps answering 401 is reported as Unauthorized, not looped on.
      return send(entry, req, hops, true);
    });
  }

  private String authorization(final RegistryEntry entry, final AuthState state, final String scope) {
    final Challenge ch = state.challenge;
    if (ch == null) {
      return null;
    }
    if ("basic".equals(ch.scheme()) && entry.credentials() instanceof Credentials.Basic b) {
      return basic(b);
    }
    if ("bearer".equals(ch.scheme()) && scope != null) {
      final Token t = state.tokens.get(scope);
      if (t != null && clock.instant().isBefore(t.expiresAt())) {
        return "Bearer " + t.value().reveal();
      }
    }
    return null;
  }

  private CompletableFuture<FetchResult<Token>> token(final RegistryEntry entry, final AuthState state,
      final Challenge ch, final String scope) {
    final Token cached = state.tokens.get(scope);
    if (cached != null && clock.instant().isBefore(cached.expiresAt())) {
      return CompletableFuture.completedFuture(FetchResult.found(cached));
    }
    // Concurrent requests for one scope share a single token request.
    final CompletableFuture<FetchResult<Token>> mine = new CompletableFuture<>();
    final CompletableFuture<FetchResult<Token>> existing = state.inflight.putIfAbsent(scope, mine);
    if (existing != null) {
      return existing;
    }
    fetchToken(entry, state, ch, scope).whenComplete((t, ex) -> {
      state.inflight.remove(scope, mine);
      if (t instanceof FetchResult.Found<Token> f) {
        state.tokens.put(scope, f.value());
      }
      mine.complete(ex != null ? new FetchResult.Unavailable<>("token request failed: "
          + ex.getClass().getSimpleName()) : t);
    });
    return mine;
  }

  private CompletableFuture<FetchResult<Token>> fetchToken(final RegistryEntry entry, final AuthState state,
      final Challenge ch, final String scope) {
    final String realm = ch.params().get("realm");
    final URI realmUri;
    try {
      realmUri = realm == null ? null : URI.create(realm);
    } catch (IllegalArgumentException e) {
      return CompletableFuture.completedFuture(new FetchResult.Unauthorized<>("malformed bearer realm"));
    }
    if (realmUri == null || realmUri.getHost() == null) {
      return CompletableFuture.completedFuture(new FetchResult.Unauthorized<>("bearer challenge without realm"));
    }
    final String service = ch.params().get("service");
    final Credentials creds = entry.credentials();
    if (creds instanceof Credentials.AcrEntraExchange acr) {
      return acrRefreshToken(entry, state, acr, service).thenCompose(rt -> {
        if (!(rt instanceof FetchResult.Found<Secret> f)) {
          return CompletableFuture.completedFuture(rt.<Token>castFailure());
        }
        return refreshGrant(entry, realmUri, service, scope, f.value());
      });
    }
    if (creds instanceof Credentials.RefreshToken rt) {
      return refreshGrant(entry, realmUri, service, scope, rt.token());
    }
    final StringBuilder q = new StringBuilder();
    if (service != null) {
      q.append("service=").append(enc(service));
    }
    if (scope != null) {
      for (String s : scope.split(" ")) {
        q.append(q.length() > 0 ? "&" : "").append("scope=").append(enc(s));
      }
    }
    final URI uri = URI.create(realm + (q.length() == 0 ? "" : (realm.contains("?") ? "&" : "?") + q));
    final Map<String, String> h = new LinkedHashMap<>();
    if (creds instanceof Credentials.Basic b) {
      h.put("Authorization", basic(b));
    }
    return raw(entry, "GET", uri, h, null, MAX_TOKEN_BYTES).thenApply(r -> tokenFrom(r, entry));
  }

  private CompletableFuture<FetchResult<Token>> refreshGrant(final RegistryEntry entry, final URI realm,
      final String service, final String scope, final Secret refresh) {
    final String form = "grant_type=refresh_token&client_id=sigstream"
        + (service != null ? "&service=" + enc(service) : "")
        + (scope != null ? "&scope=" + enc(scope) : "")
        + "&refresh_token=" + enc(refresh.reveal());
    return raw(entry, "POST", realm, Map.of("Content-Type", "application/x-www-form-urlencoded"),
        form.getBytes(StandardCharsets.UTF_8), MAX_TOKEN_BYTES).thenApply(r -> tokenFrom(r, entry));
  }

  /** ACR: Entra access token → {@code POST /oauth2/exchange} → ACR refresh token (cached until the Entra expiry). */
  private CompletableFuture<FetchResult<Secret>> acrRefreshToken(final RegistryEntry entry, final AuthState state,
      final Credentials.AcrEntraExchange acr, final String service) {
    final Token cached = state.acrRefresh;
    if (cached != null && clock.instant().isBefore(cached.expiresAt())) {
      return CompletableFuture.completedFuture(FetchResult.found(cached.value()));
    }
    return acr.source().accessToken().handle((at, ex) -> at).thenCompose(at -> {
      if (at == null) {
        return CompletableFuture.completedFuture(new FetchResult.Unauthorized<Secret>(
            "Entra token source gave no access token"));
      }
      final String form = "grant_type=access_token&service=" + enc(service != null ? service : entry.host())
          + (acr.tenant() != null ? "&tenant=" + enc(acr.tenant()) : "")
          + "&access_token=" + enc(at.token().reveal());
      final URI uri = URI.create(base(entry) + "/oauth2/exchange");
      return raw(entry, "POST", uri, Map.of("Content-Type", "application/x-www-form-urlencoded"),
          form.getBytes(StandardCharsets.UTF_8), MAX_TOKEN_BYTES).thenApply(r -> {
            if (!(r instanceof FetchResult.Found<Response> f)) {
              return r.<Secret>castFailure();
            }
            if (f.value().status() != 200) {
              return new FetchResult.Unauthorized<Secret>("ACR token exchange answered HTTP " + f.value().status());
            }
            final String rt = jsonField(f.value().body(), "refresh_token");
            if (rt == null) {
              return new FetchResult.Unauthorized<Secret>("ACR token exchange returned no refresh_token");
            }
            final Secret s = Secret.of(rt);
            state.acrRefresh = new Token(s, at.expiresAt().minus(TOKEN_SKEW));
            return FetchResult.found(s);
          });
    });
  }

  private FetchResult<Token> tokenFrom(final FetchResult<Response> r, final RegistryEntry entry) {
    if (!(r instanceof FetchResult.Found<Response> f)) {
      return r.castFailure();
    }
    final Response res = f.value();
    if (res.status() == 401 || res.status() == 403) {
      return new FetchResult.Unauthorized<>("token endpoint for " + entry.host() + " refused the credentials (HTTP "
          + res.status() + ")");
    }
    if (res.status() == 429) {
      return new FetchResult.RateLimited<>(Optional.empty(), "token endpoint rate limited");
    }
    if (res.status() >= 500) {
      return new FetchResult.Unavailable<>("token endpoint answered HTTP " + res.status());
    }
    if (res.status() != 200) {
      return new FetchResult.Unauthorized<>("token endpoint answered HTTP " + res.status());
    }
    String tok = jsonField(res.body(), "token");
    if (tok == null) {
      tok = jsonField(res.body(), "access_token");
    }
    if (tok == null || tok.isEmpty()) {
      return new FetchResult.Unauthorized<>("token endpoint returned no token");
    }
    long expiresIn = 60; // distribution token spec default
    try {
      final JsonNode n = JSON.readTree(res.body()).get("expires_in");
      if (n != null && n.canConvertToLong() && n.asLong() > 0) {
        expiresIn = n.asLong();
      }
    } catch (IOException e) {
      // already parsed once above; keep the default
    }
    final Duration life = Duration.ofSeconds(expiresIn);
    final Instant exp = clock.instant().plus(life.compareTo(TOKEN_SKEW.multipliedBy(2)) > 0 ? life.minus(TOKEN_SKEW)
        : life);
    return FetchResult.found(new Token(Secret.of(tok), exp));
  }

  /**
   * One HTTP exchange, no auth handling and no redirects. The allowlist and scheme are checked first: a refused
   * host is never resolved or connected to.
   */
  CompletableFuture<FetchResult<Response>> raw(final RegistryEntry entry, final String method, final URI uri,
      final Map<String, String> headers, final byte[] body, final long maxBody) {
    final String hp = hostPort(uri);
    if (hp == null || !entry.mayContact(hp)) {
      return CompletableFuture.completedFuture(new FetchResult.NotAllowed<>(hp == null ? "(none)" : hp, "host "
          + hp + " is not allowed for registry " + entry.host()));
    }
    final String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
    if (!"https".equals(scheme) && !("http".equals(scheme) && entry.insecure())) {
      return CompletableFuture.completedFuture(new FetchResult.NotAllowed<>(hp, "scheme " + scheme
          + " is not allowed for " + hp + " (plain HTTP only for registries marked insecure)"));
    }
    if (deadline != null && deadline.passed()) {
      return CompletableFuture.completedFuture(deadlineExceeded(method, hp));
    }
    final Duration timeout = deadline == null ? limits.requestTimeout() : deadline.cap(limits.requestTimeout());
    if (timeout.isZero() || timeout.isNegative()) {
      return CompletableFuture.completedFuture(deadlineExceeded(method, hp));
    }
    final HttpRequest.Builder b;
    try {
      b = HttpRequest.newBuilder(uri).timeout(timeout).header("User-Agent", USER_AGENT)
          .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
              : HttpRequest.BodyPublishers.ofByteArray(body));
      if ("http".equals(scheme)) {
        // Plain HTTP: skip the h2c upgrade dance, which some registries mishandle.
        b.version(HttpClient.Version.HTTP_1_1);
      }
      headers.forEach(b::header);
    } catch (IllegalArgumentException e) {
      return CompletableFuture.completedFuture(new FetchResult.Invalid<>("PROTOCOL", "cannot build request to "
          + hp + ": " + e.getMessage()));
    }
    log.debug("{} {}{}", method, hp, uri.getRawPath());
    // HEAD answers carry the entity's Content-Length but no body: discard rather than cap.
    final java.net.http.HttpResponse.BodyHandler<byte[]> handler = "HEAD".equals(method)
        ? java.net.http.HttpResponse.BodyHandlers.replacing(new byte[0]) : CappedBody.handler(maxBody);
    final CompletableFuture<java.net.http.HttpResponse<byte[]>> exchange;
    try {
      exchange = http.sendAsync(b.build(), handler);
    } catch (IllegalArgumentException | IllegalStateException e) {
      return CompletableFuture.completedFuture(new FetchResult.Unavailable<>(method + " " + hp + ": "
          + e.getClass().getSimpleName()));
    }
    // HttpRequest.timeout bounds the wait for the response headers only; the body can trickle for ever. Cancelling
    // the sendAsync future aborts the whole exchange (and closes its connection), so a timer cancels it when its time
    // is up, body included. A no-op when the exchange has completed.
    final java.util.concurrent.ScheduledFuture<?> timer = dev.sigstream.oci.Timers.schedule(
        () -> exchange.cancel(true), timeout.toNanos());
    // Drop the timer with the exchange, so it does not keep a finished response (and its body) reachable. On a
    // cancel, dependent stages run on the timer thread: they are light here (a FetchResult, at most the next send,
    // which is asynchronous), and callers do heavy work on their own executors (RegistryReader contract).
    exchange.whenComplete((r, e) -> timer.cancel(false));
    return exchange.handle((res, ex) -> {
      if (ex == null) {
        return FetchResult.found(new Response(res.statusCode(), res.headers(), res.body(), res.uri()));
      }
      return failure(ex, method, hp, timeout);
    });
  }

  private <T> FetchResult<T> deadlineExceeded(final String method, final String hp) {
    return new FetchResult.Unavailable<>("deadline of " + deadline.budget().toMillis() + " ms passed before " + method
        + " " + hp, true);
  }

  private <T> FetchResult<T> failure(final Throwable ex, final String method, final String hp,
      final Duration timeout) {
    Throwable t = ex;
    while ((t instanceof CompletionException || t.getCause() instanceof CappedBody.OversizeException)
        && t.getCause() != null) {
      t = t.getCause();
    }
    for (Throwable c = t; c != null; c = c.getCause()) {
      if (c instanceof CappedBody.OversizeException o) {
        return new FetchResult.Invalid<>("OVERSIZE", method + " " + hp + ": " + o.getMessage());
      }
    }
    if (t instanceof HttpTimeoutException || t instanceof TimeoutException || t instanceof CancellationException) {
      // Capped below the per-request timeout means the deadline was what ran out.
      if (deadline != null && (deadline.passed() || timeout.compareTo(limits.requestTimeout()) < 0)) {
        return new FetchResult.Unavailable<>("deadline of " + deadline.budget().toMillis() + " ms passed during "
            + method + " " + hp + " (cancelled)", true);
      }
      return new FetchResult.Unavailable<>(method + " " + hp + ": timed out after " + timeout.toMillis() + " ms");
    }
    if (t instanceof ConnectException) {
      return new FetchResult.Unavailable<>(method + " " + hp + ": connection failed");
    }
    if (t instanceof IOException) {
      return new FetchResult.Unavailable<>(method + " " + hp + ": " + t.getClass().getSimpleName()
          + (t.getMessage() != null ? " " + t.getMessage() : ""));
    }
    return new FetchResult.Unavailable<>(method + " " + hp + ": " + t.getClass().getSimpleName());
  }

  static String base(final RegistryEntry e) {
    return (e.insecure() ? "http://" : "https://") + e.host();
  }

  /** {@code host[:port]} with the scheme's default port dropped; null if the URI has no host. */
  static String hostPort(final URI uri) {
    final String host = uri.getHost();
    if (host == null) {
      return null;
    }
    final int port = uri.getPort();
    final String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
    final boolean dflt = port == -1 || ("https".equals(scheme) && port == 443) || ("http".equals(scheme)
        && port == 80);
    return host.toLowerCase(Locale.ROOT) + (dflt ? "" : ":" + port);
  }

  private static boolean isRedirect(final int s) {
    return s == 301 || s == 302 || s == 303 || s == 307 || s == 308;
  }

  private static String basic(final Credentials.Basic b) {
    return "Basic " + Base64.getEncoder().encodeToString((b.username() + ":" + b.password().reveal())
        .getBytes(StandardCharsets.UTF_8));
  }

  private static String enc(final String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8);
  }

  private static String jsonField(final byte[] body, final String field) {
    try {
      final JsonNode n = JSON.readTree(body);
      return n != null && n.hasNonNull(field) ? n.get(field).asText() : null;
    } catch (IOException e) {
      return null;
    }
  }
}
