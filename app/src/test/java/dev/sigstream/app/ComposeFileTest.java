package dev.sigstream.app;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.yaml.snakeyaml.Yaml;

/**
 * {@code docker-compose.yml}, checked without a Docker engine: interpolated as Compose does, anchors and merge keys
 * resolved (SnakeYAML), then its structure, the registry's notifications against ingest's source, every command
 * against the CLI, and every service's environment with the services' own loaders. ({@code docker compose config}
 * is not run: the Compose plugin is not installable here, and Debian's docker-compose 1.29 rejects the current
 * Compose Specification.)
 */
class ComposeFileTest {

  private static final String SECRET = "0123456789abcdef0123456789abcdef";

  @TempDir
  Path tmp;

  private JsonNode compose;

  @BeforeEach
  void load() throws Exception {
    final String raw = Files.readString(DeployFiles.root().resolve("docker-compose.yml"));
    final Object tree = new Yaml().load(interpolate(raw, Map.of("SIGSTREAM_INGEST_SECRET", SECRET)));
    compose = new ObjectMapper().valueToTree(tree);
  }

  @Test
  void kafkaIsKRaft_registryNotifiesIngest_withIngestsOwnSecret() throws Exception {
    final JsonNode kafka = service("kafka");
    assertThat(kafka.path("image").asText()).startsWith("apache/kafka:");
    assertThat(kafka.at("/environment/KAFKA_PROCESS_ROLES").asText()).contains("broker").contains("controller");
    assertThat(kafka.at("/healthcheck/test").toString()).contains("kafka-broker-api-versions");

    final JsonNode registry = service("registry");
    assertThat(registry.path("image").asText()).isEqualTo("registry:3");
    assertThat(registry.at("/configs/0/target").asText()).isEqualTo("/etc/distribution/config.yml");
    final JsonNode config = DeployFiles.YAML.readTree(
        compose.at("/configs/" + registry.at("/configs/0/source").asText() + "/content").asText());
    final JsonNode endpoint = config.at("/notifications/endpoints/0");
    final JsonNode ingestEnv = service("ingest").path("environment");
    final String source = ingestEnv.path("SIGSTREAM_INGEST_SOURCES").asText();
    final String var = "SIGSTREAM_INGEST_SOURCE_" + source.toUpperCase().replace('-', '_');
    assertThat(endpoint.path("url").asText()).isEqualTo("http://ingest:"
        + ingestEnv.path("SIGSTREAM_HTTP_PORT").asText(compose.at("/x-sigstream-env/SIGSTREAM_HTTP_PORT").asText())
        + "/v1/events/" + source);
    assertThat(ingestEnv.path(var + "_AUTH").asText()).isEqualTo("header");
    assertThat(endpoint.at("/headers/Authorization/0").asText()).isEqualTo(ingestEnv.path(var + "_SECRET").asText())
        .isEqualTo("Bearer " + SECRET);
    assertThat(ingestEnv.path(var + "_REGISTRIES").asText()).contains("registry:5000");
    // The same notification settings as the demo's launcher writes (blob uploads and pulls are not pushes)
    final JsonNode demo = DeployFiles.YAML.readTree(dev.sigstream.app.demo.DemoRegistry.writeConfig(tmp, "127.0.0.1:1",
        java.net.URI.create("http://127.0.0.1:2/v1/events/x"), "Bearer y").toFile()).at("/notifications/endpoints/0");
    assertThat(endpoint.path("ignoredmediatypes")).isEqualTo(demo.path("ignoredmediatypes"));
    assertThat(endpoint.path("ignore")).isEqualTo(demo.path("ignore"));
  }

  @Test
  void sigstreamServices_oneImage_oneServiceEach_healthChecked_commandsParse() throws Exception {
    final Set<String> image = new java.util.HashSet<>();
    for (final String name : List.of("ingest", "verifier", "notifier")) {
      final JsonNode s = service(name);
      image.add(s.path("image").asText());
      assertThat(s.path("environment").path("SIGSTREAM_SERVICES").asText()).isEqualTo(name);
      assertThat(s.path("read_only").asBoolean()).as(name).isTrue();
      assertThat(s.path("user").asText()).as(name).isNotIn("", "0", "root");
      final List<String> test = strings(s.at("/healthcheck/test"));
      assertThat(test).as(name).contains(HealthProbe.class.getName())
          .contains("http://127.0.0.1:" + s.path("environment").path("SIGSTREAM_HTTP_PORT").asText() + "/readyz");
      assertThat(s.at("/depends_on/kafka/condition").asText()).as(name).isEqualTo("service_healthy");
      Sigstream.newCommandLine().parseArgs(strings(s.path("command")).toArray(String[]::new));
    }
    assertThat(image).hasSize(1);
    for (final String name : List.of("demo-trust", "demo")) {
      final JsonNode s = service(name);
      assertThat(strings(s.path("profiles"))).containsExactly("demo");
      assertThat(s.path("image").asText()).isEqualTo(image.iterator().next());
      Sigstream.newCommandLine().parseArgs(strings(s.path("command")).toArray(String[]::new));
    }
    // The demo trusts what demo-trust wrote: the verifier can be pointed at it and waits for it
    assertThat(strings(service("verifier").path("volumes"))).anyMatch(v -> v.startsWith("demo-trust:/demo"));
    assertThat(service("verifier").at("/depends_on/demo-trust/required").asBoolean(true)).isFalse();
    assertThat(strings(service("demo").path("command"))).contains("/demo/signer");
  }

