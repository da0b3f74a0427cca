package dev.sigstream.notifier.route;

import java.util.regex.Pattern;

/**
 * A glob over {@code registry/repository}: {@code *} matches within one path segment, {@code **} across segments,
 * {@code ?} one character. Compiled once to a regex made only of literals, {@code [^/]*}, {@code .*} and
 * {@code [^/]}; inputs are capped (registry + repository names are at most a few hundred characters), so matching
 * stays cheap.
 */
public final class RepositoryGlob {

  private static final int MAX_INPUT = 1024;
  private final String glob;
  private final Pattern pattern;

  private RepositoryGlob(final String glob, final Pattern pattern) {
    this.glob = glob;
    this.pattern = pattern;
  }

  /** @throws IllegalArgumentException for a blank or over-long glob */
  public static RepositoryGlob compile(final String glob) {
    if (glob == null || glob.isBlank()) {
      throw new IllegalArgumentException("glob must not be blank");
    }
    if (glob.length() > 256) {
      throw new IllegalArgumentException("glob longer than 256 characters");
    }
    final StringBuilder re = new StringBuilder();
    final StringBuilder literal = new StringBuilder();
    for (int i = 0; i < glob.length(); i++) {
      final char c = glob.charAt(i);
      if (c == '*' || c == '?') {
        if (literal.length() > 0) {
          re.append(Pattern.quote(literal.toString()));
          literal.setLength(0);
        }
        if (c == '?') {
          re.append("[^/]");
        } else if (i + 1 < glob.length() && glob.charAt(i + 1) == '*') {
          re.append(".*");
          while (i + 1 < glob.length() && glob.charAt(i + 1) == '*') {
            i++;
          }
        } else {
          re.append("[^/]*");
        }
      } else {
        literal.append(c);
      }
    }
    if (literal.length() > 0) {
      re.append(Pattern.quote(literal.toString()));
    }
    return new RepositoryGlob(glob, Pattern.compile(re.toString()));
  }

  public boolean matches(final String location) {
    return location.length() <= MAX_INPUT && pattern.matcher(location).matches();
  }

  @Override
  public String toString() {
    return glob;
  }
}
