package dev.sigstream.verifier.core;

import dev.sigstream.notary.SignatureCandidate;
import dev.sigstream.oci.Deadline;
import dev.sigstream.oci.Descriptor;
import dev.sigstream.oci.Digest;
import dev.sigstream.oci.FetchResult;
import dev.sigstream.oci.Manifest;
import dev.sigstream.oci.MediaTypes;
import dev.sigstream.oci.Reference;
import dev.sigstream.oci.Referrers;
import dev.sigstream.oci.RegistryReader;
import dev.sigstream.oci.classify.ArtifactClass;
import dev.sigstream.oci.classify.ArtifactClassifier;
import dev.sigstream.oci.classify.ArtifactKind;
import dev.sigstream.oci.classify.Classification;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

/**
 * The one referrer walk, shared by {@code verify}, {@code inspect}, {@code discover}, the stream and the discovery
 * benchmark: resolve a reference to a digest once, fetch the manifest, list its referrers, and fetch what the
 * {@link DiscoveryPlan} asks for, with one set of caps ({@link VerifyLimits}) and one {@link Deadline} per artifact
 * that bounds and cancels every request.
 *
 * <p>Every referrer is checked before its content is used: a signature or SBOM manifest must name this subject (a
 * tag-schema fallback index is a tag anyone with push rights can write), its size must match the listed descriptor,
 * and content over a cap is not downloaded at all. Only light work runs in the registry client's callbacks
 * (classification of already-parsed manifests); envelope and SBOM parsing and signature checks belong to
 * {@link ReportDecision} on the verifier's executor.
 *
 * <p>Never completes exceptionally for anything a registry does; a bug in a callback completes the future
 * exceptionally and the caller reports INTERNAL_ERROR. Immutable and thread-safe.
 */
public final class ArtifactDiscovery {

  /** Bounds {@link #tree}: a hostile registry could otherwise serve an endless referrer graph. */
  public static final int MAX_TREE_NODES = 1000;

  private final ArtifactClassifier classifier;
  private final VerifyLimits limits;

  public ArtifactDiscovery(final ArtifactClassifier classifier, final VerifyLimits limits) {
    this.classifier = Objects.requireNonNull(classifier, "classifier");
    this.limits = Objects.requireNonNull(limits, "limits");
  }

  public VerifyLimits limits() {
    return limits;
  }

  /**
   * Resolves {@code ref} to a reference by digest (the tag, if any, kept for reporting). Tags are mutable: they are
   * resolved once, here, and everything after works on the digest.
   */
  public CompletableFuture<FetchResult<Reference>> resolve(final RegistryReader registry, final Deadline deadline,
      final Reference ref) {
    if (ref.isDigest()) {
      return done(FetchResult.found(ref));
    }
    return registry.within(deadline).resolve(ref).thenApply(r -> r.map(d -> ref.withDigest(d.digest())));
  }

  /** Fetches the manifest and the referrers of {@code artifact} (by digest), then what {@code plan} asks for. */
  public CompletableFuture<Discovery> discover(final RegistryReader registry, final Deadline deadline,
      final Reference artifact, final DiscoveryPlan plan) {
    requireDigest(artifact);
    final RegistryReader r = registry.within(deadline);
    // The listing needs only the digest, so it is requested together with the manifest: one round trip less per
    // artifact, which is most of what a verification costs against a remote registry. A listing whose manifest
    // fails is cancelled.
    final CompletableFuture<FetchResult<Referrers>> listing = r.referrers(artifact, plan.artifactType());
    return r.manifest(artifact).thenCompose(mr -> {
      if (!(mr instanceof FetchResult.Found<Manifest> mf)) {
        listing.cancel(true);
        return done(new Discovery.Failed(artifact, Optional.empty(), Optional.empty(),
            FetchProblem.of(mr, "fetching manifest " + artifact)));
      }
      final Manifest manifest = mf.value();
      final Classification cls = classifier.classify(manifest, artifact.tag(), Map.of());
      return listing.thenCompose(rr -> {
        if (!(rr instanceof FetchResult.Found<Referrers> rf)) {
          return done(new Discovery.Failed(artifact, Optional.of(manifest), Optional.of(cls),
              FetchProblem.of(rr, "listing referrers of " + artifact)));
        }
        return referrers(r, artifact, manifest, cls, rf.value(), plan);
      });
    });
  }

