package dev.sigstream.oci;

import java.util.Locale;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * A fully qualified artifact reference: {@code registry/repository[:tag][@digest]}.
 *
 * <p>The registry host is always explicit (no Docker Hub defaulting): Sigstream only talks to configured registries,
 * so an implicit {@code docker.io} would hide a configuration mistake. A reference with both tag and digest is
 * addressed by digest; the tag is kept for reporting.
 */
public record Reference(String registry, String repository, String tag, Digest digest) {

  private static final Pattern HOST = Pattern.compile(
      "(?:[a-zA-Z0-9](?:[a-zA-Z0-9-]*[a-zA-Z0-9])?)(?:\\.[a-zA-Z0-9](?:[a-zA-Z0-9-]*[a-zA-Z0-9])?)*(?::[0-9]{1,5})?"
          + "|\\[[0-9a-fA-F:.]+\\](?::[0-9]{1,5})?");
  private static final Pattern PATH_COMPONENT = Pattern.compile("[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*");
  private static final Pattern TAG = Pattern.compile("[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}");

  public Reference {
    Objects.requireNonNull(registry, "registry");
    Objects.requireNonNull(repository, "repository");
    if (!HOST.matcher(registry).matches()) {
      throw new IllegalArgumentException("invalid registry host '" + Digest.abbreviate(registry) + "'");
    }
    registry = registry.toLowerCase(Locale.ROOT);
    checkRepository(repository);
    if (tag != null && !TAG.matcher(tag).matches()) {
      throw new IllegalArgumentException("invalid tag '" + Digest.abbreviate(tag) + "': [A-Za-z0-9_][A-Za-z0-9_.-]{0,127}");
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
          + "(a name with a dot or port, or localhost); '" + host + "' looks like a repository path");
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
    if (repository.isEmpty() || repository.length() > 255) {
      throw new IllegalArgumentException("invalid repository: must be 1..255 characters");
    }
    for (String c : repository.split("/", -1)) {
      if (!PATH_COMPONENT.matcher(c).matches()) {
        throw new IllegalArgumentException("invalid repository '" + Digest.abbreviate(repository)
            + "': component '" + Digest.abbreviate(c) + "' must be lower-case [a-z0-9] separated by . _ __ or -");
      }
    }
  }
}
