package dev.sigstream.net;

import java.time.Instant;

/**
 * The one strict RFC 3339 timestamp parser, for the wire formats that carry one: a JWS envelope's signing time
 * (notary, on every verification) and the timestamps of registry webhooks (ingest, on every request). Hand-written
 * (no regex, no formatter) because both run it on every message: the JDK's {@code DateTimeFormatter} was measured at
 * about a tenth of a webhook's parsing CPU. Callers that accept looser forms fall back to the JDK themselves.
 */
public final class Rfc3339 {

  private Rfc3339() {}

  /**
   * Strict RFC 3339 {@code date-time}: {@code yyyy-MM-ddTHH:mm:ss[.f{1,9}](Z|+hh:mm|-hh:mm)}, upper-case T and Z;
   * null when invalid (a day that does not exist, an offset out of range, anything else). Linear in the length.
   */
  public static Instant parse(final String s) {
    final int len = s.length();
    if (len < 20 || s.charAt(4) != '-' || s.charAt(7) != '-' || s.charAt(10) != 'T' || s.charAt(13) != ':'
        || s.charAt(16) != ':') {
      return null;
    }
    final int year = digits(s, 0, 4);
    final int month = digits(s, 5, 2);
    final int day = digits(s, 8, 2);
    final int hour = digits(s, 11, 2);
    final int minute = digits(s, 14, 2);
    final int second = digits(s, 17, 2);
    if ((year | month | day | hour | minute | second) < 0) {
      return null;
    }
    int i = 19;
    int nanos = 0;
    if (s.charAt(i) == '.') {
      final int start = ++i;
      while (i < len && s.charAt(i) >= '0' && s.charAt(i) <= '9') {
        i++;
      }
      final int n = i - start;
      if (n < 1 || n > 9) {
        return null;
      }
      nanos = digits(s, start, n);
      for (int k = n; k < 9; k++) {
        nanos *= 10;
      }
    }
    final int offsetSeconds;
    if (i == len - 1 && s.charAt(i) == 'Z') {
      offsetSeconds = 0;
    } else if (i == len - 6 && (s.charAt(i) == '+' || s.charAt(i) == '-') && s.charAt(i + 3) == ':') {
      final int oh = digits(s, i + 1, 2);
      final int om = digits(s, i + 4, 2);
      if (oh < 0 || om < 0 || oh > 23 || om > 59) {
        return null;
      }
      offsetSeconds = (s.charAt(i) == '-' ? -1 : 1) * (oh * 3600 + om * 60);
    } else {
      return null;
    }
    try {
      return java.time.LocalDateTime.of(year, month, day, hour, minute, second, nanos)
          .toInstant(java.time.ZoneOffset.ofTotalSeconds(offsetSeconds));
    } catch (final java.time.DateTimeException e) {
      return null;
    }
  }

  /** Non-negative value of {@code n} decimal digits at {@code from}, or -1. */
  private static int digits(final String s, final int from, final int n) {
    int v = 0;
    for (int k = from; k < from + n; k++) {
      final char c = s.charAt(k);
      if (c < '0' || c > '9') {
        return -1;
      }
      v = v * 10 + (c - '0');
    }
    return v;
  }
}
