package dev.sigstream.verifier.core;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.sigstream.oci.classify.ArtifactClass;
import dev.sigstream.oci.sbom.SbomPolicy;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * What an operator asks of each artifact class on top of the trust policy (which says who may sign), read from one
 * YAML file ({@code verifier.policyFile}; see docs/configuration.md):
 *
 * <pre>
 * classes:
 *   container_image: {signature: true, signedSboms: true, graceWindow: 5m}
 *   helm_chart:      {signature: true}
 *   config_bundle:   {signature: false}
 * sbom:
 *   deniedLicenses: [GPL-3.0-only]
 *   deniedPackages: [{name: log4j-core, version: 2.14.1}]
 * index:
 *   verifyChildren: true
 * </pre>
 *
 * @param classes per class: signature required (default yes), signed SBOMs required (default no)
 * @param sbom deny lists applied to every SBOM attached to an artifact (the signed-SBOM requirement is per class)
 * @param graceWindows per class, how long an artifact without its signature is held before its FAIL is published;
 *     a class not named uses the service-wide window
 * @param verifyChildren whether an image index's platform manifests get verdicts of their own
 */
public record ArtifactPolicy(ClassPolicy classes, SbomPolicy sbom, Map<ArtifactClass, Duration> graceWindows,
    boolean verifyChildren) {

  /** No file: a signature on everything, no deny lists, the service-wide grace window, no child verdicts. */
  public static final ArtifactPolicy DEFAULT = new ArtifactPolicy(ClassPolicy.DEFAULT, SbomPolicy.NONE, Map.of(),
      false);

  /** Larger files are refused before they are parsed: a policy is a page, not a database. */
  static final int MAX_BYTES = 256 << 10;

  public ArtifactPolicy {
    Objects.requireNonNull(classes, "classes");
    Objects.requireNonNull(sbom, "sbom");
    graceWindows = Map.copyOf(graceWindows);
  }

  /**
   * Reads and validates a policy file.
   *
   * @throws SettingsException naming every problem in the file at once
   */
  public static ArtifactPolicy load(final Path file) {
    final byte[] bytes;
    try (InputStream in = Files.newInputStream(file)) {
      bytes = in.readNBytes(MAX_BYTES + 1);
    } catch (final IOException e) {
      throw new SettingsException("artifact policy " + file + ": cannot read: " + e.getMessage());
    }
    if (bytes.length > MAX_BYTES) {
      throw new SettingsException("artifact policy " + file + ": larger than " + (MAX_BYTES >> 10) + " KiB");
    }
    final JsonNode root;
    try {
      root = new ObjectMapper(new YAMLFactory()).readTree(bytes);
    } catch (final JsonProcessingException e) {
      throw new SettingsException("artifact policy " + file + ": not valid YAML (line "
          + e.getLocation().getLineNr() + "): " + e.getOriginalMessage());
    } catch (final IOException e) {
      throw new SettingsException("artifact policy " + file + ": " + e.getMessage());
    }
    final List<String> problems = new ArrayList<>();
    final ArtifactPolicy policy = parse(root, problems);
    if (!problems.isEmpty()) {
      throw new SettingsException("artifact policy " + file + ": " + String.join("; ", problems));
    }
    return policy;
  }

  static ArtifactPolicy parse(final JsonNode root, final List<String> problems) {
    if (root == null || root.isMissingNode() || root.isNull()) {
      return DEFAULT;
    }
    if (!root.isObject()) {
      problems.add("top level must be a mapping");
      return DEFAULT;
    }
    only(root, "", Set.of("classes", "sbom", "index"), problems);
    final Map<ArtifactClass, ClassPolicy.Rule> rules = new EnumMap<>(ArtifactClass.class);
    final Map<ArtifactClass, Duration> grace = new EnumMap<>(ArtifactClass.class);
    final JsonNode classes = root.path("classes");
    if (!classes.isMissingNode() && !classes.isObject()) {
      problems.add("classes: must be a mapping of class name to rule");
    }
    for (final Iterator<Map.Entry<String, JsonNode>> it = classes.fields(); it.hasNext();) {
      final Map.Entry<String, JsonNode> e = it.next();
      final String where = "classes." + e.getKey();
      final ArtifactClass cls = artifactClass(e.getKey());
      if (cls == null) {
        problems.add(where + ": unknown artifact class (known: " + known() + ")");
        continue;
      }
      final JsonNode r = e.getValue();
      if (!r.isObject()) {
        problems.add(where + ": must be a mapping (signature, signedSboms, graceWindow)");
        continue;
      }
      only(r, where + ".", Set.of("signature", "signedSboms", "graceWindow"), problems);
      rules.put(cls, new ClassPolicy.Rule(bool(r, "signature", true, where, problems),
          bool(r, "signedSboms", false, where, problems)));
      if (r.has("graceWindow")) {
        try {
          grace.put(cls, Durations.parse(r.get("graceWindow").asText()));
        } catch (final IllegalArgumentException ex) {
          problems.add(where + ".graceWindow: " + ex.getMessage());
        }
      }
    }
    final JsonNode sbom = root.path("sbom");
    only(sbom, "sbom.", Set.of("deniedLicenses", "deniedPackages"), problems);
    final Set<String> licenses = new LinkedHashSet<>();
    for (final JsonNode l : list(sbom, "deniedLicenses", "sbom.", problems)) {
      if (!l.isTextual() || l.asText().isBlank()) {
        problems.add("sbom.deniedLicenses: every entry must be an SPDX licence id");
      } else {
        licenses.add(l.asText());
      }
    }
    final List<SbomPolicy.PackageRule> packages = new ArrayList<>();
    for (final JsonNode p : list(sbom, "deniedPackages", "sbom.", problems)) {
      if (!p.isObject() || !p.path("name").isTextual() || p.path("name").asText().isBlank()) {
        problems.add("sbom.deniedPackages: every entry needs a name (and optionally a version)");
        continue;
      }
      only(p, "sbom.deniedPackages[" + p.path("name").asText() + "].", Set.of("name", "version"), problems);
      packages.add(new SbomPolicy.PackageRule(p.get("name").asText(), p.path("version").isMissingNode() ? null
          : p.path("version").asText()));
    }
    final JsonNode index = root.path("index");
    only(index, "index.", Set.of("verifyChildren"), problems);
    final boolean children = bool(index, "verifyChildren", false, "index", problems);
    return new ArtifactPolicy(ClassPolicy.of(rules), new SbomPolicy(licenses, packages, false), grace, children);
  }

  private static ArtifactClass artifactClass(final String name) {
    for (final ArtifactClass c : ArtifactClass.values()) {
      if (c.name().equalsIgnoreCase(name)) {
        return c;
      }
    }
    return null;
  }

  private static String known() {
    final List<String> names = new ArrayList<>();
    for (final ArtifactClass c : ArtifactClass.values()) {
      names.add(c.name().toLowerCase(java.util.Locale.ROOT));
    }
    return String.join(", ", names);
  }

  private static void only(final JsonNode node, final String prefix, final Set<String> allowed,
      final List<String> problems) {
    if (node.isMissingNode()) {
      return;
    }
    if (!node.isObject()) {
      problems.add(prefix.isEmpty() ? "top level must be a mapping" : prefix.substring(0, prefix.length() - 1)
          + ": must be a mapping");
      return;
    }
    node.fieldNames().forEachRemaining(f -> {
      if (!allowed.contains(f)) {
        problems.add(prefix + f + ": unknown key (expected one of " + new java.util.TreeSet<>(allowed) + ")");
      }
    });
  }

  private static boolean bool(final JsonNode node, final String field, final boolean dflt, final String where,
      final List<String> problems) {
    final JsonNode v = node.path(field);
    if (v.isMissingNode()) {
      return dflt;
    }
    if (!v.isBoolean()) {
      problems.add(where + "." + field + ": must be true or false");
      return dflt;
    }
    return v.asBoolean();
  }

  private static List<JsonNode> list(final JsonNode node, final String field, final String prefix,
      final List<String> problems) {
    final JsonNode v = node.path(field);
    if (v.isMissingNode()) {
      return List.of();
    }
    if (!v.isArray()) {
      problems.add(prefix + field + ": must be a list");
      return List.of();
    }
    final List<JsonNode> out = new ArrayList<>();
    v.forEach(out::add);
    return out;
  }
}
