package dev.sigstream.app.cli;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.Map;
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
 * dataformat) is limited in code points, aliases and nesting, and the tree is walked iteratively, once.
 */
final class ManifestImages {

  /** Deepest nesting accepted (a CronJob's containers sit at about 12). */
  static final int MAX_DEPTH = 64;

  /** Aliases per document: an alias bomb ("billion laughs") is rejected by SnakeYAML before it expands. */
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
    final ObjectMapper mapper = new ObjectMapper(factory);
    final Set<String> images = new LinkedHashSet<>();
    try (JsonParser p = factory.createParser(yaml);
        MappingIterator<JsonNode> docs = mapper.readValues(p, JsonNode.class)) {
      while (docs.hasNextValue()) {
        collect(docs.nextValue(), images);
      }
    } catch (final IOException | RuntimeException e) {
      throw new IllegalArgumentException("not valid YAML: " + firstLine(e));
    }
    return images;
  }

  /** Adds the string value of every {@code image} key under {@code root}: an iterative walk, each node once. */
  private static void collect(final JsonNode root, final Set<String> images) {
    if (root == null) {
      return;
    }
    final Deque<JsonNode> todo = new ArrayDeque<>();
    todo.push(root);
    while (!todo.isEmpty()) {
      final JsonNode n = todo.pop();
      if (n.isObject()) {
        for (final Iterator<Map.Entry<String, JsonNode>> it = n.fields(); it.hasNext(); ) {
          final Map.Entry<String, JsonNode> e = it.next();
          if ("image".equals(e.getKey()) && e.getValue().isTextual()) {
            final String image = e.getValue().asText().trim();
            if (image.isEmpty()) {
              throw new IllegalArgumentException("an image: value is empty");
            }
            images.add(normalise(image));
          } else if (e.getValue().isContainerNode()) {
            todo.push(e.getValue());
          }
        }
      } else if (n.isArray()) {
        for (final JsonNode c : n) {
          if (c.isContainerNode()) {
            todo.push(c);
          }
        }
      }
    }
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
