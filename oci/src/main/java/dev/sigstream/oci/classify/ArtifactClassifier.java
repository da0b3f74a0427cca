package dev.sigstream.oci.classify;

import static dev.sigstream.oci.classify.ArtifactKind.*;

import dev.sigstream.oci.Descriptor;
import dev.sigstream.oci.Digest;
import dev.sigstream.oci.Manifest;
import dev.sigstream.oci.MediaTypes;
import dev.sigstream.oci.Platform;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Classifies manifests, indexes and referrer descriptors, following {@code shared/reference/classify/README.md} §3:
 * top-level {@code mediaType} → effective type ({@code artifactType}, else {@code config.mediaType}) → layer media
 * types → annotations → tag name. Pure: no I/O, thread-safe, never throws on odd input (unknown shapes are
 * {@link ArtifactClass#UNKNOWN} with evidence saying why).
 */
public final class ArtifactClassifier {

  private static final Pattern REFERRERS_TAG = Pattern.compile("sha256-[a-f0-9]{64}");
  private static final Pattern COSIGN_TAG = Pattern.compile("sha256-[a-f0-9]{64}\\.(sig|att|sbom)");
  private static final String BUILDKIT_REF_TYPE = "vnd.docker.reference.type";
  private static final String BUILDKIT_REF_DIGEST = "vnd.docker.reference.digest";
  private static final String VULN_PREDICATE = "https://cosign.sigstore.dev/attestation/vuln/v1";
  private static final String SIGN_PREDICATE = "https://sigstore.dev/cosign/sign/v1";

  /** Classifies a manifest or index without tag and without resolved index children. */
  public Classification classify(final Manifest m) {
    return classify(m, null, Map.of());
  }

  /**
   * Classifies a manifest or index.
   *
   * @param tag the tag it was pushed or fetched under, or null (used for cosign {@code .sig/.att/.sbom} and
   *     referrers-tag heuristics)
   * @param children index children already fetched, by digest; entries not present are classified from their index
   *     descriptor only
   */
  public Classification classify(final Manifest m, final String tag, final Map<Digest, Manifest> children) {
    final String mt = MediaTypes.normalize(m.mediaType());
    final Digest subject = m.subject().map(Descriptor::digest).orElse(null);
    if (MediaTypes.DOCKER_SCHEMA1.equals(mt) || MediaTypes.DOCKER_SCHEMA1_SIGNED.equals(mt)) {
      return new Classification(ArtifactClass.UNKNOWN, DOCKER_SCHEMA1,
          List.of(new Evidence("mediaType", mt, "Docker schema1 is legacy and unsigned-by-digest")), null, subject,
          null, List.of());
    }
    if (m.isIndex()) {
      return classifyIndex(m, mt, tag, children, subject);
    }
    final Classification c = classifyImageManifest(m, mt, subject);
    if (c.artifactClass() == ArtifactClass.UNKNOWN && tag != null) {
      final Optional<Classification> byTag = byCosignTag(tag, c.evidence(), subject);
      if (byTag.isPresent()) {
        return byTag.get();
      }
    }
    return c;
  }

  /**
   * Classifies a referrer from its descriptor alone (referrers API or fallback index entry): {@code artifactType}
   * (which registries fill from {@code config.mediaType}) and annotations. Generic types give
   * {@link ArtifactClass#UNKNOWN} with kind {@code needs-manifest}: fetch the manifest and call
   * {@link #classify(Manifest)}.
   */
  public Classification classifyDescriptor(final Descriptor d) {
    final String at = MediaTypes.normalize(d.artifactType());
    if (at != null && !isGeneric(at)) {
      final Optional<Classification> c = byEffectiveType(at, "artifactType", d.annotations(), null, null);
      if (c.isPresent()) {
        return c.get();
      }
    }
    if (MediaTypes.isIndex(d.mediaType())) {
      return new Classification(ArtifactClass.IMAGE_INDEX, NESTED_INDEX,
          List.of(new Evidence("mediaType", MediaTypes.normalize(d.mediaType()), "index descriptor")), d.platform(),
          null, null, List.of());
    }
    return new Classification(ArtifactClass.UNKNOWN, NEEDS_MANIFEST,
        List.of(new Evidence("artifactType", String.valueOf(at), "descriptor alone does not decide")), d.platform(),
        null, null, List.of());
  }

  /**
   * Whether an artifact classified {@link ArtifactClass#UNKNOWN} carries a non-standard SBOM-like type
   * ({@code sbom/file}, {@code example/sbom}) so its blob should be sniffed by the SBOM checker.
   */
  public static boolean isSbomCandidate(final Classification c) {
    return c.is(SBOM_CANDIDATE);
  }

  // ---------------------------------------------------------------------------------------------------------------

  private Classification classifyIndex(final Manifest m, final String mt, final String tag,
      final Map<Digest, Manifest> resolved, final Digest subject) {
    final List<Classification.Child> kids = new ArrayList<>();
    final List<Descriptor> entries = m.manifests();
    for (int i = 0; i < entries.size(); i++) {
      kids.add(new Classification.Child(entries.get(i), classifyChild(i, entries.get(i), resolved)));
    }
    final String indexType = mt != null ? mt : "(none)";
    final String at = MediaTypes.normalize(m.artifactType());
    if (at != null) {
      // An index with its own artifactType is an artifact index, not an image.
      final Optional<Classification> c = byEffectiveType(at, "artifactType", m.annotations(), subject, null);
      final List<Evidence> ev = new ArrayList<>(List.of(new Evidence("mediaType", indexType, "index")));
      if (c.isPresent()) {
        ev.addAll(c.get().evidence());
        return new Classification(c.get().artifactClass(), c.get().kind() + "-index", ev, null, subject,
            c.get().predicateType(), kids);
      }
      ev.add(new Evidence("artifactType", at, "unrecognised artifact index type"));
      return new Classification(ArtifactClass.UNKNOWN, ARTIFACT_INDEX, ev, null, subject, null, kids);
    }
    if (tag != null && REFERRERS_TAG.matcher(tag).matches()) {
      return new Classification(ArtifactClass.UNKNOWN, REFERRERS_INDEX,
          List.of(new Evidence("tag", tag, "referrers tag schema <alg>-<hex> lists referrers, it is not an image")),
          null, subject, null, kids);
    }
    final List<Evidence> ev = new ArrayList<>();
    ev.add(new Evidence("mediaType", indexType, "image index / manifest list"));
    int platforms = 0;
    int attestations = 0;
    int others = 0;
    for (int i = 0; i < kids.size(); i++) {
      final Classification k = kids.get(i).classification();
      if (k.artifactClass() == ArtifactClass.CONTAINER_IMAGE && k.platform() != null && !k.platform().isUnknown()) {
        platforms++;
      } else if (k.is(BUILDKIT_ATTESTATION)) {
        attestations++;
      } else {
        others++;
      }
    }
    if (platforms > 0) {
      ev.add(new Evidence("manifests[].platform", platforms + " platform(s)", "container image entries"));
    }
    if (attestations > 0) {
      ev.add(new Evidence("manifests[].annotations[" + BUILDKIT_REF_TYPE + "]", "attestation-manifest",
          attestations + " BuildKit attestation(s), not platforms"));
    }
    final ArtifactKind kind;
    if (others > 0) {
      kind = MIXED_INDEX;
      ev.add(new Evidence("manifests[]", others + " other entr" + (others == 1 ? "y" : "ies"),
          "entries that are not platform images: classify each child"));
    } else if (platforms > 0) {
      kind = MULTI_PLATFORM;
    } else {
      kind = EMPTY_INDEX;
    }
    return new Classification(ArtifactClass.IMAGE_INDEX, kind, ev, null, subject, null, kids);
  }

  private Classification classifyChild(final int i, final Descriptor d, final Map<Digest, Manifest> resolved) {
    final String ref = d.annotations().get(BUILDKIT_REF_TYPE);
    if ("attestation-manifest".equals(ref)) {
      Digest subj = null;
      try {
        subj = d.annotations().containsKey(BUILDKIT_REF_DIGEST) ? Digest.parse(d.annotations().get(BUILDKIT_REF_DIGEST))
            : null;
      } catch (IllegalArgumentException e) {
        subj = null;
      }
      return new Classification(ArtifactClass.ATTESTATION, BUILDKIT_ATTESTATION,
          List.of(new Evidence("manifests[" + i + "].annotations[" + BUILDKIT_REF_TYPE + "]", ref,
              "BuildKit attestation manifest of " + subj)), d.platform(), subj, null, List.of());
    }
    final Manifest child = resolved.get(d.digest());
    if (child != null) {
      final Classification c = classify(child, null, Map.of());
      return new Classification(c.artifactClass(), c.kind(), c.evidence(), d.platform(), c.subject(),
          c.predicateType(), c.children());
    }
    if (d.platform() != null && !d.platform().isUnknown() && MediaTypes.isManifest(d.mediaType())) {
      return new Classification(ArtifactClass.CONTAINER_IMAGE, imageKind(d.mediaType()),
          List.of(new Evidence("manifests[" + i + "].platform", d.platform().toString(), "platform image entry")),
          d.platform(), null, null, List.of());
    }
    final Classification byDesc = classifyDescriptor(d);
    if (byDesc.artifactClass() != ArtifactClass.UNKNOWN) {
      return byDesc;
    }
    return new Classification(ArtifactClass.UNKNOWN, UNRESOLVED,
        List.of(new Evidence("manifests[" + i + "]", d.digest().toString(),
            "no platform and no artifactType: fetch the child to classify it")), d.platform(), null, null, List.of());
  }

  private Classification classifyImageManifest(final Manifest m, final String mt, final Digest subject) {
    final List<Evidence> ev = new ArrayList<>();
    if (mt == null) {
      ev.add(new Evidence("mediaType", "(absent)", "no mediaType and no Content-Type: assumed OCI image manifest"));
    } else if (!MediaTypes.isManifest(mt)) {
      return new Classification(ArtifactClass.UNKNOWN, UNSUPPORTED_MANIFEST,
          List.of(new Evidence("mediaType", mt, "not an OCI/Docker manifest or index")), null, subject, null,
          List.of());
    }
    final String at = MediaTypes.normalize(m.artifactType());
    final Optional<Descriptor> config = m.config();
    final String cfg = config.map(Descriptor::mediaType).map(MediaTypes::normalize).orElse(null);
    final String effective = at != null ? at : cfg;
    final String field = at != null ? "artifactType" : "config.mediaType";
    final List<Descriptor> layers = m.layers();

    if (effective != null && !isGeneric(effective)) {
      final Optional<Classification> c = byEffectiveType(effective, field, m.annotations(), subject, layers);
      if (c.isPresent()) {
        return c.get();
      }
    }
    // Generic or unrecognised effective type: decide by layers.
    final Optional<Classification> byLayers = byLayers(layers, subject, m.annotations(), cfg);
    if (byLayers.isPresent()) {
      return byLayers.get();
    }
    if (effective != null && !isGeneric(effective)) {
      if (isSbomLike(effective)) {
        return new Classification(ArtifactClass.UNKNOWN, SBOM_CANDIDATE,
            List.of(new Evidence(field, effective, "non-standard SBOM-like type; sniff the blob to confirm")), null,
            subject, null, List.of());
      }
      return new Classification(ArtifactClass.UNKNOWN, UNRECOGNISED_ARTIFACT,
          List.of(new Evidence(field, effective, "no rule for this artifact type")), null, subject, null, List.of());
    }
    // Only image layers and a real image config make a container image; a 2-byte {} config does not (OPA bundles).
    final boolean imageConfig = MediaTypes.OCI_CONFIG.equals(cfg) || MediaTypes.DOCKER_CONFIG.equals(cfg);
    final boolean realConfig = config.isPresent() && config.get().size() > 2
        && !MediaTypes.EMPTY_DIGEST.equals(config.get().digest());
    final boolean allImageLayers = layers.stream().allMatch(l -> isImageLayer(l.mediaType()));
    if (imageConfig && realConfig && allImageLayers) {
      ev.add(new Evidence("config.mediaType", cfg, "image config of " + config.get().size() + " bytes"));
      ev.add(new Evidence("layers[].mediaType", layers.isEmpty() ? "(none)" : MediaTypes.normalize(
          layers.get(0).mediaType()), "only image layers"));
      return new Classification(ArtifactClass.CONTAINER_IMAGE, imageKind(mt), ev, null, subject, null, List.of());
    }
    ev.add(new Evidence(field, String.valueOf(effective), realConfig ? "generic type with non-image layers"
        : "generic type with empty/2-byte config: an artifact that only looks like an image"));
    return new Classification(ArtifactClass.UNKNOWN, GENERIC_ARTIFACT, ev, null, subject, null, List.of());
  }

  /** Rules keyed by a specific (non-generic) effective type. Empty when no rule matches. */
  private Optional<Classification> byEffectiveType(final String t, final String field,
      final Map<String, String> annotations, final Digest subject, final List<Descriptor> layers) {
    final Evidence e = new Evidence(field, t, "");
    if (MediaTypes.NOTARY_SIGNATURE.equals(t)) {
      return of(ArtifactClass.SIGNATURE, NOTATION_SIGNATURE, ev(e, "Notary Project signature"), subject, null);
    }
    if ("application/vnd.dev.cosign.artifact.sig.v1+json".equals(t)) {
      return of(ArtifactClass.SIGNATURE, COSIGN_SIGNATURE, ev(e, "cosign OCI 1.1 signature"), subject, null);
    }
    if ("application/vnd.dev.cosign.artifact.sbom.v1+json".equals(t)) {
      return of(ArtifactClass.SBOM, COSIGN_SBOM, ev(e, "cosign attach sbom (OCI 1.1)"), subject, null);
    }
    if (t.startsWith("application/vnd.dev.sigstore.bundle")) {
      return Optional.of(sigstoreBundle(e, annotations, subject));
    }
    if ("application/vnd.in-toto+json".equals(t)) {
      final String pt = annotations.get("dev.sigstore.bundle.predicateType");
      return predicate(ArtifactClass.ATTESTATION, IN_TOTO_ATTESTATION, ev(e, "in-toto attestation"), subject, pt);
    }
    if ("application/vnd.dsse.envelope.v1+json".equals(t)) {
      return of(ArtifactClass.ATTESTATION, COSIGN_ATTESTATION, ev(e, "DSSE envelope"), subject, null);
    }
    if ("application/vnd.cncf.helm.config.v1+json".equals(t) || "application/vnd.cncf.helm.chart.config.v1+json".equals(t)) {
      return of(ArtifactClass.HELM_CHART, HELM_CHART, ev(e, "Helm chart config"), subject, null);
    }
    if ("application/vnd.helm.plugin.v1+json".equals(t)) {
      return of(ArtifactClass.UNKNOWN, HELM_PLUGIN, ev(e, "Helm 4 plugin"), subject, null);
    }
    final ArtifactKind sbom = sbomKind(t);
    if (sbom != null) {
      return of(ArtifactClass.SBOM, sbom, ev(e, "SBOM media type"), subject, null);
    }
    if ("application/sarif+json".equals(t)) {
      return of(ArtifactClass.VULNERABILITY_REPORT, SARIF, ev(e, "SARIF report"), subject, null);
    }
    if ("application/vnd.aquasecurity.trivy.report.sarif.v1".equals(t)) {
      return of(ArtifactClass.VULNERABILITY_REPORT, TRIVY_SARIF, ev(e, "Trivy SARIF report"), subject, null);
    }
    if ("application/json".equals(t)
        && "Cosign Vulnerability Data".equals(annotations.get("org.opencontainers.artifact.description"))) {
      return of(ArtifactClass.VULNERABILITY_REPORT, COSIGN_VULN,
          List.of(e.withRule("generic JSON"), new Evidence("annotations[org.opencontainers.artifact.description]",
              "Cosign Vulnerability Data", "Trivy referrer plugin vulnerability data")), subject, null);
    }
    if ("application/vnd.cncf.model.manifest.v1+json".equals(t) || "application/vnd.cncf.model.config.v1+json".equals(t)) {
      return of(ArtifactClass.AI_MODEL, MODELPACK, ev(e, "CNCF ModelPack"), subject, null);
    }
    if (t.startsWith("application/vnd.kitops.modelkit.config")) {
      return of(ArtifactClass.AI_MODEL, KITOPS, ev(e, "KitOps ModelKit config"), subject, null);
    }
    if (t.startsWith("application/vnd.docker.ai.model.config")) {
      return of(ArtifactClass.AI_MODEL, DOCKER_MODEL_RUNNER, ev(e, "Docker Model Runner config"), subject, null);
    }
    if ("application/vnd.cncf.flux.config.v1+json".equals(t)) {
      return of(ArtifactClass.CONFIG_BUNDLE, FLUX, ev(e, "Flux OCI artifact config"), subject, null);
    }
    if ("application/vnd.cncf.openpolicyagent.config.v1+json".equals(t)) {
      return of(ArtifactClass.CONFIG_BUNDLE, OPA, ev(e, "OPA/conftest policy bundle config"), subject, null);
    }
    if ("application/vnd.wasm.config.v0+json".equals(t) || "application/vnd.wasm.config.v1+json".equals(t)
        || "application/vnd.module.wasm.config.v1+json".equals(t)) {
      return of(ArtifactClass.CONFIG_BUNDLE, WASM, ev(e, "WebAssembly module config"), subject, null);
    }
    if (t.startsWith("application/vnd.sylabs.sif.config.v1")) {
      return of(ArtifactClass.SIF_IMAGE, SIF, ev(e, "Apptainer/Singularity SIF config"), subject, null);
    }
    if ("application/vnd.microsoft.artifact.lifecycle".equals(t)) {
      return of(ArtifactClass.UNKNOWN, LIFECYCLE_MARKER, ev(e, "ACR/MCR end-of-life marker"), subject, null);
    }
    return Optional.empty();
  }

  private Optional<Classification> byLayers(final List<Descriptor> layers, final Digest subject,
      final Map<String, String> annotations, final String cfg) {
    for (int i = 0; i < layers.size(); i++) {
      final Descriptor l = layers.get(i);
      final String t = MediaTypes.normalize(l.mediaType());
      if (t == null) {
        continue;
      }
      final Evidence e = new Evidence("layers[" + i + "].mediaType", t, "");
      if ("application/vnd.in-toto+json".equals(t)) {
        final String pt = l.annotations().get("in-toto.io/predicate-type");
        final boolean buildkit = MediaTypes.OCI_CONFIG.equals(cfg);
        final List<Evidence> ev = new ArrayList<>(ev(e, buildkit ? "in-toto layer with image config (BuildKit)"
            : "in-toto layer"));
        if (pt != null) {
          ev.add(new Evidence("layers[" + i + "].annotations[in-toto.io/predicate-type]", pt, "predicate type"));
        }
        return predicate(ArtifactClass.ATTESTATION, buildkit ? BUILDKIT_ATTESTATION : IN_TOTO_ATTESTATION, ev,
            subject, pt);
      }
      if ("application/vnd.dsse.envelope.v1+json".equals(t)) {
        final String pt = l.annotations().get("predicateType");
        return predicate(ArtifactClass.ATTESTATION, COSIGN_ATTESTATION, ev(e, "DSSE envelope layer"), subject, pt);
      }
      if ("application/vnd.dev.cosign.simplesigning.v1+json".equals(t)) {
        return of(ArtifactClass.SIGNATURE, COSIGN_SIGNATURE, ev(e, "cosign simple-signing payload"), subject, null);
      }
      if (t.startsWith("application/vnd.dev.sigstore.bundle")) {
        return Optional.of(sigstoreBundle(e, annotations, subject));
      }
      if (t.startsWith("application/vnd.ollama.image.")) {
        return of(ArtifactClass.AI_MODEL, OLLAMA, ev(e, "Ollama model layer"), subject, null);
      }
      if (t.startsWith("application/vnd.docker.ai.")) {
        return of(ArtifactClass.AI_MODEL, DOCKER_MODEL_RUNNER, ev(e, "Docker Model Runner layer"), subject, null);
      }
      if (t.startsWith("application/vnd.cncf.model.")) {
        return of(ArtifactClass.AI_MODEL, MODELPACK, ev(e, "ModelPack layer"), subject, null);
      }
      if (t.startsWith("application/vnd.kitops.")) {
        return of(ArtifactClass.AI_MODEL, KITOPS, ev(e, "KitOps layer"), subject, null);
      }
      final ArtifactKind sbom = sbomKind(t);
      if (sbom != null) {
        return of(ArtifactClass.SBOM, sbom, ev(e, "SBOM layer"), subject, null);
      }
      if ("application/sarif+json".equals(t)) {
        return of(ArtifactClass.VULNERABILITY_REPORT, SARIF, ev(e, "SARIF layer"), subject, null);
      }
      if (t.startsWith("application/vnd.sylabs.sif.") || t.startsWith("appliciation/vnd.sylabs.sif.")) {
        return of(ArtifactClass.SIF_IMAGE, SIF, ev(e, "SIF layer"), subject, null);
      }
      if (t.startsWith("application/vnd.cncf.helm.chart.content.")) {
        return of(ArtifactClass.HELM_CHART, HELM_CHART, ev(e, "Helm chart content layer"), subject, null);
      }
      if (t.startsWith("application/vnd.cncf.flux.content.")) {
        return of(ArtifactClass.CONFIG_BUNDLE, FLUX, ev(e, "Flux content layer"), subject, null);
      }
      if (t.startsWith("application/vnd.cncf.openpolicyagent.")) {
        return of(ArtifactClass.CONFIG_BUNDLE, OPA, ev(e, "OPA policy layer"), subject, null);
      }
      if ("application/wasm".equals(t) || t.endsWith("content.layer.v1+wasm")) {
        return of(ArtifactClass.CONFIG_BUNDLE, WASM, ev(e, "WebAssembly layer"), subject, null);
      }
    }
    return Optional.empty();
  }

  private static Classification sigstoreBundle(final Evidence e, final Map<String, String> ann, final Digest subject) {
    final String content = ann.get("dev.sigstore.bundle.content");
    final String pt = ann.get("dev.sigstore.bundle.predicateType");
    final List<Evidence> ev = new ArrayList<>(ev(e, "Sigstore bundle"));
    if (content != null) {
      ev.add(new Evidence("annotations[dev.sigstore.bundle.content]", content, "bundle content"));
    }
    if (pt != null) {
      ev.add(new Evidence("annotations[dev.sigstore.bundle.predicateType]", pt, "bundle predicate type"));
    }
    if ("message-signature".equals(content) || SIGN_PREDICATE.equals(pt)) {
      return new Classification(ArtifactClass.SIGNATURE, SIGSTORE_BUNDLE_SIGNATURE, ev, null, subject, pt, List.of());
    }
    if (pt != null || "dsse-envelope".equals(content)) {
      return predicate(ArtifactClass.ATTESTATION, SIGSTORE_BUNDLE_ATTESTATION, ev, subject, pt).orElseThrow();
    }
    // cosign's tag-fallback write drops the annotations (sigstore/cosign#4641): the blob decides.
    ev.add(new Evidence("annotations", "(none)", "signature vs attestation needs the bundle blob"));
    return new Classification(ArtifactClass.SIGNATURE, SIGSTORE_BUNDLE, ev, null, subject, null, List.of());
  }

  private static Optional<Classification> predicate(final ArtifactClass cls, final ArtifactKind kind,
      final List<Evidence> ev, final Digest subject, final String predicateType) {
    if (VULN_PREDICATE.equals(predicateType)) {
      return Optional.of(new Classification(ArtifactClass.VULNERABILITY_REPORT, COSIGN_VULN_ATTESTATION, ev, null,
          subject, predicateType, List.of()));
    }
    if (SIGN_PREDICATE.equals(predicateType)) {
      return Optional.of(new Classification(ArtifactClass.SIGNATURE, kind, ev, null, subject, predicateType,
          List.of()));
    }
    return Optional.of(new Classification(cls, kind, ev, null, subject, predicateType, List.of()));
  }

  private Optional<Classification> byCosignTag(final String tag, final List<Evidence> prior, final Digest subject) {
    final var m = COSIGN_TAG.matcher(tag);
    if (!m.matches()) {
      return Optional.empty();
    }
    final List<Evidence> ev = new ArrayList<>(prior);
    ev.add(new Evidence("tag", tag, "cosign tag scheme sha256-<hex>." + m.group(1)));
    return Optional.of(switch (m.group(1)) {
      case "sig" -> new Classification(ArtifactClass.SIGNATURE, COSIGN_SIGNATURE, ev, null, subject, null, List.of());
      case "att" -> new Classification(ArtifactClass.ATTESTATION, COSIGN_ATTESTATION, ev, null, subject, null,
          List.of());
      default -> new Classification(ArtifactClass.SBOM, COSIGN_SBOM, ev, null, subject, null, List.of());
    });
  }

  static ArtifactKind sbomKind(final String t) {
    switch (t) {
      case "application/spdx+json":
      case "text/spdx+json":
      case "application/vnd.spdx+json":
      case "application/vnd.ratify.spdx.v0":
        return SPDX_JSON;
      case "text/spdx":
        return SPDX_TAG_VALUE;
      case "text/spdx+xml":
      case "application/spdx+xml":
        return SPDX_XML;
      case "application/spdx+yaml":
        return SPDX_YAML;
      case "application/vnd.cyclonedx+json":
        return CYCLONEDX_JSON;
      case "application/vnd.cyclonedx+xml":
        return CYCLONEDX_XML;
      case "application/vnd.cyclonedx":
        return CYCLONEDX;
      case "application/vnd.syft+json":
        return SYFT_JSON;
      default:
        return null;
    }
  }

  private static boolean isSbomLike(final String t) {
    return t.toLowerCase(Locale.ROOT).contains("sbom");
  }

  static boolean isGeneric(final String t) {
    return MediaTypes.OCI_CONFIG.equals(t) || MediaTypes.DOCKER_CONFIG.equals(t) || MediaTypes.OCI_EMPTY.equals(t)
        || t.startsWith("application/vnd.unknown.");
  }

  private static boolean isImageLayer(final String mediaType) {
    final String t = MediaTypes.normalize(mediaType);
    return t != null && (t.startsWith("application/vnd.oci.image.layer.")
        || t.startsWith("application/vnd.docker.image.rootfs."));
  }

  private static ArtifactKind imageKind(final String mediaType) {
    final String t = MediaTypes.normalize(mediaType);
    return t != null && t.startsWith("application/vnd.docker.") ? DOCKER_IMAGE : OCI_IMAGE;
  }

  private static List<Evidence> ev(final Evidence e, final String rule) {
    return List.of(e.withRule(rule));
  }

  private static Optional<Classification> of(final ArtifactClass c, final ArtifactKind kind, final List<Evidence> ev,
      final Digest subject, final Platform platform) {
    return Optional.of(new Classification(c, kind, ev, platform, subject, null, List.of()));
  }
}
