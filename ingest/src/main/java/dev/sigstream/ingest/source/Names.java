package dev.sigstream.ingest.source;

import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Edge validation of the names a sender supplies: registry host, repository, digest, tag. Everything is
 * length-capped before a pattern runs, and every pattern is free of ambiguous repetition (each separator is
 * mandatory between alphanumeric runs), so matching is linear. Path traversal ({@code ..}, leading or doubled
 * {@code /}), control characters, upper case and over-long names never pass.
 */
final class Names {

  static final int MAX_REGISTRY = 253 + 6;
  /** OCI distribution spec: repository names should stay under 255 characters with the host. */
  static final int MAX_REPOSITORY = 255;
  static final int MAX_TAG = 128;

  // OCI distribution-spec grammar for <name> components and tags.
  private static final Pattern REPOSITORY =
      Pattern.compile("[a-z0-9]+(?:(?:\\.|_|__|-+)[a-z0-9]+)*(?:/[a-z0-9]+(?:(?:\\.|_|__|-+)[a-z0-9]+)*)*");
  private static final Pattern TAG = Pattern.compile("[A-Za-z0-9_][A-Za-z0-9._-]{0,127}");
  // DNS labels (letters, digits, inner hyphens) joined by single dots, optional port.
  private static final Pattern HOST =
      Pattern.compile("[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?(?:\\.[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?)*(?::[0-9]{1,5})?");
  private static final Pattern DIGEST = Pattern.compile("sha256:[a-f0-9]{64}|sha384:[a-f0-9]{96}|sha512:[a-f0-9]{128}");

  private Names() {}

  static String registry(final String raw, final String path) {
    final String v = raw.toLowerCase(Locale.ROOT);
    if (v.length() > MAX_REGISTRY || !HOST.matcher(v).matches()) {
      throw new BadInput(SourceResult.Reason.INVALID_NAME, path + " is not a registry host[:port]: '" + Json.clip(raw) + "'");
    }
    return v;
  }

  static String repository(final String raw, final String path) {
    if (raw.length() > MAX_REPOSITORY || !REPOSITORY.matcher(raw).matches()) {
      throw new BadInput(SourceResult.Reason.INVALID_NAME, path + " is not a valid repository name"
          + " (lower-case components of [a-z0-9._-] separated by '/', at most " + MAX_REPOSITORY + " characters): '"
          + Json.clip(raw) + "'");
    }
    return raw;
  }

  static String tag(final String raw, final String path) {
    if (raw.length() > MAX_TAG || !TAG.matcher(raw).matches()) {
      throw new BadInput(SourceResult.Reason.INVALID_NAME, path + " is not a valid tag: '" + Json.clip(raw) + "'");
    }
    return raw;
  }

  static String digest(final String raw, final String path) {
    if (raw.length() > 7 + 128 || !DIGEST.matcher(raw).matches()) {
      throw new BadInput(SourceResult.Reason.INVALID_DIGEST, path + " is not a digest (sha256:<64 hex>, sha384 or sha512): '"
          + Json.clip(raw) + "'");
    }
    return raw;
  }

  static boolean looksLikeDigest(final String s) {
    return s != null && (s.startsWith("sha256:") || s.startsWith("sha384:") || s.startsWith("sha512:"));
  }
}
