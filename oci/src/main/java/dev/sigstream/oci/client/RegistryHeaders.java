package dev.sigstream.oci.client;

import dev.sigstream.oci.Digest;
import dev.sigstream.oci.MediaTypes;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Optional;

/**
 * Parsers for the response headers a registry controls. Each header is length-capped before it is looked at (a value
 * over its cap is treated as absent, never parsed), and each parser is a single linear pass: a registry picks these
 * bytes, so no regular expression (which can backtrack) and no recursion run over them. None of them throws.
 *
 * <p>Caps, chosen far above what real registries send:
 * <ul>
 *   <li>{@code Link}: {@value #MAX_LINK} characters (one next-page URL and its parameters).</li>
 *   <li>{@code WWW-Authenticate}: {@value #MAX_CHALLENGE} characters (realm, service and a few scopes).</li>
 *   <li>{@code Content-Type}: {@value #MAX_CONTENT_TYPE} characters.</li>
 *   <li>{@code Docker-Content-Digest}: {@link Digest#MAX_LENGTH} characters.</li>
 *   <li>{@code Retry-After}: {@value #MAX_RETRY_AFTER} characters (delta-seconds or an HTTP-date).</li>
 *   <li>{@code Location}: {@value #MAX_LOCATION} characters.</li>
 *   <li>{@code OCI-Filters-Applied}: {@value #MAX_FILTERS} characters.</li>
 *   <li>{@code Content-Length}: 19 digits.</li>
 * </ul>
 */
public final class RegistryHeaders {

  public static final int MAX_LINK = 8192;
  public static final int MAX_CHALLENGE = 8192;
  public static final int MAX_CONTENT_TYPE = 1024;
  public static final int MAX_RETRY_AFTER = 64;
  public static final int MAX_LOCATION = 8192;
  public static final int MAX_FILTERS = 1024;

  private RegistryHeaders() {}

  /** The target of the {@code rel="next"} link of a {@code Link} header value; empty if none or over the cap. */
  public static Optional<String> linkNext(final String header) {
    if (header == null || header.length() > MAX_LINK) {
      return Optional.empty();
    }
    return scanLinkNext(header);
  }

  /**
   * The uncapped scanner behind {@link #linkNext} (public for the benchmark that shows it is linear). RFC 8288:
   * {@code <uri-reference> *( ";" param )} values separated by commas, where a param is {@code name[=value]} and a
   * value is a token or a quoted string; the first link whose {@code rel} (a space-separated list) contains
   * {@code next} wins.
   *
   * <p>Hand-written rather than a regular expression: the former pattern {@code <([^>]*)>\s*;[^,]*rel="?next"?},
   * applied with {@code find()}, retried from every {@code <} and rescanned the rest of the header each time —
   * quadratic, about 5 s on 20,000 {@code <} characters. This scanner visits every character a bounded number of
   * times.
   */
  public static Optional<String> scanLinkNext(final String h) {
    final int n = h.length();
    int i = 0;
    while (i < n) {
      while (i < n && (h.charAt(i) == ' ' || h.charAt(i) == '\t' || h.charAt(i) == ',')) {
        i++;
      }
      if (i >= n) {
        break;
      }
      int targetStart = -1;
      int targetEnd = -1;
      if (h.charAt(i) == '<') {
        final int close = h.indexOf('>', i + 1);
        if (close < 0) {
          return Optional.empty(); // no '>' anywhere further: no complete link can follow
        }
        targetStart = i + 1; // indices only: no allocation per link, the one returned is copied at the end
        targetEnd = close;
        i = close + 1;
      }
      // Parameters up to the comma that ends this link value (commas inside quoted strings do not).
      boolean next = false;
      while (i < n && h.charAt(i) != ',') {
        final char c = h.charAt(i);
        if (c == ';' || c == ' ' || c == '\t') {
          i++;
          continue;
        }
        final int nameStart = i;
        while (i < n && isToken(h.charAt(i))) {
          i++;
        }
        final int nameEnd = i;
        if (nameEnd == nameStart) {
          i++; // a stray character: skip it (always progress)
          continue;
        }
        while (i < n && (h.charAt(i) == ' ' || h.charAt(i) == '\t')) {
          i++;
        }
        if (i >= n || h.charAt(i) != '=') {
          continue;
        }
        i++;
        while (i < n && (h.charAt(i) == ' ' || h.charAt(i) == '\t')) {
          i++;
        }
        final int valueStart;
        final int valueEnd;
        if (i < n && h.charAt(i) == '"') {
          valueStart = ++i;
          while (i < n && h.charAt(i) != '"') {
            i += h.charAt(i) == '\\' ? 2 : 1;
          }
          valueEnd = Math.min(i, n);
          i = Math.min(i + 1, n);
        } else {
          valueStart = i;
          while (i < n && isToken(h.charAt(i))) {
            i++;
          }
          valueEnd = i;
        }
        if (nameEnd - nameStart == 3 && h.regionMatches(true, nameStart, "rel", 0, 3)
            && containsWord(h, valueStart, valueEnd, "next")) {
          next = true;
        }
      }
      if (next && targetStart >= 0) {
        return Optional.of(h.substring(targetStart, targetEnd));
      }
    }
    return Optional.empty();
  }