  private CompletableFuture<Discovery> referrers(final RegistryReader r, final Reference subject,
      final Manifest manifest, final Classification cls, final Referrers list, final DiscoveryPlan plan) {
    final List<CompletableFuture<Discovery.Listed>> listed = new ArrayList<>();
    final List<CompletableFuture<SignatureMaterial>> sigs = new ArrayList<>();
    final List<CompletableFuture<SbomMaterial>> sboms = new ArrayList<>();
    int sigsBeyond = 0;
    int sbomsBeyond = 0;
    int unknownFetched = 0;
    for (final Descriptor d : list.referrers()) {
      final Classification c = classifier.classifyDescriptor(d);
      final boolean notary = isNotarySignature(d, c);
      if (notary) {
        if (plan.signatures() && sigs.size() < limits.maxSignatures()) {
          sigs.add(signature(r, subject, d));
        } else if (plan.signatures()) {
          sigsBeyond++;
        }
        listed.add(done(new Discovery.Listed(d, c, true)));
      } else if (c.artifactClass() == ArtifactClass.SBOM) {
        if (plan.sboms() && sboms.size() < limits.maxSboms()) {
          sboms.add(sbom(r, subject, d, plan));
        } else if (plan.sboms()) {
          sbomsBeyond++;
        }
        listed.add(done(new Discovery.Listed(d, c, false)));
      } else if (c.artifactClass() == ArtifactClass.UNKNOWN && plan.classifyUnknown()
          && unknownFetched++ < limits.maxSignatures()) {
        // Capped like signatures, so a flood of junk referrers cannot turn one artifact into a thousand requests.
        listed.add(r.manifest(subject.withDigest(d.digest())).thenApply(mr -> mr instanceof FetchResult.Found<Manifest> m
            && named(m.value(), subject.digest()) ? new Discovery.Listed(d, classifier.classify(m.value()), false)
            : new Discovery.Listed(d, c, false)));
      } else {
        listed.add(done(new Discovery.Listed(d, c, false)));
      }
    }
    final int sigsOver = sigsBeyond;
    final int sbomsOver = sbomsBeyond;
    return allOf(listed).thenCompose(l -> allOf(sigs).thenCombine(allOf(sboms), (s, b) ->
        new Discovery.Complete(subject, manifest, cls, list.source(), list.truncated(), l, s, sigsOver, b,
            sbomsOver)));
  }

  /** One Notary signature: its manifest (shape, subject, size), then its envelope within the cap. */
  CompletableFuture<SignatureMaterial> signature(final RegistryReader r, final Reference subject, final Descriptor d) {
    return r.manifest(subject.withDigest(d.digest())).thenCompose(mr -> {
      if (!(mr instanceof FetchResult.Found<Manifest> found)) {
        return done(SignatureMaterial.unusable(d, null, FetchProblem.of(mr, "signature manifest " + d.digest())));
      }
      final Manifest m = found.value();
      final String problem = signatureShapeProblem(m, subject.digest());
      if (problem != null) {
        return done(SignatureMaterial.unusable(d, null, FetchProblem.of(Reason.CONTENT_MALFORMED,
            "signature manifest " + d.digest() + " " + problem)));
      }
      final String sizeProblem = sizeProblem(d, m);
      if (sizeProblem != null) {
        return done(SignatureMaterial.unusable(d, null, FetchProblem.of(Reason.CONTENT_MALFORMED,
            "signature manifest " + sizeProblem)));
      }
      final Descriptor layer = m.layers().get(0);
      final String envType = MediaTypes.normalize(layer.mediaType());
      if (layer.size() > limits.maxEnvelopeBytes()) {
        // Not downloaded at all: the descriptor already says it is over the cap.
        return done(SignatureMaterial.unusable(d, envType, FetchProblem.of(Reason.ENVELOPE_TOO_LARGE,
            "signature envelope of " + layer.size() + " bytes exceeds the cap of " + limits.maxEnvelopeBytes())));
      }
      return r.blob(subject, layer).thenApply(br -> br instanceof FetchResult.Found<byte[]> blob
          ? SignatureMaterial.usable(d, new SignatureCandidate(envType == null ? "" : envType, blob.value(),
              d.digest().toString()))
          : SignatureMaterial.unusable(d, envType, FetchProblem.of(br, "signature envelope " + layer.digest())));
    });
  }

