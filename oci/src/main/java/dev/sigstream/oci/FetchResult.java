package dev.sigstream.oci;

import java.time.Duration;
import java.util.NoSuchElementException;
import java.util.Optional;
import java.util.function.Function;

/**
 * The outcome of one registry operation. Registry adapters never throw on network or protocol errors; they return
 * one of these values. Details never contain credentials or tokens.
 *
 * <p>How the verifier maps each case ({@link #disposition()}):
 * <ul>
 *   <li>{@link Found}: use the value.</li>
 *   <li>{@link NotFound}: {@link Disposition#FAIL} — the content does not exist (for signatures: NO_SIGNATURE).
 *       {@code code} carries the registry error code, e.g. {@code NAME_UNKNOWN}, {@code MANIFEST_UNKNOWN}.</li>
 *   <li>{@link Invalid}: {@link Disposition#FAIL} — digest mismatch, oversize or malformed content. Never retried:
 *       the registry served something we must not trust.</li>
 *   <li>{@link NotAllowed}: {@link Disposition#FAIL} — the host is not on the allowlist (or a redirect/token realm
 *       left it). No connection was made; retrying cannot help.</li>
 *   <li>{@link Unauthorized}, {@link Forbidden}: {@link Disposition#ERROR} — verification could not run because our
 *       credentials are missing or lack permission. Not retried automatically: it needs a configuration change.</li>
 *   <li>{@link RateLimited}: {@link Disposition#RETRYABLE} after {@code retryAfter} (when the registry said).</li>
 *   <li>{@link Unavailable}: {@link Disposition#RETRYABLE} — timeouts, connection failures, 5xx, truncated bodies,
 *       a passed per-artifact deadline.</li>
 * </ul>
 */
public sealed interface FetchResult<T> {

  /** How a verifier should treat a result. */
  enum Disposition { OK, FAIL, ERROR, RETRYABLE }

  record Found<T>(T value) implements FetchResult<T> {}

  record NotFound<T>(String code, String detail) implements FetchResult<T> {}

  record Unauthorized<T>(String detail) implements FetchResult<T> {}

  record Forbidden<T>(String detail) implements FetchResult<T> {}

  /** {@code retryAfter} is empty when the registry gave no usable {@code Retry-After}. */
  record RateLimited<T>(Optional<Duration> retryAfter, String detail) implements FetchResult<T> {}

  /**
   * @param deadlineExceeded true when the per-artifact deadline passed (rather than one request failing), so callers
   *     can report DEADLINE_EXCEEDED without parsing {@code detail}
   */
  record Unavailable<T>(String detail, boolean deadlineExceeded) implements FetchResult<T> {
    public Unavailable(final String detail) {
      this(detail, false);
    }
  }

  /** {@code reason} is a stable code: DIGEST_MISMATCH, OVERSIZE, MALFORMED, UNSUPPORTED, PROTOCOL. */
  record Invalid<T>(String reason, String detail) implements FetchResult<T> {}

  record NotAllowed<T>(String host, String detail) implements FetchResult<T> {}

  static <T> FetchResult<T> found(final T value) {
    return new Found<>(value);
  }

  default boolean isFound() {
    return this instanceof Found;
  }

  default Disposition disposition() {
    if (this instanceof Found) {
      return Disposition.OK;
    }
    if (this instanceof NotFound || this instanceof Invalid || this instanceof NotAllowed) {
      return Disposition.FAIL;
    }
    if (this instanceof Unauthorized || this instanceof Forbidden) {
      return Disposition.ERROR;
    }
    return Disposition.RETRYABLE;
  }

  /** The value of a {@link Found}; throws {@link NoSuchElementException} with {@link #describe()} otherwise. */
  default T orElseThrow() {
    if (this instanceof Found<T> f) {
      return f.value();
    }
    throw new NoSuchElementException(describe());
  }

  /** Maps a found value; failures are carried over unchanged (re-typed). */
  default <U> FetchResult<U> map(final Function<? super T, ? extends U> f) {
    if (this instanceof Found<T> found) {
      return new Found<>(f.apply(found.value()));
    }
    return castFailure();
  }

  /**
   * Re-types a failure so it can be returned from an operation with another value type.
   *
   * @throws IllegalStateException on a {@link Found}
   */
  @SuppressWarnings("unchecked")
  default <U> FetchResult<U> castFailure() {
    if (this instanceof Found) {
      throw new IllegalStateException("castFailure on Found");
    }
    return (FetchResult<U>) this;
  }

  /** A one-line description for logs and verdict details (never contains secrets). */
  default String describe() {
    if (this instanceof Found) {
      return "found";
    } else if (this instanceof NotFound<T> r) {
      return "not found" + (r.code() != null ? " (" + r.code() + ")" : "") + ": " + r.detail();
    } else if (this instanceof Unauthorized<T> r) {
      return "unauthorized: " + r.detail();
    } else if (this instanceof Forbidden<T> r) {
      return "forbidden: " + r.detail();
    } else if (this instanceof RateLimited<T> r) {
      return "rate limited" + r.retryAfter().map(d -> " (retry after " + d.toSeconds() + "s)").orElse("") + ": "
          + r.detail();
    } else if (this instanceof Unavailable<T> r) {
      return "unavailable: " + r.detail();
    } else if (this instanceof Invalid<T> r) {
      return "invalid (" + r.reason() + "): " + r.detail();
    } else if (this instanceof NotAllowed<T> r) {
      return "not allowed: " + r.detail();
    }
    throw new IllegalStateException("unreachable");
  }
}
