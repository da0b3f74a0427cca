package dev.sigstream.oci.classify;

import dev.sigstream.oci.Descriptor;
import dev.sigstream.oci.Digest;
import dev.sigstream.oci.Platform;
import java.util.List;
import java.util.Objects;

/**
 * The class of an artifact with a finer {@code kind} and the evidence that decided it.
 *
 * @param kind stable lower-case identifier: an {@link ArtifactKind#id()} (e.g. {@code oci-image},
 *     {@code notation-signature}, {@code helm-chart}, {@code spdx-json}), or for an artifact index whose own
 *     artifactType is recognised, its entry's id with {@code -index} appended (e.g. {@code modelpack-index})
 * @param platform for a single-platform image when known (from an index entry), else null
 * @param subject the digest this artifact refers to ({@code subject} field or BuildKit reference), else null
 * @param predicateType for attestations when known (in-toto predicate type), else null
 * @param children per-entry classification of an index, in index order; empty for manifests
 */
public record Classification(ArtifactClass artifactClass, String kind, List<Evidence> evidence, Platform platform,
    Digest subject, String predicateType, List<Child> children) {

  /** An index entry and its classification. */
  public record Child(Descriptor descriptor, Classification classification) {}

  public Classification {
    Objects.requireNonNull(artifactClass, "artifactClass");
    Objects.requireNonNull(kind, "kind");
    evidence = List.copyOf(evidence);
    children = children == null ? List.of() : List.copyOf(children);
  }

  /** With one of the classifier's fixed kinds. */
  public Classification(final ArtifactClass artifactClass, final ArtifactKind kind, final List<Evidence> evidence,
      final Platform platform, final Digest subject, final String predicateType, final List<Child> children) {
    this(artifactClass, kind.id(), evidence, platform, subject, predicateType, children);
  }

  /** Whether this is of the given kind. */
  public boolean is(final ArtifactKind kind) {
    return this.kind.equals(kind.id());
  }

  /** The platforms of the container-image children (multi-platform indexes). */
  public List<Platform> platforms() {
    return children.stream()
        .filter(c -> c.classification().artifactClass() == ArtifactClass.CONTAINER_IMAGE)
        .map(c -> c.classification().platform())
        .filter(Objects::nonNull)
        .toList();
  }
}