  private CompletableFuture<SbomMaterial> sbom(final RegistryReader r, final Reference subject, final Descriptor d,
      final DiscoveryPlan plan) {
    final Reference sbomRef = subject.withDigest(d.digest());
    return r.manifest(sbomRef).thenCompose(mr -> {
      if (!(mr instanceof FetchResult.Found<Manifest> found)) {
        return done(SbomMaterial.failed(d, FetchProblem.of(mr, "SBOM manifest " + d.digest())));
      }
      final Manifest m = found.value();
      if (!named(m, subject.digest())) {
        return done(SbomMaterial.failed(d, FetchProblem.of(Reason.CONTENT_MALFORMED, "SBOM manifest " + d.digest()
            + " names subject " + m.subject().map(Descriptor::digest).orElse(null) + ", not " + subject.digest())));
      }
      final String sizeProblem = sizeProblem(d, m);
      if (sizeProblem != null) {
        return done(SbomMaterial.failed(d, FetchProblem.of(Reason.CONTENT_MALFORMED, "SBOM manifest " + sizeProblem)));
      }
      final Descriptor layer = m.layers().isEmpty() ? null : m.layers().get(0);
      if (layer == null) {
        return done(SbomMaterial.failed(d, FetchProblem.of(Reason.SBOM_INVALID, "the SBOM manifest has no layer")));
      }
      if (layer.size() > limits.maxSbomBytes()) {
        return done(SbomMaterial.failed(d, FetchProblem.of(Reason.CONTENT_TOO_LARGE, "the SBOM document of "
            + layer.size() + " bytes exceeds the cap of " + limits.maxSbomBytes())));
      }
      final CompletableFuture<FetchResult<byte[]>> doc = r.blob(subject, layer);
      final CompletableFuture<SignatureList> signatures = plan.sbomSignatures() ? sbomSignatures(r, sbomRef)
          : done(new SignatureList(List.of(), Optional.empty()));
      return doc.thenCombine(signatures, (br, sl) -> {
        final boolean ok = br instanceof FetchResult.Found<byte[]>;
        return new SbomMaterial(d, Optional.of(m.descriptor()), Optional.of(layer),
            ok ? Optional.of(((FetchResult.Found<byte[]>) br).value()) : Optional.empty(),
            ok ? Optional.empty() : Optional.of(FetchProblem.of(br, "SBOM document " + layer.digest())),
            sl.signatures(), sl.problem());
      });
    });
  }

  private record SignatureList(List<SignatureMaterial> signatures, Optional<FetchProblem> problem) {}

  private CompletableFuture<SignatureList> sbomSignatures(final RegistryReader r, final Reference sbomRef) {
    return r.referrers(sbomRef, MediaTypes.NOTARY_SIGNATURE).thenCompose(rr -> {
      if (!(rr instanceof FetchResult.Found<Referrers> rf)) {
        return done(new SignatureList(List.of(), Optional.of(FetchProblem.of(rr, "listing the SBOM's signatures"))));
      }
      final List<CompletableFuture<SignatureMaterial>> fs = new ArrayList<>();
      for (final Descriptor d : rf.value().referrers()) {
        if (fs.size() < limits.maxSignatures() && isNotarySignature(d, classifier.classifyDescriptor(d))) {
          fs.add(signature(r, sbomRef, d));
        }
      }
      return allOf(fs).thenApply(s -> new SignatureList(s, Optional.empty()));
    });
  }

  // ------------------------------------------------------------------------------------------------------- tree

  /**
   * The referrers tree of {@code artifact} (by digest) for {@code sigstream discover}: referrers of referrers down
   * to {@code depth} levels, classified from their descriptors, at most {@link #MAX_TREE_NODES} nodes, all within
   * {@code deadline}. {@code artifactType} filters the first level only.
   */
  public CompletableFuture<FetchResult<ReferrerTree>> tree(final RegistryReader registry, final Deadline deadline,
      final Reference artifact, final int depth, final String artifactType) {
    requireDigest(artifact);
    if (depth < 1) {
      throw new IllegalArgumentException("depth must be at least 1");
    }
    final RegistryReader r = registry.within(deadline);
    final TreeWalk walk = new TreeWalk(r, artifact);
    return walk.level(artifact.digest(), depth, artifactType);
  }

  private final class TreeWalk {
    final RegistryReader registry;
    final Reference repo;
    final Set<Digest> visited = new HashSet<>();
    int nodes;

    TreeWalk(final RegistryReader registry, final Reference artifact) {
      this.registry = registry;
      this.repo = artifact;
    }

