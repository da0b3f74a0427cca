package dev.sigstream.oci.client;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/** A parsed {@code WWW-Authenticate} challenge: scheme (lower case) and its auth-params. */
record Challenge(String scheme, Map<String, String> params) {

  /**
   * Parses {@code Bearer realm="…",service="…",scope="a b"} or {@code Basic realm="…"}; empty if unusable or longer
   * than {@link RegistryHeaders#MAX_CHALLENGE}. One linear pass (every index only moves forward), never throws.
   */
  static Optional<Challenge> parse(final String header) {
    if (header == null || header.length() > RegistryHeaders.MAX_CHALLENGE) {
      return Optional.empty();
    }
    return scan(header);
  }

  /** {@link #parse} without the length cap. */
  static Optional<Challenge> scan(final String header) {
    if (header == null || header.isBlank()) {
      return Optional.empty();
    }
    final String h = header.trim();
    final int sp = h.indexOf(' ');
    final String scheme = (sp < 0 ? h : h.substring(0, sp)).toLowerCase(Locale.ROOT);
    final Map<String, String> params = new LinkedHashMap<>();
    int i = sp < 0 ? h.length() : sp + 1;
    while (i < h.length()) {
      while (i < h.length() && (h.charAt(i) == ' ' || h.charAt(i) == ',')) {
        i++;
      }
      final int eq = h.indexOf('=', i);
      if (eq < 0) {
        break;
      }
      final String key = h.substring(i, eq).trim().toLowerCase(Locale.ROOT);
      i = eq + 1;
      final StringBuilder v = new StringBuilder();
      if (i < h.length() && h.charAt(i) == '"') {
        i++;
        while (i < h.length() && h.charAt(i) != '"') {
          if (h.charAt(i) == '\\' && i + 1 < h.length()) {
            i++;
          }
          v.append(h.charAt(i++));
        }
        i++;
      } else {
        while (i < h.length() && h.charAt(i) != ',') {
          v.append(h.charAt(i++));
        }
      }
      params.put(key, v.toString().trim());
    }
    if (!"bearer".equals(scheme) && !"basic".equals(scheme)) {
      return Optional.empty();
    }
    return Optional.of(new Challenge(scheme, Map.copyOf(params)));
  }
}