  /**
   * The {@code WWW-Authenticate} parser without its cap (public for the benchmark that shows it is linear): the
   * challenge's auth-params, empty if the scheme is neither Bearer nor Basic. {@link Transport} uses the capped
   * {@link Challenge#parse}.
   */
  public static Optional<java.util.Map<String, String>> scanChallenge(final String header) {
    return Challenge.scan(header).map(Challenge::params);
  }

  /** {@code Content-Type} as given (parameters kept), or null when absent or over {@value #MAX_CONTENT_TYPE}. */
  public static String contentType(final String header) {
    return header == null || header.length() > MAX_CONTENT_TYPE ? null : header;
  }

  /** {@code Content-Type} lower-cased without parameters, or null when absent or over its cap. */
  public static String mediaType(final String header) {
    return MediaTypes.normalize(contentType(header));
  }

  /** {@code Docker-Content-Digest} parsed, or null when absent, over its cap or malformed. */
  public static Digest digest(final String header) {
    if (header == null || header.length() > Digest.MAX_LENGTH) {
      return null;
    }
    try {
      return Digest.parse(header.trim());
    } catch (IllegalArgumentException e) {
      return null;
    }
  }

  /** {@code Content-Length}: a non-negative number of at most 19 digits, else {@code dflt}. */
  public static long contentLength(final String header, final long dflt) {
    if (header == null) {
      return dflt;
    }
    final String v = header.length() <= 32 ? header.trim() : "";
    if (v.isEmpty() || v.length() > 18) {
      return dflt;
    }
    long n = 0;
    for (int i = 0; i < v.length(); i++) {
      final char c = v.charAt(i);
      if (c < '0' || c > '9') {
        return dflt;
      }
      n = n * 10 + (c - '0');
    }
    return n;
  }

  /** {@code Retry-After}: delta-seconds or an HTTP-date (relative to {@code now}); empty if absent or unusable. */
  public static Optional<Duration> retryAfter(final String header, final Instant now) {
    if (header == null || header.isBlank() || header.length() > MAX_RETRY_AFTER) {
      return Optional.empty();
    }
    final String v = header.trim();
    final long s = contentLength(v, -1);
    if (s >= 0) {
      return Optional.of(Duration.ofSeconds(s));
    }
    if (!v.isEmpty() && v.charAt(0) >= '0' && v.charAt(0) <= '9' || v.startsWith("-")) {
      return Optional.empty();
    }
    try {
      final ZonedDateTime at = ZonedDateTime.parse(v, DateTimeFormatter.RFC_1123_DATE_TIME);
      final Duration d = Duration.between(now, at.toInstant());
      return Optional.of(d.isNegative() ? Duration.ZERO : d);
    } catch (DateTimeParseException | ArithmeticException e) {
      return Optional.empty();
    }
  }

  /** Whether the comma-separated {@code OCI-Filters-Applied} value names {@code filter}; false over its cap. */
  public static boolean filterApplied(final String header, final String filter) {
    if (header == null || header.length() > MAX_FILTERS) {
      return false;
    }
    int start = 0;
    for (int i = 0; i <= header.length(); i++) {
      if (i == header.length() || header.charAt(i) == ',') {
        if (header.substring(start, i).trim().equals(filter)) {
          return true;
        }
        start = i + 1;
      }
    }
    return false;
  }

  private static boolean containsWord(final String h, final int from, final int to, final String word) {
    int i = from;
    while (i < to) {
      while (i < to && h.charAt(i) == ' ') {
        i++;
      }
      final int start = i;
      while (i < to && h.charAt(i) != ' ') {
        i++;
      }
      if (i - start == word.length() && h.regionMatches(true, start, word, 0, word.length())) {
        return true;
      }
    }
    return false;
  }

  /** RFC 9110 tchar, as a table (one lookup per character). */
  private static final boolean[] TCHAR = new boolean[128];

  static {
    for (char c = 'a'; c <= 'z'; c++) {
      TCHAR[c] = true;
      TCHAR[Character.toUpperCase(c)] = true;
    }
    for (char c = '0'; c <= '9'; c++) {
      TCHAR[c] = true;
    }
    for (char c : "!#$%&'*+-.^_`|~".toCharArray()) {
      TCHAR[c] = true;
    }
  }

  private static boolean isToken(final char c) {
    return c < 128 && TCHAR[c];
  }
}
