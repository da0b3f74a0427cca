package dev.sigstream.oci.auth;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Credentials read from a Docker {@code config.json}: the {@code auths} section, with either a base64 {@code auth}
 * ({@code user:password}), {@code username}/{@code password}, or an {@code identitytoken} (refresh token).
 * {@code credHelpers} and {@code credsStore} run external programs and are not supported; they are reported in
 * {@link #unsupported()} so the caller can warn.
 *
 * @param byHost credentials keyed by registry host[:port] (lower case; scheme and path of the key stripped)
 */
public record DockerConfigCredentials(Map<String, Credentials> byHost, List<String> unsupported) {

  private static final ObjectMapper JSON = new ObjectMapper();

  public DockerConfigCredentials {
    byHost = Map.copyOf(byHost);
    unsupported = List.copyOf(unsupported);
  }

  /**
   * Reads a config file.
   *
   * @throws IllegalArgumentException if it cannot be read or parsed; the message names the file and the entry, never
   *     the secret
   */
  public static DockerConfigCredentials load(final Path file) {
    try {
      return parse(Files.readAllBytes(file));
    } catch (IOException e) {
      throw new IllegalArgumentException("cannot read Docker config " + file + ": " + e.getClass().getSimpleName());
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("Docker config " + file + ": " + e.getMessage());
    }
  }

  public static DockerConfigCredentials parse(final byte[] json) {
    final JsonNode root;
    try {
      root = JSON.readTree(json);
    } catch (IOException e) {
      // The parser message may quote file content (which holds secrets): report only the location.
      throw new IllegalArgumentException("not valid JSON");
    }
    if (root == null || !root.isObject()) {
      throw new IllegalArgumentException("not a JSON object");
    }
    final Map<String, Credentials> out = new LinkedHashMap<>();
    final List<String> unsupported = new ArrayList<>();
    final JsonNode auths = root.get("auths");
    if (auths != null && auths.isObject()) {
      auths.properties().forEach(e -> {
        final String host = hostOf(e.getKey());
        final Credentials c = entry(host, e.getValue());
        if (c != null) {
          out.put(host, c);
        }
      });
    }
    if (root.hasNonNull("credsStore")) {
      unsupported.add("credsStore '" + root.get("credsStore").asText() + "' (external helpers are not run)");
    }
    final JsonNode helpers = root.get("credHelpers");
    if (helpers != null && helpers.isObject()) {
      helpers.fieldNames().forEachRemaining(h -> unsupported.add("credHelpers entry for " + hostOf(h)));
    }
    return new DockerConfigCredentials(out, unsupported);
  }

  /** Credentials for {@code host}, or anonymous. */
  public Credentials forHost(final String host) {
    return byHost.getOrDefault(host.toLowerCase(Locale.ROOT), Credentials.ANONYMOUS);
  }

  private static Credentials entry(final String host, final JsonNode e) {
    if (e == null || !e.isObject()) {
      return null;
    }
    if (e.hasNonNull("identitytoken") && !e.get("identitytoken").asText().isEmpty()) {
      return new Credentials.RefreshToken(Secret.of(e.get("identitytoken").asText()));
    }
    if (e.hasNonNull("auth") && !e.get("auth").asText().isEmpty()) {
      final String decoded;
      try {
        decoded = new String(Base64.getDecoder().decode(e.get("auth").asText().trim()), StandardCharsets.UTF_8);
      } catch (IllegalArgumentException ex) {
        throw new IllegalArgumentException("auths entry for " + host + ": 'auth' is not valid base64");
      }
      final int colon = decoded.indexOf(':');
      if (colon <= 0) {
        throw new IllegalArgumentException("auths entry for " + host + ": 'auth' is not base64(user:password)");
      }
      return new Credentials.Basic(decoded.substring(0, colon), Secret.of(decoded.substring(colon + 1)));
    }
    if (e.hasNonNull("username") && e.hasNonNull("password")) {
      return new Credentials.Basic(e.get("username").asText(), Secret.of(e.get("password").asText()));
    }
    return null;
  }

  /** {@code https://index.docker.io/v1/} → {@code index.docker.io}; {@code host:5000} stays. */
  static String hostOf(final String key) {
    String k = key.trim();
    final int scheme = k.indexOf("://");
    if (scheme >= 0) {
      k = k.substring(scheme + 3);
    }
    final int slash = k.indexOf('/');
    if (slash >= 0) {
      k = k.substring(0, slash);
    }
    return k.toLowerCase(Locale.ROOT);
  }

  @Override
  public String toString() {
    return "DockerConfigCredentials" + byHost.keySet() + (unsupported.isEmpty() ? "" : " unsupported=" + unsupported);
  }
}