    // Depth-first and sequential: the node count and the visited set (which stops cycles) need an order.
    CompletableFuture<FetchResult<ReferrerTree>> level(final Digest subject, final int levels, final String type) {
      visited.add(subject);
      return registry.referrers(repo.withDigest(subject), type).thenCompose(rr -> {
        if (!(rr instanceof FetchResult.Found<Referrers> rf)) {
          return done(rr.<ReferrerTree>castFailure());
        }
        final Referrers list = rf.value();
        return children(list.referrers(), 0, levels, new ArrayList<>(), list.truncated())
            .thenApply(res -> res.map(kids -> new ReferrerTree(list.source(), kids.nodes(), kids.truncated())));
      });
    }

    private record Kids(List<ReferrerTree.Node> nodes, boolean truncated) {}

    private CompletableFuture<FetchResult<Kids>> children(final List<Descriptor> ds, final int i, final int levels,
        final List<ReferrerTree.Node> acc, final boolean truncated) {
      if (i == ds.size()) {
        return done(FetchResult.found(new Kids(acc, truncated)));
      }
      if (++nodes > MAX_TREE_NODES) {
        return done(FetchResult.found(new Kids(acc, true)));
      }
      final Descriptor d = ds.get(i);
      final Classification c = classifier.classifyDescriptor(d);
      if (levels <= 1 || visited.contains(d.digest())) {
        acc.add(new ReferrerTree.Node(d, c, Optional.empty()));
        return children(ds, i + 1, levels, acc, truncated || levels <= 1);
      }
      return level(d.digest(), levels - 1, null).thenCompose(sub -> {
        if (!(sub instanceof FetchResult.Found<ReferrerTree> t)) {
          return done(sub.<Kids>castFailure());
        }
        acc.add(new ReferrerTree.Node(d, c, Optional.of(t.value())));
        return children(ds, i + 1, levels, acc, truncated || t.value().truncated());
      });
    }
  }

  // ---------------------------------------------------------------------------------------------------- checks

  /** Both signature-manifest shapes list as artifactType {@code application/vnd.cncf.notary.signature}. */
  static boolean isNotarySignature(final Descriptor d, final Classification c) {
    return MediaTypes.NOTARY_SIGNATURE.equals(MediaTypes.normalize(d.artifactType()))
        || c.is(ArtifactKind.NOTATION_SIGNATURE);
  }

  /**
   * Null when {@code m} is a usable Notary signature manifest for {@code subject}: shape A (artifactType notary,
   * empty config) or shape B (config media type notary), exactly one layer, and a subject naming this digest (a
   * tag-schema index is writable by anyone with push rights, so its entries are not trusted to point here).
   */
  static String signatureShapeProblem(final Manifest m, final Digest subject) {
    final String at = MediaTypes.normalize(m.artifactType());
    final String config = m.config().map(c -> MediaTypes.normalize(c.mediaType())).orElse(null);
    final boolean shapeA = MediaTypes.NOTARY_SIGNATURE.equals(at)
        && (MediaTypes.OCI_EMPTY.equals(config) || config == null);
    final boolean shapeB = at == null && MediaTypes.NOTARY_SIGNATURE.equals(config);
    if (!shapeA && !shapeB) {
      return "is not a Notary signature manifest (artifactType " + at + ", config " + config + ")";
    }
    if (m.layers().size() != 1) {
      return "has " + m.layers().size() + " layers; a Notary signature manifest has exactly one";
    }
    if (!named(m, subject)) {
      return "names subject " + m.subject().map(Descriptor::digest).orElse(null) + ", not " + subject;
    }
    return null;
  }

  private static boolean named(final Manifest m, final Digest subject) {
    return subject.equals(m.subject().map(Descriptor::digest).orElse(null));
  }

  /** The listed size must be the fetched manifest's: a list that lies about sizes is not trusted. */
  private static String sizeProblem(final Descriptor listed, final Manifest m) {
    return listed.size() == m.bytes().length ? null : listed.digest() + " is listed with " + listed.size()
        + " bytes but has " + m.bytes().length;
  }

  private static void requireDigest(final Reference ref) {
    if (!ref.isDigest()) {
      throw new IllegalArgumentException("discovery works on a digest; resolve " + ref + " first");
    }
  }

  static <T> CompletableFuture<T> done(final T v) {
    return CompletableFuture.completedFuture(v);
  }

  static <T> CompletableFuture<List<T>> allOf(final List<CompletableFuture<T>> fs) {
    return CompletableFuture.allOf(fs.toArray(CompletableFuture[]::new))
        .thenApply(v -> fs.stream().map(CompletableFuture::join).toList());
  }
}
