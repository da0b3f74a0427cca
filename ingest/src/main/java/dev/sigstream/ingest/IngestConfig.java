package dev.sigstream.ingest;

import dev.sigstream.ingest.source.Authenticator;
import dev.sigstream.ingest.source.Authenticators;
import dev.sigstream.ingest.source.JwtAuthenticator;
import dev.sigstream.ingest.source.Source;
import dev.sigstream.ingest.source.SourceType;
import dev.sigstream.schemas.Topics;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * Ingest configuration, from {@code SIGSTREAM_INGEST_*} environment variables (documented in
 * {@code docs/ingest.md}). {@link #fromEnv} validates everything and throws one {@link Invalid} listing every
 * problem. {@link #toString()} masks secrets.
 *
 * <p>Without {@code SIGSTREAM_INGEST_SOURCES}, one default source {@code local} is configured: type
 * {@code distribution}, registries {@code 127.0.0.1:5000,localhost:5000}, auth {@code header} on
 * {@code Authorization}. It is enabled once its secret is set
 * ({@code SIGSTREAM_INGEST_SOURCE_LOCAL_SECRET='Bearer <token>'}); there is never a built-in secret.
 *
 * @param sources configured sources, by URL name ({@code POST /v1/events/{name}})
 * @param topic topic events are produced to
 * @param maxBodyBytes request body cap (413 above)
 * @param produceTimeout how long a request may wait for Kafka's acknowledgement before 503
 * @param retryAfter the {@code Retry-After} sent with 503
 * @param replayWindow how long an acknowledged delivery or event id is remembered
 * @param replayCapacity how many ids are remembered at most
 * @param disabledDefault why the default source is off, if it is (for a start-up warning), else empty
 */
public record IngestConfig(
    List<SourceSettings> sources,
    String topic,
    int maxBodyBytes,
    Duration produceTimeout,
    Duration retryAfter,
    Duration replayWindow,
    int replayCapacity,
    Optional<String> disabledDefault) {

  public static final String DEFAULT_SOURCE = "local";
  static final List<String> DEFAULT_REGISTRIES = List.of("127.0.0.1:5000", "localhost:5000");
  private static final Pattern SOURCE_NAME = Pattern.compile("[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?");
  private static final Pattern HOST_PORT =
      Pattern.compile("[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?(?:\\.[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?)*(?::[0-9]{1,5})?");

  public IngestConfig {
    sources = List.copyOf(sources);
    Objects.requireNonNull(topic, "topic");
  }

  /** How a source authenticates its sender. */
  public enum AuthKind {
    HEADER("header"), BASIC("basic"), QUERY_KEY("query-key"), HMAC_SHA256("hmac-sha256"), JWT("jwt");

    final String configName;

    AuthKind(final String configName) {
      this.configName = configName;
    }

    static Optional<AuthKind> of(final String s) {
      for (final AuthKind k : values()) {
        if (k.configName.equals(s)) {
          return Optional.of(k);
        }
      }
      return Optional.empty();
    }
  }

  /**
   * One source. {@code secret} is the header value, basic password, query key or HMAC secret by auth kind.
   */
  public record SourceSettings(String name, SourceType type, List<String> registries, AuthKind auth, String header,
      String username, String secret, String queryParam, String jwtIssuer, String jwtAudience, URI jwksUrl,
      String jwtEmail) {

    public SourceSettings {
      registries = List.copyOf(registries);
    }

    Source build(final Clock clock) {
      final Authenticator a = switch (auth) {
        case HEADER -> Authenticators.header(header, secret);
        case BASIC -> Authenticators.basic(username, secret);
        case QUERY_KEY -> Authenticators.queryKey(queryParam, secret);
        case HMAC_SHA256 -> Authenticators.hmacSha256(secret);
        case JWT -> new JwtAuthenticator(jwtIssuer, jwtAudience, jwksUrl, jwtEmail, clock);
      };
      return new Source(name, type, a, registries);
    }

    @Override
    public String toString() {
      return name + "{type=" + type.configName() + ", registries=" + registries + ", auth=" + auth.configName
          + (auth == AuthKind.HEADER ? "(" + header + ")" : "")
          + (auth == AuthKind.QUERY_KEY ? "(" + queryParam + ")" : "")
          + (auth == AuthKind.JWT ? "(iss=" + jwtIssuer + ", aud=" + jwtAudience + ", jwks=" + jwksUrl + ")" : "")
          + (secret == null ? "" : ", secret=****") + "}";
    }
  }

  /** Every configuration problem at once. */
  public static final class Invalid extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;
    private final List<String> problems;

    Invalid(final List<String> problems) {
      super("invalid ingest configuration:\n  - " + String.join("\n  - ", problems));
      this.problems = List.copyOf(problems);
    }

    public List<String> problems() {
      return problems;
    }
  }

  /** Builds the sources (JWT authenticators fetch their JWKS lazily, on first use). */
  public List<Source> buildSources(final Clock clock) {
    return sources.stream().map(s -> s.build(clock)).toList();
  }

  public static IngestConfig fromEnv(final Map<String, String> env) {
    final List<String> problems = new ArrayList<>();
    final String topic = Optional.ofNullable(env.get("SIGSTREAM_INGEST_TOPIC")).filter(s -> !s.isBlank()).orElse(Topics.ARTIFACT_EVENTS);
    final int maxBody = num(env, "SIGSTREAM_INGEST_MAX_BODY_BYTES", 1 << 20, 1024, 64 << 20, problems);
    final Duration produce = Duration.ofMillis(num(env, "SIGSTREAM_INGEST_PRODUCE_TIMEOUT_MS", 10_000, 100, 120_000, problems));
    final Duration retryAfter = Duration.ofSeconds(num(env, "SIGSTREAM_INGEST_RETRY_AFTER_S", 5, 1, 3600, problems));
    final Duration replay = Duration.ofSeconds(num(env, "SIGSTREAM_INGEST_REPLAY_WINDOW_S", 600, 0, 7 * 86400, problems));
    final int replayCap = num(env, "SIGSTREAM_INGEST_REPLAY_CAPACITY", 100_000, 1, 10_000_000, problems);

    final String list = env.get("SIGSTREAM_INGEST_SOURCES");
    final boolean implicit = list == null || list.isBlank();
    final List<String> names = implicit ? List.of(DEFAULT_SOURCE)
        : List.copyOf(new LinkedHashSet<>(List.of(list.trim().split("\\s*,\\s*"))));
    final List<SourceSettings> sources = new ArrayList<>();
    Optional<String> disabled = Optional.empty();
    for (final String name : names) {
      if (!SOURCE_NAME.matcher(name).matches()) {
        problems.add("SIGSTREAM_INGEST_SOURCES: '" + name + "' is not a source name (lower-case letters, digits, inner '-', at most 63)");
        continue;
      }
      final String prefix = "SIGSTREAM_INGEST_SOURCE_" + name.toUpperCase(Locale.ROOT).replace('-', '_') + "_";
      if (implicit && blank(env.get(prefix + "SECRET"))) {
        disabled = Optional.of("the default source '" + DEFAULT_SOURCE + "' is disabled until " + prefix
            + "SECRET is set (e.g. 'Bearer <token>', the Authorization header your registry sends)");
        continue;
      }
      source(name, prefix, env, implicit, problems).ifPresent(sources::add);
    }
    if (!implicit && sources.isEmpty() && problems.isEmpty()) {
      problems.add("SIGSTREAM_INGEST_SOURCES names no source");
    }
    if (!problems.isEmpty()) {
      throw new Invalid(problems);
    }
    return new IngestConfig(sources, topic, maxBody, produce, retryAfter, replay, replayCap, disabled);
  }

  private static Optional<SourceSettings> source(final String name, final String prefix, final Map<String, String> env,
      final boolean implicit, final List<String> problems) {
    final int before = problems.size();
    final String typeName = value(env, prefix + "TYPE", implicit ? "distribution" : null, problems);
    final SourceType type = typeName == null ? null : SourceType.fromConfigName(typeName).orElseGet(() -> {
      problems.add(prefix + "TYPE: unknown type '" + typeName + "' (one of " + SourceType.names() + ")");
      return null;
    });
    final String regs = value(env, prefix + "REGISTRIES", implicit ? String.join(",", DEFAULT_REGISTRIES) : null, problems);
    final List<String> registries = new ArrayList<>();
    if (regs != null) {
      for (final String r : regs.split("\\s*,\\s*")) {
        final String host = r.trim().toLowerCase(Locale.ROOT);
        if (host.length() > 259 || !HOST_PORT.matcher(host).matches()) {
          problems.add(prefix + "REGISTRIES: '" + r + "' is not a registry host[:port]");
        } else {
          registries.add(host);
        }
      }
    }
    final String authName = value(env, prefix + "AUTH", implicit ? "header" : null, problems);
    final AuthKind auth = authName == null ? null : AuthKind.of(authName).orElseGet(() -> {
      problems.add(prefix + "AUTH: unknown auth '" + authName + "' (one of header, basic, query-key, hmac-sha256, jwt;"
          + " every source must authenticate its sender)");
      return null;
    });
    String header = null;
    String username = null;
    String secret = null;
    String param = null;
    String issuer = null;
    String audience = null;
    URI jwks = null;
    String email = null;
    if (auth != null) {
      switch (auth) {
        case HEADER -> {
          header = Optional.ofNullable(env.get(prefix + "AUTH_HEADER")).filter(s -> !s.isBlank()).orElse("Authorization");
          if (!header.matches("[A-Za-z0-9-]{1,64}")) {
            problems.add(prefix + "AUTH_HEADER: '" + header + "' is not a header name");
          }
          secret = value(env, prefix + "SECRET", null, problems);
        }
        case BASIC -> {
          username = value(env, prefix + "USERNAME", null, problems);
          secret = value(env, prefix + "SECRET", null, problems);
        }
        case QUERY_KEY -> {
          param = Optional.ofNullable(env.get(prefix + "QUERY_PARAM")).filter(s -> !s.isBlank()).orElse("key");
          secret = value(env, prefix + "SECRET", null, problems);
        }
        case HMAC_SHA256 -> secret = value(env, prefix + "SECRET", null, problems);
        case JWT -> {
          issuer = value(env, prefix + "JWT_ISSUER", null, problems);
          audience = value(env, prefix + "JWT_AUDIENCE", null, problems);
          final String u = value(env, prefix + "JWT_JWKS_URL", null, problems);
          if (u != null) {
            jwks = uri(u, prefix + "JWT_JWKS_URL", problems);
          }
          email = Optional.ofNullable(env.get(prefix + "JWT_EMAIL")).filter(s -> !s.isBlank()).orElse(null);
        }
        default -> throw new IllegalStateException();
      }
      if (secret != null && auth != AuthKind.BASIC && secret.length() < 16 && auth != AuthKind.HEADER) {
        problems.add(prefix + "SECRET: must be at least 16 characters");
      }
      if (secret != null && auth == AuthKind.HEADER && secret.length() < 12) {
        problems.add(prefix + "SECRET: must be at least 12 characters");
      }
    }
    if (problems.size() > before) {
      return Optional.empty();
    }
    return Optional.of(new SourceSettings(name, type, registries, auth, header, username, secret, param, issuer,
        audience, jwks, email));
  }

  private static URI uri(final String s, final String key, final List<String> problems) {
    try {
      final URI u = new URI(s);
      if (!"https".equals(u.getScheme()) && !"http".equals(u.getScheme()) || u.getHost() == null) {
        problems.add(key + ": must be an http(s) URL, got '" + s + "'");
        return null;
      }
      return u;
    } catch (URISyntaxException e) {
      problems.add(key + ": not a URL: " + e.getMessage());
      return null;
    }
  }

  private static String value(final Map<String, String> env, final String key, final String dflt, final List<String> problems) {
    final String v = env.get(key);
    if (blank(v)) {
      if (dflt == null) {
        problems.add(key + " is required");
      }
      return dflt;
    }
    return v.trim();
  }

  private static boolean blank(final String s) {
    return s == null || s.isBlank();
  }

  private static int num(final Map<String, String> env, final String key, final int dflt, final int min, final int max,
      final List<String> problems) {
    final String v = env.get(key);
    if (blank(v)) {
      return dflt;
    }
    final Function<String, Integer> parse = Integer::parseInt;
    try {
      final int n = parse.apply(v.trim());
      if (n < min || n > max) {
        problems.add(key + ": must be between " + min + " and " + max + ", got " + n);
        return dflt;
      }
      return n;
    } catch (NumberFormatException e) {
      problems.add(key + ": expected a number, got '" + v + "'");
      return dflt;
    }
  }

  @Override
  public String toString() {
    return "IngestConfig{sources=" + sources + ", topic=" + topic + ", maxBodyBytes=" + maxBodyBytes
        + ", produceTimeout=" + produceTimeout + ", retryAfter=" + retryAfter + ", replayWindow=" + replayWindow
        + ", replayCapacity=" + replayCapacity + "}";
  }
}
