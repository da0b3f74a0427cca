package dev.sigstream.app;

import java.util.List;

/** Invalid configuration: carries every problem found, so one start-up attempt reports them all. */
public final class ConfigException extends RuntimeException {

  private static final long serialVersionUID = 1L;
  private final List<String> problems;

  public ConfigException(final List<String> problems) {
    super(format(problems));
    this.problems = List.copyOf(problems);
  }

  public List<String> problems() {
    return problems;
  }

  private static String format(final List<String> problems) {
    final StringBuilder sb = new StringBuilder("invalid configuration (" + problems.size() + " problem"
        + (problems.size() == 1 ? "" : "s") + "):");
    for (final String p : problems) {
      sb.append(System.lineSeparator()).append("  - ").append(p);
    }
    return sb.toString();
  }
}
