package dev.sigstream.oci;

import java.util.Locale;
import java.util.Objects;

/**
 * A fully qualified artifact reference: {@code registry/repository[:tag][@digest]}.
 *
 * <p>The registry host is always explicit (no Docker Hub defaulting): Sigstream only talks to configured registries,
 * so an implicit {@code docker.io} would hide a configuration mistake. A reference with both tag and digest is
 * addressed by digest; the tag is kept for reporting.
 */
public record Reference(String registry, String repository, String tag, Digest digest) {

  // The grammar is checked by hand-written scanners, not regular expressions: references come from users and from
  // registries (referrer lists, push events), and a regex over them either backtracks or, like the former host
  // pattern, recurses once per label and overflows the stack on a long host. Every check below is one linear pass
  // after a length check.

  /** Longest reference {@link #parse} accepts: host, repository, tag and a sha512 digest all at their limits fit. */
  public static final int MAX_LENGTH = 1024;
  /** OCI distribution: a repository name of at most 255 characters. */
  public static final int MAX_REPOSITORY = 255;
  /** OCI distribution: a tag of at most 128 characters. */
  public static final int MAX_TAG = 128;
  /** RFC 1035: a host name of at most 253 characters, each label at most 63. */
  public static final int MAX_HOST = 253;
  public static final int MAX_LABEL = 63;

  public Reference {
    Objects.requireNonNull(registry, "registry");
    Objects.requireNonNull(repository, "repository");
    checkHost(registry);
    registry = registry.toLowerCase(Locale.ROOT);
    checkRepository(repository);
    if (tag != null) {
      checkTag(tag);
    }
  }

  /**
   * Parses {@code registry/repo[:tag][@sha256:hex]}.
   *
   * @throws IllegalArgumentException with a message naming the offending part
   */
  public static Reference parse(final String s) {
    if (s == null || s.isBlank()) {
      throw new IllegalArgumentException("reference is empty");
    }
    if (s.length() > MAX_LENGTH) {
      throw new IllegalArgumentException("reference is " + s.length() + " characters long, at most " + MAX_LENGTH);
    }
    if (s.contains("://")) {
      throw new IllegalArgumentException("reference '" + Digest.abbreviate(s) + "' must not have a URL scheme");
    }
    String rest = s;
    Digest digest = null;
    final int at = rest.indexOf('@');
    if (at >= 0) {
      digest = Digest.parse(rest.substring(at + 1));
      rest = rest.substring(0, at);
    }
    final int slash = rest.indexOf('/');
    if (slash <= 0) {
      throw new IllegalArgumentException("reference '" + Digest.abbreviate(s)
          + "' must start with a registry host, e.g. registry.example.com/repo:tag");
    }
    final String host = rest.substring(0, slash);
    if (!host.contains(".") && !host.contains(":") && !"localhost".equals(host)) {
      throw new IllegalArgumentException("reference '" + Digest.abbreviate(s) + "' must start with a registry host "
          + "(a name with a dot or port, or localhost); '" + Digest.abbreviate(host) + "' looks like a repository path");
    }
    String path = rest.substring(slash + 1);
    String tag = null;
    final int colon = path.lastIndexOf(':');
    if (colon >= 0) {
      tag = path.substring(colon + 1);
      path = path.substring(0, colon);
    }
    if (tag == null && digest == null) {
      throw new IllegalArgumentException("reference '" + Digest.abbreviate(s) + "' needs a :tag or an @digest");
    }
    return new Reference(host, path, tag, digest);
  }

  /** A reference to a repository without tag or digest (for blob operations and uploads). */
  public static Reference repository(final String registry, final String repository) {
    return new Reference(registry, repository, null, null);
  }

  public Reference withDigest(final Digest d) {
    return new Reference(registry, repository, tag, d);
  }

  public Reference withTag(final String t) {
    return new Reference(registry, repository, t, null);
  }

  /** The digest if present, else the tag: what goes after {@code /manifests/}. */
  public String identifier() {
    if (digest != null) {
      return digest.toString();
    }
    if (tag == null) {
      throw new IllegalStateException("reference " + this + " has neither tag nor digest");
    }
    return tag;
  }

  public boolean isDigest() {
    return digest != null;
  }

  @Override
  public String toString() {
    return registry + "/" + repository + (tag != null ? ":" + tag : "") + (digest != null ? "@" + digest : "");
  }

