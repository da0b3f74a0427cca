package dev.sigstream.verifier.core;

import dev.sigstream.oci.classify.ArtifactClass;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * What each artifact class must carry, on top of the trust policy (which says who may sign): whether a verified
 * signature is required, and whether its SBOMs must be signed. A class that needs no signature is reported SKIPPED,
 * never PASS: nothing was verified. The default requires a signature of every class and signed SBOMs of none, which is
 * what {@code sigstream verify} does.
 */
public final class ClassPolicy {

  /**
   * @param signature a verified signature is required
   * @param signedSboms every SBOM attached must itself carry a verified signature
   */
  public record Rule(boolean signature, boolean signedSboms) {
    public static final Rule DEFAULT = new Rule(true, false);
  }

  public static final ClassPolicy DEFAULT = new ClassPolicy(Map.of());

  private final Map<ArtifactClass, Rule> rules;

  private ClassPolicy(final Map<ArtifactClass, Rule> rules) {
    final EnumMap<ArtifactClass, Rule> m = new EnumMap<>(ArtifactClass.class);
    for (final ArtifactClass c : ArtifactClass.values()) {
      m.put(c, rules.getOrDefault(c, Rule.DEFAULT));
    }
    this.rules = m;
  }

  public static ClassPolicy of(final Map<ArtifactClass, Rule> rules) {
    return new ClassPolicy(Objects.requireNonNull(rules, "rules"));
  }

  /**
   * Reads rules keyed by class name ({@code CONTAINER_IMAGE}, {@code helm_chart}…), validating every entry.
   *
   * @throws SettingsException listing every unknown class at once
   */
  public static ClassPolicy parse(final Map<String, Rule> byName) {
    final Map<ArtifactClass, Rule> rules = new EnumMap<>(ArtifactClass.class);
    final List<String> unknown = new ArrayList<>();
    byName.forEach((name, rule) -> {
      try {
        rules.put(ArtifactClass.valueOf(name.toUpperCase(Locale.ROOT)), Objects.requireNonNull(rule, name));
      } catch (final IllegalArgumentException e) {
        unknown.add(name);
      }
    });
    if (!unknown.isEmpty()) {
      throw new SettingsException("unknown artifact class(es) " + unknown + " in the class policy; known: "
          + List.of(ArtifactClass.values()));
    }
    return new ClassPolicy(rules);
  }

  public Rule rule(final ArtifactClass c) {
    return rules.get(c == null ? ArtifactClass.UNKNOWN : c);
  }

  @Override
  public String toString() {
    return "ClassPolicy" + rules;
  }
}
