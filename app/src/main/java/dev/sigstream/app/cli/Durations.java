package dev.sigstream.app.cli;

import java.time.Duration;

/** Durations in command-line options: the project's one syntax ({@link dev.sigstream.verifier.core.Durations}). */
public final class Durations {

  private Durations() {}

  static Duration parse(final String option, final String value) {
    try {
      return parse(value);
    } catch (final IllegalArgumentException e) {
      throw CliException.usage(option + ": " + e.getMessage());
    }
  }

  /**
   * A positive duration.
   *
   * @throws IllegalArgumentException naming what is wrong
   */
  public static Duration parse(final String value) {
    return dev.sigstream.verifier.core.Durations.parse(value);
  }
}
