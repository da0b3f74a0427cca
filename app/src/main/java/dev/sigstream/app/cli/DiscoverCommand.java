package dev.sigstream.app.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sigstream.oci.Descriptor;
import dev.sigstream.oci.Deadline;
import dev.sigstream.oci.Manifest;
import dev.sigstream.oci.Reference;
import dev.sigstream.oci.RegistryClient;
import dev.sigstream.oci.classify.ArtifactClassifier;
import dev.sigstream.oci.classify.Classification;
import dev.sigstream.verifier.core.ArtifactDiscovery;
import dev.sigstream.verifier.core.ReferrerTree;
import dev.sigstream.verifier.core.VerifyLimits;
import java.io.PrintWriter;
import java.util.Map;
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
    final ArtifactDiscovery discovery = new ArtifactDiscovery(new ArtifactClassifier(),
        VerifyLimits.DEFAULTS.withDeadline(registry.artifactDeadline()));
    final Deadline deadline = registry.commandDeadline(this);
    final Reference root = found(discovery.resolve(client, deadline, ref).join(), "resolving " + ref);
    final Manifest manifest = found(client.within(deadline).manifest(root).join(), "fetching " + ref);
    final Classification rootClass = new ArtifactClassifier().classify(manifest, ref.tag(), Map.of());
    final ReferrerTree referrers = found(discovery.tree(client, deadline, root, depth, artifactType).join(),
        "listing referrers of " + root);
    final ObjectMapper om = new ObjectMapper();
    final ObjectNode tree = om.createObjectNode();
    tree.put("reference", Reference.repository(root.registry(), root.repository()).withDigest(root.digest())
        .toString());
    tree.put("digest", root.digest().toString());
    tree.put("mediaType", manifest.mediaType());
    tree.put("artifactClass", rootClass.artifactClass().name());
    tree.put("kind", rootClass.kind());
    children(tree, referrers);
    if (referrers.truncated()) {
      tree.put("truncated", true);
    }
    if (json) {
      out().println(om.enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(tree));
    } else {
      out().println(tree.get("reference").asText() + " [" + rootClass.artifactClass() + "/" + rootClass.kind() + "]");
      printChildren(tree, "", out());
      if (referrers.truncated()) {
        out().println("(truncated at " + ArtifactDiscovery.MAX_TREE_NODES + " referrers or by --depth)");
      }
    }
    return ExitCodes.OK;
  }

  private static void children(final ObjectNode parent, final ReferrerTree level) {
    parent.put("referrersSource", level.source().name());
    final ArrayNode kids = parent.putArray("referrers");
    for (final ReferrerTree.Node n : level.referrers()) {
      final Descriptor d = n.descriptor();
      final ObjectNode k = kids.addObject();
      k.put("digest", d.digest().toString());
      k.put("mediaType", d.mediaType());
      k.put("artifactType", d.artifactType());
      k.put("size", d.size());
      k.put("artifactClass", n.classification().artifactClass().name());
      k.put("kind", n.classification().kind());
      n.children().ifPresent(c -> children(k, c));
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
