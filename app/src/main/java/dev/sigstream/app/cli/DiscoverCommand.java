package dev.sigstream.app.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sigstream.app.Sigstream;
import dev.sigstream.oci.Descriptor;
import dev.sigstream.oci.FetchResult;
import dev.sigstream.oci.Reference;
import dev.sigstream.oci.Referrers;
import dev.sigstream.oci.RegistryClient;
import dev.sigstream.oci.classify.ArtifactClassifier;
import dev.sigstream.oci.classify.Classification;
import java.io.PrintWriter;
import java.util.HashSet;
import java.util.Set;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code sigstream discover}: the referrers tree of an artifact, recursively (signatures of SBOMs, attestations of
 * signatures, ...), like {@code oras discover}. Referrers are classified from their descriptors only.
 */
@Command(name = "discover", mixinStandardHelpOptions = true, sortOptions = false,
    description = {"Show the referrers tree of an artifact.",
        "Signatures, SBOMs, attestations, and their own referrers (e.g. the signature of an SBOM), through the",
        "referrers API or the tag-schema fallback on registries without it."},
    exitCodeListHeading = "%nExit codes:%n",
    exitCodeList = {"0:discovered", "2:usage error", "3:registry or network error (including not found)"})
public final class DiscoverCommand extends CliCommand {

  /** Bounds the walk: a hostile registry could otherwise serve an endless referrer graph. */
  static final int MAX_NODES = 1000;

  @Parameters(index = "0", paramLabel = "REFERENCE",
      description = "registry/repository@digest or registry/repository:tag")
  String reference;

  @Option(names = {"-o", "--output"}, paramLabel = "FORMAT", defaultValue = "text",
      description = "text or json (default: ${DEFAULT-VALUE}).")
  String output;

  @Option(names = "--depth", paramLabel = "N", defaultValue = "4",
      description = "Levels of referrers to follow (default: ${DEFAULT-VALUE}).")
  int depth;

  @Option(names = "--artifact-type", paramLabel = "TYPE", description = "Only show direct referrers of this type.")
  String artifactType;

  @Mixin
  RegistryOptions registry = new RegistryOptions();

  @Override
  int run() throws Exception {
    final Reference ref = parseReference(reference);
    final boolean json = OutputFormat.json(output);
    if (depth < 1) {
      throw CliException.usage("--depth must be at least 1");
    }
    final RegistryClient client = registry.client(ref, this);
    final Reference repo = Reference.repository(ref.registry(), ref.repository());
    final Descriptor root = SignCommand.value(client.resolve(ref).join(), "resolving " + ref);
    final ObjectMapper om = new ObjectMapper();
    final ObjectNode tree = om.createObjectNode();
    tree.put("reference", repo.withDigest(root.digest()).toString());
    tree.put("digest", root.digest().toString());
    tree.put("mediaType", root.mediaType());
    final Classification rootClass = new ArtifactClassifier().classify(SignCommand.value(
        client.manifest(repo.withDigest(root.digest())).join(), "fetching " + ref), ref.tag(), java.util.Map.of());
    tree.put("artifactClass", rootClass.artifactClass().name());
    tree.put("kind", rootClass.kind());
    final Walk walk = new Walk(client, repo, new ArtifactClassifier());
    walk.children(tree, root, depth, artifactType);
    if (walk.truncated) {
      tree.put("truncated", true);
    }
    if (json) {
      out().println(om.enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(tree));
    } else {
      out().println(tree.get("reference").asText() + " [" + rootClass.artifactClass() + "/" + rootClass.kind() + "]");
      printChildren(tree, "", out());
      if (walk.truncated) {
        out().println("(truncated at " + MAX_NODES + " referrers or by --depth)");
      }
    }
    return Sigstream.EXIT_OK;
  }

  /** Depth-first walk; the visited set stops cycles (a referrer cannot really refer to its own referrer). */
  private static final class Walk {
    final RegistryClient client;
    final Reference repo;
    final ArtifactClassifier classifier;
    final Set<String> visited = new HashSet<>();
    int nodes;
    boolean truncated;

    Walk(final RegistryClient client, final Reference repo, final ArtifactClassifier classifier) {
      this.client = client;
      this.repo = repo;
      this.classifier = classifier;
    }

    void children(final ObjectNode parent, final Descriptor subject, final int levels, final String type) {
      visited.add(subject.digest().toString());
      final FetchResult<Referrers> r = client.referrers(repo.withDigest(subject.digest()), type).join();
      final Referrers list = SignCommand.value(r, "listing referrers of " + subject.digest());
      truncated |= list.truncated();
      parent.put("referrersSource", list.source().name());
      final ArrayNode kids = parent.putArray("referrers");
      for (final Descriptor d : list.referrers()) {
        if (++nodes > MAX_NODES) {
          truncated = true;
          return;
        }
        final Classification c = classifier.classifyDescriptor(d);
        final ObjectNode k = kids.addObject();
        k.put("digest", d.digest().toString());
        k.put("mediaType", d.mediaType());
        k.put("artifactType", d.artifactType());
        k.put("size", d.size());
        k.put("artifactClass", c.artifactClass().name());
        k.put("kind", c.kind());
        if (levels > 1 && !visited.contains(d.digest().toString())) {
          children(k, d, levels - 1, null);
        } else if (levels <= 1) {
          truncated = true;
        }
      }
    }
  }

  private static void printChildren(final JsonNode node, final String indent, final PrintWriter out) {
    final JsonNode kids = node.get("referrers");
    if (kids == null) {
      return;
    }
    for (int i = 0; i < kids.size(); i++) {
      final JsonNode k = kids.get(i);
      final boolean last = i == kids.size() - 1;
      out.println(indent + (last ? "└── " : "├── ") + label(k) + " " + k.get("digest").asText());
      printChildren(k, indent + (last ? "    " : "│   "), out);
    }
  }

  private static String label(final JsonNode k) {
    final String at = k.get("artifactType").isNull() ? k.get("mediaType").asText() : k.get("artifactType").asText();
    return at + " [" + k.get("artifactClass").asText() + "/" + k.get("kind").asText() + "]";
  }
}
