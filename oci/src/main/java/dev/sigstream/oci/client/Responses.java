package dev.sigstream.oci.client;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sigstream.oci.FetchResult;
import dev.sigstream.oci.Reference;
import java.io.IOException;
import java.net.URI;
import java.time.Clock;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;

/** What the read and push sides share: URIs, scopes, and mapping an HTTP answer to a {@link FetchResult}. */
final class Responses {

  private static final ObjectMapper JSON = new ObjectMapper();

  private Responses() {}

  static URI uri(final RegistryEntry e, final String repository, final String rest) {
    return URI.create(Transport.base(e) + "/v2/" + repository + rest);
  }

  static String pull(final Reference r) {
    return "repository:" + r.repository() + ":pull";
  }

  static String push(final Reference r) {
    return "repository:" + r.repository() + ":pull,push";
  }

  static <T> CompletableFuture<FetchResult<T>> notAllowed(final String host) {
    // Decided from configuration alone: no DNS lookup, no connection.
    return done(new FetchResult.NotAllowed<>(host, "registry " + host + " is not on the allowlist"));
  }

  static <T> CompletableFuture<T> done(final T v) {
    return CompletableFuture.completedFuture(v);
  }

  /**
   * Runs {@code op} so that nothing escapes the client: an exception thrown while starting it, or one its future
   * completes with (a bug, or input no check anticipated), becomes a {@link FetchResult.Invalid} PROTOCOL result
   * naming only the exception type. Programming errors of the caller are checked before this is called.
   */
  static <T> CompletableFuture<FetchResult<T>> guarded(final Supplier<CompletableFuture<FetchResult<T>>> op,
      final String what) {
    final CompletableFuture<FetchResult<T>> f;
    try {
      f = op.get();
    } catch (RuntimeException | StackOverflowError e) {
      return done(internal(what, e));
    }
    return f.handle((r, ex) -> ex == null ? r : internal(what, ex));
  }

  private static <T> FetchResult<T> internal(final String what, final Throwable e) {
    Throwable t = e;
    while (t.getCause() != null && (t instanceof java.util.concurrent.CompletionException)) {
      t = t.getCause();
    }
    if (t instanceof java.util.concurrent.CancellationException) {
      return new FetchResult.Unavailable<>(what + ": cancelled");
    }
    return new FetchResult.Invalid<>("PROTOCOL", what + ": unexpected " + t.getClass().getSimpleName());
  }

  static <T> FetchResult<T> failure(final Transport.Response r, final String what, final Clock clock) {
    final String code = errorCode(r.body());
    final String detail = what + ": HTTP " + r.status() + (code != null ? " " + code : "");
    switch (r.status()) {
      case 401:
        return new FetchResult.Unauthorized<>(detail);
      case 403:
        return new FetchResult.Forbidden<>(detail);
      case 404:
        return new FetchResult.NotFound<>(code, detail);
      case 429:
        return new FetchResult.RateLimited<>(RegistryHeaders.retryAfter(r.headers().firstValue("retry-after")
            .orElse(null), clock.instant()), detail);
      case 408:
        return new FetchResult.Unavailable<>(detail);
      default:
        if (r.status() >= 500) {
          return new FetchResult.Unavailable<>(detail);
        }
        return new FetchResult.Invalid<>("PROTOCOL", detail);
    }
  }

  /** The first {@code errors[].code} of a distribution error body, or null. */
  static String errorCode(final byte[] body) {
    if (body == null || body.length == 0) {
      return null;
    }
    try {
      final JsonNode n = JSON.readTree(body);
      final JsonNode errs = n == null ? null : n.get("errors");
      if (errs != null && errs.isArray() && errs.size() > 0 && errs.get(0).hasNonNull("code")) {
        final String c = errs.get(0).get("code").asText();
        return isErrorCode(c) ? c : null;
      }
    } catch (IOException | RuntimeException e) {
      return null;
    }
    return null;
  }

  /** {@code [A-Z_]{1,64}}, scanned. */
  private static boolean isErrorCode(final String c) {
    if (c.isEmpty() || c.length() > 64) {
      return false;
    }
    for (int i = 0; i < c.length(); i++) {
      final char ch = c.charAt(i);
      if (!(ch >= 'A' && ch <= 'Z') && ch != '_') {
        return false;
      }
    }
    return true;
  }
}
