package dev.sigstream.notifier.route;

/** A credential read from an environment variable or a file. {@link #toString()} never shows it. */
public record Secret(String source, String value) {

  @Override
  public String toString() {
    return "Secret[" + source + "]";
  }
}
