package dev.sigstream.app.cli;

import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLParser;
import java.io.IOException;
import java.util.LinkedHashSet;
import java.util.Set;
import org.yaml.snakeyaml.LoaderOptions;

/**
 * Every container image a set of manifests would pull: each string value of a key named {@code image}, anywhere in
 * every YAML (or JSON) document of the input. That covers Kubernetes workloads whatever their kind (Pods,
 * Deployments, StatefulSets, DaemonSets, Jobs, CronJobs' {@code jobTemplate}, Lists), every container list in them
 * ({@code containers}, {@code initContainers} with sidecars, {@code ephemeralContainers}), custom resources that embed
 * a pod template, Helm-rendered output (many documents in one stream) and Compose files ({@code services.*.image}).
 * Values that are not strings (a Helm values file's {@code image: {repository, tag}}) are not references and are
 * skipped.
 *
 * <p>Images are named as the container runtime reads them: a name without a registry host ({@code nginx:1.27},
 * {@code team/app@sha256:...}) is pulled from Docker Hub, so it becomes {@code docker.io/library/nginx:1.27} or
 * {@code docker.io/team/app@sha256:...} here, and is verified as such.
 *
 * <p>Hostile input: the caller caps the bytes ({@link ReferenceSources}); SnakeYAML (through Jackson's YAML
 * dataformat) is limited in code points and nesting, aliases are never expanded (Jackson reports them as the anchor's
 * name, so an alias bomb stays small), and the token stream is read once, front to back.
 */
final class ManifestImages {

  /** Deepest nesting accepted (a CronJob's containers sit at about 12). */
  static final int MAX_DEPTH = 64;

  /** Aliases per collection, should SnakeYAML ever compose nodes (Jackson reads events, which never expand). */
  static final int MAX_ALIASES = 50;

  private ManifestImages() {}

  /**
   * The images in {@code yaml}, in document order, without duplicates; names are normalised as the runtime does
   * ({@link #normalise}).
   *
   * @param maxChars the most characters accepted (the caller has capped the bytes already)
   * @throws IllegalArgumentException naming the problem, for input that is not YAML or breaks a limit
   */
  static Set<String> extract(final String yaml, final int maxChars) {
    final LoaderOptions loader = new LoaderOptions();
    loader.setCodePointLimit(Math.max(maxChars, 1));
    loader.setMaxAliasesForCollections(MAX_ALIASES);
    loader.setNestingDepthLimit(MAX_DEPTH);
    loader.setAllowDuplicateKeys(true);
    final YAMLFactory factory = YAMLFactory.builder().loaderOptions(loader)
        .streamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(MAX_DEPTH)
            .maxStringLength(maxChars).build())
        .build();
    final Set<String> images = new LinkedHashSet<>();
    // One pass over the token stream of every document: linear in the input, nothing is built but the set.
    try (YAMLParser p = (YAMLParser) factory.createParser(yaml)) {
      for (JsonToken t = p.nextToken(); t != null; t = p.nextToken()) {
        if (t == JsonToken.VALUE_STRING && "image".equals(p.currentName()) && p.getParsingContext().inObject()) {
          if (p.isCurrentAlias()) {
            // Jackson does not expand aliases (so no alias bomb), and an alias is not an image name.
            throw new IllegalArgumentException("an image: value is a YAML alias (*" + p.getText()
                + "), which is not supported; write the image name");
          }
          final String image = p.getText().trim();
          if (image.isEmpty()) {
            throw new IllegalArgumentException("an image: value is empty (line " + p.currentLocation().getLineNr()
                + ")");
          }
          images.add(normalise(image));
        }
      }
    } catch (final IOException | RuntimeException e) {
      if (e instanceof IllegalArgumentException iae && iae.getMessage() != null
          && iae.getMessage().startsWith("an image: value")) {
        throw iae;
      }
      throw new IllegalArgumentException("not valid YAML: " + firstLine(e));
    }
    return images;
  }

  /**
   * An image name as the container runtime resolves it: the first path component is a registry host only when it
   * has a dot or a port or is {@code localhost}; otherwise the image is on Docker Hub ({@code docker.io}), and a
   * single-component name is in its {@code library/} namespace.
   */
  static String normalise(final String image) {
    final int slash = image.indexOf('/');
    final int at = image.indexOf('@');
    final String first = slash < 0 || (at >= 0 && at < slash) ? null : image.substring(0, slash);
    if (first != null && (first.contains(".") || first.contains(":") || "localhost".equals(first))) {
      return image;
    }
    return "docker.io/" + (first == null ? "library/" : "") + image;
  }

  private static String firstLine(final Throwable e) {
    final String m = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    final int nl = m.indexOf('\n');
    return nl < 0 ? m : m.substring(0, nl);
  }
}
