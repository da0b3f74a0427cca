package dev.sigstream.verifier.core;

import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Parses durations as operators write them, on the command line, in {@code sigstream.yaml} and in the artifact policy
 * file: a number and a unit, {@code ms}, {@code s}, {@code m}, {@code h} or {@code d} (e.g. 500ms, 24h, 30d). The one
 * duration syntax of the project.
 */
public final class Durations {

  private static final Pattern P = Pattern.compile("([0-9]{1,9})(ms|s|m|h|d)");

  private Durations() {}

  /**
   * A positive duration.
   *
   * @throws IllegalArgumentException naming what is wrong
   */
  public static Duration parse(final String value) {
    final String v = value == null ? "" : value.trim();
    // Capped before the (linear) match: the text may come from a file an operator did not write.
    final Matcher m = P.matcher(v.length() > 16 ? "" : v);
    if (!m.matches()) {
      throw new IllegalArgumentException("invalid duration '" + (v.length() > 16 ? v.substring(0, 16) + "…" : v)
          + "' (use a number and ms, s, m, h or d, e.g. 24h)");
    }
    final long n = Long.parseLong(m.group(1));
    if (n == 0) {
      throw new IllegalArgumentException("duration must be positive");
    }
    return switch (m.group(2)) {
      case "ms" -> Duration.ofMillis(n);
      case "s" -> Duration.ofSeconds(n);
      case "m" -> Duration.ofMinutes(n);
      case "h" -> Duration.ofHours(n);
      default -> Duration.ofDays(n);
    };
  }
}
