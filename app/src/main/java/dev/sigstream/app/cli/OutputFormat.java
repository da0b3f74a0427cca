package dev.sigstream.app.cli;

/** {@code --output text|json}. */
final class OutputFormat {

  private OutputFormat() {}

  /** True for json, false for text; a {@link CliException} (exit 2) otherwise. */
  static boolean json(final String value) {
    if ("json".equals(value)) {
      return true;
    }
    if ("text".equals(value)) {
      return false;
    }
    throw CliException.usage("--output must be text or json, not '" + value + "'");
  }
}
