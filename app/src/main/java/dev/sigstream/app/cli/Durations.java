package dev.sigstream.app.cli;

import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Parses CLI durations: a number and a unit, {@code s}, {@code m}, {@code h} or {@code d} (e.g. 24h, 30d). */
final class Durations {

  private static final Pattern P = Pattern.compile("([0-9]{1,9})(s|m|h|d)");

  private Durations() {}

  static Duration parse(final String option, final String value) {
    final Matcher m = P.matcher(value == null ? "" : value.trim());
    if (!m.matches()) {
      throw CliException.usage(option + ": invalid duration '" + value + "' (use a number and s, m, h or d, e.g. 24h)");
    }
    final long n = Long.parseLong(m.group(1));
    if (n == 0) {
      throw CliException.usage(option + ": duration must be positive");
    }
    return switch (m.group(2)) {
      case "s" -> Duration.ofSeconds(n);
      case "m" -> Duration.ofMinutes(n);
      case "h" -> Duration.ofHours(n);
      default -> Duration.ofDays(n);
    };
  }
}