  @Test
  void whatEachServiceSets_isWhatItReads() throws Exception {
    for (final String name : List.of("ingest", "verifier", "notifier")) {
      final JsonNode s = service(name);
      final Map<String, String> env = new LinkedHashMap<>();
      s.path("environment").fields().forEachRemaining(e -> env.put(e.getKey(), e.getValue().asText()));
      for (final String k : env.keySet()) {
        if (k.startsWith("SIGSTREAM_")) {
          assertThat(DeployFiles.known(k, Set.of())).as(name + " sets " + k + ", which no service reads").isTrue();
        }
      }
      // Absolute paths must be mounted; map them to a local directory to load
      final Map<String, String> local = new LinkedHashMap<>(env);
      for (final Map.Entry<String, String> e : env.entrySet()) {
        if (e.getValue().startsWith("/") && e.getKey().startsWith("SIGSTREAM_")) {
          final String path = e.getValue();
          assertThat(strings(s.path("volumes"))).as(name + ": " + e.getKey() + "=" + path + " is mounted")
              .anyMatch(v -> path.equals(target(v)) || path.startsWith(target(v) + "/"));
          local.put(e.getKey(), Files.createDirectories(tmp.resolve(name + path)).toString());
        }
      }
      final SigstreamConfig c = DeployFiles.load(local, tmp.resolve("empty.yaml"));
      assertThat(c.services()).containsExactly(SigstreamConfig.Service.valueOf(name.toUpperCase()));
      assertThat(c.bootstrapServers()).contains("kafka:9092");
      assertThat(c.httpHost()).isEqualTo("0.0.0.0");
    }
    assertThat(DeployFiles.root().resolve("deploy/compose/notation")).isDirectory();
  }

  // --- helpers

  private JsonNode service(final String name) {
    final JsonNode s = compose.at("/services/" + name);
    assertThat(s.isMissingNode()).as("service " + name).isFalse();
    return s;
  }

  private static List<String> strings(final JsonNode array) {
    final List<String> out = new ArrayList<>();
    array.forEach(n -> out.add(n.asText()));
    return out;
  }

  private static String target(final String volume) {
    final String[] parts = volume.split(":");
    return parts.length > 1 ? parts[1] : parts[0];
  }

  /**
   * Compose's interpolation: {@code ${VAR}}, {@code ${VAR:-default}}, {@code ${VAR-default}}, {@code ${VAR:?error}}
   * (an error when unset), {@code $$} for a literal {@code $}.
   */
  static String interpolate(final String text, final Map<String, String> env) {
    final Matcher m = Pattern.compile("\\$\\$|\\$\\{([A-Za-z_][A-Za-z0-9_]*)(?:(:?[-?])([^}]*))?}").matcher(text);
    final StringBuilder out = new StringBuilder();
    while (m.find()) {
      final String replacement;
      if (m.group().equals("$$")) {
        replacement = "$";
      } else {
        final String v = env.get(m.group(1));
        final String op = m.group(2);
        final boolean unset = v == null || (op != null && op.startsWith(":") && v.isEmpty());
        if (!unset) {
          replacement = v;
        } else if (op == null) {
          replacement = "";
        } else if (op.endsWith("?")) {
          throw new AssertionError("required variable " + m.group(1) + ": " + m.group(3));
        } else {
          replacement = m.group(3);
        }
      }
      m.appendReplacement(out, Matcher.quoteReplacement(replacement));
    }
    m.appendTail(out);
    return out.toString();
  }

  @Test
  void interpolation_followsCompose() {
    assertThat(interpolate("a ${X:-d} ${Y-e} ${Z} $$", Map.of("Y", ""))).isEqualTo("a d   $");
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> interpolate("${S:?set S}", Map.of()))
        .hasMessageContaining("set S");
  }
}
