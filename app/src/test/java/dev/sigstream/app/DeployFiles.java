package dev.sigstream.app;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.sigstream.ingest.IngestConfig;
import dev.sigstream.notifier.NotifierConfig;
import java.io.IOException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/** Shared by the manifest and compose checks: where the files are, how to read them, what the services read. */
final class DeployFiles {

  static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

  /** Ingest's variables (docs/ingest.md): the fixed ones and the per-source ones. */
  private static final Pattern INGEST = Pattern.compile("SIGSTREAM_INGEST_(SOURCES|TOPIC|MAX_BODY_BYTES|"
      + "PRODUCE_TIMEOUT_MS|RETRY_AFTER_S|REPLAY_WINDOW_S|REPLAY_CAPACITY|HTTP_HOST|HTTP_PORT|SOURCE_[A-Z0-9_]+_("
      + "TYPE|REGISTRIES|AUTH|SECRET|AUTH_HEADER|USERNAME|QUERY_PARAM|JWT_ISSUER|JWT_AUDIENCE|JWT_JWKS_URL|JWT_EMAIL))");

  private DeployFiles() {
  }

  /** The repository root (tests run in the module directory). */
  static Path root() {
    Path p = Path.of("").toAbsolutePath();
    while (p != null && !Files.isRegularFile(p.resolve("docker-compose.yml"))) {
      p = p.getParent();
    }
    assertThat(p).as("repository root with docker-compose.yml above " + Path.of("").toAbsolutePath()).isNotNull();
    return p;
  }

  /** Every YAML document of {@code file} (empty documents dropped). */
  static List<JsonNode> documents(final Path file) throws IOException {
    return documents(Files.readString(file));
  }

  static List<JsonNode> documents(final String yaml) throws IOException {
    final List<JsonNode> out = new ArrayList<>();
    try (var it = YAML.readerFor(JsonNode.class).<JsonNode>readValues(yaml)) {
      while (it.hasNext()) {
        final JsonNode n = it.next();
        if (n != null && !n.isNull() && !n.isMissingNode()) {
          out.add(n);
        }
      }
    }
    return out;
  }

  /**
   * Whether a {@code SIGSTREAM_*} variable is one some service reads: a {@link SigstreamConfig.Key}, one of
   * ingest's, the notifier's routes file, or a secret the notifier's routing file names ({@code env:NAME}).
   */
  static boolean known(final String name, final Set<String> routingSecrets) {
    return Arrays.stream(SigstreamConfig.Key.values()).anyMatch(k -> k.env().equals(name))
        || INGEST.matcher(name).matches() || NotifierConfig.ROUTES_FILE_ENV.equals(name)
        || routingSecrets.contains(name);
  }

  /**
   * Loads {@code env} with the services' own loaders, as the process would: {@code sigstream run}'s configuration
   * (with {@code emptyYaml}, so no stray {@code ./sigstream.yaml} is read) and ingest's; returns the configuration.
   */
  static SigstreamConfig load(final Map<String, String> env, final Path emptyYaml) throws IOException {
    if (!Files.exists(emptyYaml)) {
      Files.writeString(emptyYaml, "");
    }
    final SigstreamConfig c = SigstreamConfig.load(emptyYaml, env, Map.of());
    IngestConfig.fromEnv(env);
    return c;
  }

  /** Notifier routing of {@code routes} with {@code env}, as the notifier loads it. */
  static void loadRouting(final Path routes, final Map<String, String> env, final Path stateDir) {
    NotifierConfig.load(Optional.of(routes), env, stateDir);
  }

  /**
   * Problems of a document bound to a fabric8 or Strimzi model: every property the model does not know lands in an
   * {@code additionalProperties} map (both model families keep unknown fields rather than failing), so a typo such as
   * {@code readinesProbe} shows up here with its path.
   */
  static List<String> unknownProperties(final Object model) {
    final List<String> out = new ArrayList<>();
    walk(model, "", out, new IdentityHashMap<>(), 0);
    return out;
  }

  private static void walk(final Object o, final String path, final List<String> out, final Map<Object, Boolean> seen,
      final int depth) {
    if (o == null || depth > 40 || seen.put(o, Boolean.TRUE) != null) {
      return;
    }
    if (o instanceof Map<?, ?> m) {
      m.forEach((k, v) -> walk(v, path + "." + k, out, seen, depth + 1));
      return;
    }
    if (o instanceof Collection<?> c) {
      int i = 0;
      for (final Object e : c) {
        walk(e, path + "[" + i++ + "]", out, seen, depth + 1);
      }
      return;
    }
    final String pkg = o.getClass().getPackageName();
    if (!pkg.startsWith("io.fabric8.kubernetes.api.model") && !pkg.startsWith("io.strimzi.api")) {
      return;
    }
    for (final Method m : o.getClass().getMethods()) {
      if (m.getParameterCount() != 0 || Modifier.isStatic(m.getModifiers()) || m.getDeclaringClass() == Object.class
          || !(m.getName().startsWith("get") || m.getName().startsWith("is"))) {
        continue;
      }
      final Object v;
      try {
        v = m.invoke(o);
      } catch (final ReflectiveOperationException | RuntimeException e) {
        continue;
      }
      if (m.getName().equals("getAdditionalProperties")) {
        if (v instanceof Map<?, ?> extra && !extra.isEmpty()) {
          out.add((path.isEmpty() ? "" : path) + ": unknown " + extra.keySet());
        }
        continue;
      }
      if (v != null && !(v instanceof String) && !(v instanceof Number) && !(v instanceof Boolean)
          && !(v instanceof Enum<?>)) {
        final String name = m.getName().startsWith("is") ? m.getName().substring(2) : m.getName().substring(3);
        walk(v, path + "." + Character.toLowerCase(name.charAt(0)) + name.substring(1), out, seen, depth + 1);
      }
    }
  }
}
