package dev.sigstream.verifier.core;

import dev.sigstream.oci.Descriptor;
import dev.sigstream.oci.Referrers;
import dev.sigstream.oci.classify.Classification;
import java.util.List;
import java.util.Optional;

/**
 * The referrers of one subject, and theirs in turn ({@link ArtifactDiscovery#tree}).
 *
 * @param source how this level was listed
 * @param referrers this level, in list order
 * @param truncated a cap (referrers, nodes or depth) cut this level or one below it
 */
public record ReferrerTree(Referrers.Source source, List<Node> referrers, boolean truncated) {

  public ReferrerTree {
    referrers = List.copyOf(referrers);
  }

  /** @param children its own referrers, when the walk went below it */
  public record Node(Descriptor descriptor, Classification classification, Optional<ReferrerTree> children) {}
}