  private static void checkRepository(final String repository) {
    if (repository.isEmpty() || repository.length() > MAX_REPOSITORY) {
      throw new IllegalArgumentException("invalid repository: must be 1.." + MAX_REPOSITORY + " characters, got "
          + repository.length());
    }
    int start = 0;
    for (int i = 0; i <= repository.length(); i++) {
      if (i == repository.length() || repository.charAt(i) == '/') {
        if (!isPathComponent(repository, start, i)) {
          throw new IllegalArgumentException("invalid repository '" + Digest.abbreviate(repository)
              + "': component '" + Digest.abbreviate(repository.substring(start, i))
              + "' must be lower-case [a-z0-9] separated by . _ __ or -");
        }
        start = i + 1;
      }
    }
  }

  /** {@code [a-z0-9]+((\.|_|__|-+)[a-z0-9]+)*} over {@code s[from, to)}, in one pass. */
  private static boolean isPathComponent(final String s, final int from, final int to) {
    int i = from;
    while (true) {
      final int alnum = i;
      while (i < to && isLowerAlnum(s.charAt(i))) {
        i++;
      }
      if (i == alnum) {
        return false;
      }
      if (i == to) {
        return true;
      }
      final char c = s.charAt(i);
      if (c == '.') {
        i++;
      } else if (c == '_') {
        i += i + 1 < to && s.charAt(i + 1) == '_' ? 2 : 1;
      } else if (c == '-') {
        while (i < to && s.charAt(i) == '-') {
          i++;
        }
      } else {
        return false;
      }
    }
  }

  /** {@code [A-Za-z0-9_][A-Za-z0-9_.-]{0,127}}. */
  private static void checkTag(final String tag) {
    boolean ok = !tag.isEmpty() && tag.length() <= MAX_TAG && tag.charAt(0) != '.' && tag.charAt(0) != '-';
    for (int i = 0; ok && i < tag.length(); i++) {
      final char c = tag.charAt(i);
      ok = isAlnum(c) || c == '_' || c == '.' || c == '-';
    }
    if (!ok) {
      throw new IllegalArgumentException("invalid tag '" + Digest.abbreviate(tag) + "': [A-Za-z0-9_][A-Za-z0-9_.-]{0,"
          + (MAX_TAG - 1) + "}");
    }
  }

  /**
   * {@code name[:port]} where name is a DNS name (labels of 1..63 letters, digits and inner hyphens, at most 253
   * characters) or a bracketed IPv6 literal, and port is 1..65535.
   */
  private static void checkHost(final String host) {
    final String problem = hostProblem(host);
    if (problem != null) {
      throw new IllegalArgumentException("invalid registry host '" + Digest.abbreviate(host) + "': " + problem);
    }
  }

  private static String hostProblem(final String host) {
    if (host.isEmpty()) {
      return "empty";
    }
    if (host.length() > MAX_HOST + 6) {
      return "longer than " + MAX_HOST + " characters";
    }
    final String port;
    if (host.charAt(0) == '[') {
      final int close = host.indexOf(']');
      if (close < 3 || close > 46) {
        return "malformed IPv6 literal";
      }
      for (int i = 1; i < close; i++) {
        final char c = host.charAt(i);
        if (!(c == ':' || c == '.' || (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F'))) {
          return "malformed IPv6 literal";
        }
      }
      if (close + 1 == host.length()) {
        return null;
      }
      if (host.charAt(close + 1) != ':') {
        return "unexpected text after the IPv6 literal";
      }
      port = host.substring(close + 2);
    } else {
      final int colon = host.indexOf(':');
      final int end = colon < 0 ? host.length() : colon;
      if (end > MAX_HOST) {
        return "longer than " + MAX_HOST + " characters";
      }
      int label = 0;
      for (int i = 0; i <= end; i++) {
        if (i == end || host.charAt(i) == '.') {
          if (i == label) {
            return "empty label";
          }
          if (i - label > MAX_LABEL) {
            return "a label is longer than " + MAX_LABEL + " characters";
          }
          if (host.charAt(label) == '-' || host.charAt(i - 1) == '-') {
            return "a label starts or ends with '-'";
          }
          label = i + 1;
        } else if (!isAlnum(host.charAt(i)) && host.charAt(i) != '-') {
          return "only letters, digits, '-' and '.' are allowed in a host name";
        }
      }
      if (colon < 0) {
        return null;
      }
      port = host.substring(colon + 1);
    }
    if (port.isEmpty() || port.length() > 5) {
      return "port must be 1..65535";
    }
    int p = 0;
    for (int i = 0; i < port.length(); i++) {
      final char c = port.charAt(i);
      if (c < '0' || c > '9') {
        return "port must be 1..65535";
      }
      p = p * 10 + (c - '0');
    }
    return p >= 1 && p <= 65535 ? null : "port must be 1..65535";
  }

  private static boolean isLowerAlnum(final char c) {
    return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
  }

  private static boolean isAlnum(final char c) {
    return isLowerAlnum(c) || (c >= 'A' && c <= 'Z');
  }
}
