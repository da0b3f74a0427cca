package dev.sigstream.notifier.route;

import java.util.List;

/** Every problem found in a routing configuration, reported at once. */
public final class RoutingConfigException extends RuntimeException {

  private static final long serialVersionUID = 1L;
  private final List<String> problems;

  public RoutingConfigException(final List<String> problems) {
    super("invalid notifier routing configuration (" + problems.size() + " problem" + (problems.size() == 1 ? "" : "s") + "):\n  - "
        + String.join("\n  - ", problems));
    this.problems = List.copyOf(problems);
  }

  public List<String> problems() {
    return problems;
  }
}
