package dev.sigstream.oci.classify;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sigstream.oci.Descriptor;
import dev.sigstream.oci.Digest;
import dev.sigstream.oci.Manifest;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ArtifactClassifierTest {

  private static final String D1 = "sha256:" + "a".repeat(64);
  private static final String D2 = "sha256:" + "b".repeat(64);
  private static final String EMPTY = "{\"mediaType\":\"application/vnd.oci.empty.v1+json\",\"digest\":"
      + "\"sha256:44136fa355b3678a1146ad16f7e8649e94fb4fc21fe77e8310c060f61caaff8a\",\"size\":2}";
  private final ArtifactClassifier classifier = new ArtifactClassifier();

  static Manifest manifest(final String artifactType, final String config, final String layers,
      final String annotations) {
    final String json = "{\"schemaVersion\":2,\"mediaType\":\"application/vnd.oci.image.manifest.v1+json\""
        + (artifactType != null ? ",\"artifactType\":\"" + artifactType + "\"" : "")
        + ",\"config\":" + config + ",\"layers\":[" + layers + "]"
        + (annotations != null ? ",\"annotations\":" + annotations : "") + "}";
    final byte[] b = json.getBytes(StandardCharsets.UTF_8);
    return Manifest.parse(b, null, Digest.sha256(b));
  }

  static String config(final String mediaType, final int size) {
    return "{\"mediaType\":\"" + mediaType + "\",\"digest\":\"" + D1 + "\",\"size\":" + size + "}";
  }

  static String layer(final String mediaType, final String annotations) {
    return "{\"mediaType\":\"" + mediaType + "\",\"digest\":\"" + D2 + "\",\"size\":10"
        + (annotations != null ? ",\"annotations\":" + annotations : "") + "}";
  }

  @ParameterizedTest(name = "AT {0} -> {1}/{2}")
  @CsvSource({
      "application/vnd.dev.cosign.artifact.sig.v1+json, SIGNATURE, cosign-signature",
      "application/vnd.dev.cosign.artifact.sbom.v1+json, SBOM, cosign-sbom",
      "application/vnd.in-toto+json, ATTESTATION, in-toto-attestation",
      "application/spdx+json, SBOM, spdx-json",
      "text/spdx+json, SBOM, spdx-json",
      "application/vnd.spdx+json, SBOM, spdx-json",
      "application/vnd.cyclonedx+json, SBOM, cyclonedx-json",
      "application/vnd.cyclonedx+xml, SBOM, cyclonedx-xml",
      "application/vnd.syft+json, SBOM, syft-json",
      "application/sarif+json, VULNERABILITY_REPORT, sarif",
      "application/vnd.aquasecurity.trivy.report.sarif.v1, VULNERABILITY_REPORT, trivy-sarif",
      "application/vnd.cncf.model.manifest.v1+json, AI_MODEL, modelpack",
      "application/vnd.cncf.notary.signature, SIGNATURE, notation-signature",
      "application/vnd.microsoft.artifact.lifecycle, UNKNOWN, lifecycle-marker",
      "example/sbom, UNKNOWN, sbom-candidate",
      "application/vnd.example.thing, UNKNOWN, unrecognised-artifact",
      // Media types are case-insensitive and may carry parameters.
      "'Application/SPDX+JSON; charset=utf-8', SBOM, spdx-json"
  })
  void classifiesByArtifactType_withEmptyConfig(final String at, final ArtifactClass cls, final String kind) {
    final Classification c = classifier.classify(manifest(at, EMPTY, layer("application/octet-stream", null), null));
    assertThat(c.artifactClass()).isEqualTo(cls);
    assertThat(c.kind()).isEqualTo(kind);
    assertThat(c.evidence().get(0).field()).isEqualTo("artifactType");
  }

  @ParameterizedTest(name = "CFG {0} -> {1}/{2}")
  @CsvSource({
      "application/vnd.cncf.helm.config.v1+json, HELM_CHART, helm-chart",
      "application/vnd.cncf.helm.chart.config.v1+json, HELM_CHART, helm-chart",
      "application/vnd.docker.ai.model.config.v0.2+json, AI_MODEL, docker-model-runner",
      "application/vnd.cncf.openpolicyagent.config.v1+json, CONFIG_BUNDLE, opa",
      "application/vnd.wasm.config.v0+json, CONFIG_BUNDLE, wasm",
      "application/vnd.wasm.config.v1+json, CONFIG_BUNDLE, wasm",
      "application/vnd.module.wasm.config.v1+json, CONFIG_BUNDLE, wasm",
      "application/vnd.sylabs.sif.config.v1+json, SIF_IMAGE, sif",
      "application/vnd.sylabs.sif.config.v1, SIF_IMAGE, sif",
      "text/spdx, SBOM, spdx-tag-value"
  })
  void classifiesByConfigMediaType(final String cfg, final ArtifactClass cls, final String kind) {
    final Classification c = classifier.classify(manifest(null, config(cfg, 100), layer("application/tar", null),
        null));
    assertThat(c.artifactClass()).isEqualTo(cls);
    assertThat(c.kind()).isEqualTo(kind);
    assertThat(c.evidence().get(0)).extracting(Evidence::field, Evidence::value).containsExactly("config.mediaType",
        cfg);
  }

  @ParameterizedTest(name = "layer {0} -> {1}/{2}")
  @CsvSource({
      "application/vnd.dev.cosign.simplesigning.v1+json, SIGNATURE, cosign-signature",
      "application/vnd.dsse.envelope.v1+json, ATTESTATION, cosign-attestation",
      "application/vnd.docker.ai.gguf.v3, AI_MODEL, docker-model-runner",
      "application/vnd.cncf.model.weight.v1.raw, AI_MODEL, modelpack",
      "application/vnd.sylabs.sif.layer.v1.sif, SIF_IMAGE, sif",
      "appliciation/vnd.sylabs.sif.layer.tar+gzip, SIF_IMAGE, sif",
      "application/wasm, CONFIG_BUNDLE, wasm",
      "application/vnd.cncf.openpolicyagent.policy.layer.v1+rego, CONFIG_BUNDLE, opa",
      "text/spdx, SBOM, spdx-tag-value",
      "application/vnd.cyclonedx, SBOM, cyclonedx",
      "application/vnd.syft+json, SBOM, syft-json",
      "application/sarif+json, VULNERABILITY_REPORT, sarif"
  })
  void genericConfig_isDecidedByLayers(final String layerType, final ArtifactClass cls, final String kind) {
    final Classification c = classifier.classify(manifest(null, config("application/vnd.oci.image.config.v1+json",
        233), layer(layerType, null), null));
    assertThat(c.artifactClass()).isEqualTo(cls);
    assertThat(c.kind()).isEqualTo(kind);
    assertThat(c.evidence().get(0).field()).isEqualTo("layers[0].mediaType");
  }

  @Test
  void imageConfigWithImageLayers_isContainerImage() {
    final Classification c = classifier.classify(manifest(null, config("application/vnd.oci.image.config.v1+json",
        581), layer("application/vnd.oci.image.layer.v1.tar+gzip", null), null));
    assertThat(c.artifactClass()).isEqualTo(ArtifactClass.CONTAINER_IMAGE);
  }

  @Test
  void imageConfigWithImageAndForeignLayer_isNotAContainerImage() {
    final Classification c = classifier.classify(manifest(null, config("application/vnd.oci.image.config.v1+json",
        581), layer("application/vnd.oci.image.layer.v1.tar+gzip", null) + "," + layer("application/x-foo", null),
        null));
    assertThat(c.artifactClass()).isEqualTo(ArtifactClass.UNKNOWN);
  }

  @Test
  void inTotoLayer_withVulnPredicate_isVulnerabilityReport() {
    final Classification c = classifier.classify(manifest(null, config("application/vnd.oci.image.config.v1+json",
        100), layer("application/vnd.in-toto+json",
        "{\"in-toto.io/predicate-type\":\"https://cosign.sigstore.dev/attestation/vuln/v1\"}"), null));
    assertThat(c.artifactClass()).isEqualTo(ArtifactClass.VULNERABILITY_REPORT);
    assertThat(c.predicateType()).isEqualTo("https://cosign.sigstore.dev/attestation/vuln/v1");
  }

  @Test
  void sigstoreBundle_isSignatureOrAttestationByAnnotations() {
    final String at = "application/vnd.dev.sigstore.bundle.v0.3+json";
    assertThat(classifier.classify(manifest(at, EMPTY, layer(at, null),
        "{\"dev.sigstore.bundle.content\":\"message-signature\"}")).artifactClass())
        .isEqualTo(ArtifactClass.SIGNATURE);
    final Classification att = classifier.classify(manifest(at, EMPTY, layer(at, null),
        "{\"dev.sigstore.bundle.content\":\"dsse-envelope\",\"dev.sigstore.bundle.predicateType\":"
            + "\"https://slsa.dev/provenance/v1\"}"));
    assertThat(att.artifactClass()).isEqualTo(ArtifactClass.ATTESTATION);
    assertThat(att.predicateType()).isEqualTo("https://slsa.dev/provenance/v1");
    assertThat(classifier.classify(manifest("application/vnd.dev.sigstore.bundle+json;version=0.3", EMPTY,
        layer(at, null), "{\"dev.sigstore.bundle.predicateType\":\"https://sigstore.dev/cosign/sign/v1\"}"))
        .artifactClass()).isEqualTo(ArtifactClass.SIGNATURE);
  }

  @Test
  void cosignVulnData_isVulnerabilityReport_byDescriptionAnnotation() {
    final Classification c = classifier.classify(manifest(null, config("application/json", 10),
        layer("application/json", null), "{\"org.opencontainers.artifact.description\":\"Cosign Vulnerability Data\"}"));
    assertThat(c.kind()).isEqualTo("cosign-vuln");
    assertThat(c.evidence()).extracting(Evidence::field)
        .contains("annotations[org.opencontainers.artifact.description]");
  }

  @Test
  void cosignTag_decidesOnlyWhenContentIsGeneric() {
    final Manifest generic = manifest(null, config("application/vnd.oci.image.config.v1+json", 2),
        layer("application/vnd.oci.image.layer.v1.tar+gzip", null), null);
    final Classification att = classifier.classify(generic, "sha256-" + "c".repeat(64) + ".att", Map.of());
    assertThat(att.artifactClass()).isEqualTo(ArtifactClass.ATTESTATION);
    assertThat(att.evidence()).extracting(Evidence::field).contains("tag");
    assertThat(classifier.classify(generic, "latest", Map.of()).artifactClass()).isEqualTo(ArtifactClass.UNKNOWN);
  }

  @Test
  void indexAtReferrersTag_isReferrersList_notImage() {
    final byte[] b = ("{\"schemaVersion\":2,\"mediaType\":\"application/vnd.oci.image.index.v1+json\",\"manifests\":"
        + "[{\"mediaType\":\"application/vnd.oci.image.manifest.v1+json\",\"digest\":\"" + D1 + "\",\"size\":5,"
        + "\"artifactType\":\"application/vnd.cncf.notary.signature\"}]}").getBytes(StandardCharsets.UTF_8);
    final Manifest idx = Manifest.parse(b, null, Digest.sha256(b));
    final Classification c = classifier.classify(idx, "sha256-" + "d".repeat(64), Map.of());
    assertThat(c.kind()).isEqualTo("referrers-index");
    assertThat(c.children().get(0).classification().artifactClass()).isEqualTo(ArtifactClass.SIGNATURE);
  }

  @Test
  void indexWithArtifactType_isArtifactIndex() {
    final byte[] b = ("{\"schemaVersion\":2,\"mediaType\":\"application/vnd.oci.image.index.v1+json\","
        + "\"artifactType\":\"application/vnd.cncf.model.manifest.v1+json\",\"manifests\":[]}")
        .getBytes(StandardCharsets.UTF_8);
    final Classification c = classifier.classify(Manifest.parse(b, null, Digest.sha256(b)));
    assertThat(c.artifactClass()).isEqualTo(ArtifactClass.AI_MODEL);
    assertThat(c.kind()).isEqualTo("modelpack-index");
  }

  @Test
  void dockerSchema1_isUnknown() {
    final byte[] b = "{\"schemaVersion\":1,\"mediaType\":\"application/vnd.docker.distribution.manifest.v1+prettyjws\"}"
        .getBytes(StandardCharsets.UTF_8);
    assertThat(classifier.classify(Manifest.parse(b, null, Digest.sha256(b))).kind()).isEqualTo("docker-schema1");
  }

  @Test
  void contentTypeHeader_standsInForAMissingMediaTypeField() {
    final byte[] b = ("{\"schemaVersion\":2,\"manifests\":[{\"mediaType\":"
        + "\"application/vnd.docker.distribution.manifest.v2+json\",\"digest\":\"" + D1 + "\",\"size\":3,"
        + "\"platform\":{\"os\":\"linux\",\"architecture\":\"arm64\",\"variant\":\"v8\"}}]}")
        .getBytes(StandardCharsets.UTF_8);
    final Classification c = classifier.classify(Manifest.parse(b,
        "application/vnd.docker.distribution.manifest.list.v2+json", Digest.sha256(b)));
    assertThat(c.artifactClass()).isEqualTo(ArtifactClass.IMAGE_INDEX);
    assertThat(c.platforms()).extracting(Object::toString).containsExactly("linux/arm64/v8");
    assertThat(c.children().get(0).classification().kind()).isEqualTo("docker-image");
  }

  @Test
  void referrerDescriptor_classifiesFromArtifactType_orAsksForTheManifest() {
    final Descriptor sig = new Descriptor("application/vnd.oci.image.manifest.v1+json", Digest.parse(D1), 10,
        "application/vnd.cncf.notary.signature", Map.of(), null);
    assertThat(classifier.classifyDescriptor(sig).kind()).isEqualTo("notation-signature");
    final Descriptor generic = new Descriptor("application/vnd.oci.image.manifest.v1+json", Digest.parse(D1), 10,
        "application/vnd.oci.image.config.v1+json", Map.of(), null);
    assertThat(classifier.classifyDescriptor(generic).kind()).isEqualTo("needs-manifest");
  }

  @Test
  void subject_isRecorded() {
    final String json = "{\"schemaVersion\":2,\"mediaType\":\"application/vnd.oci.image.manifest.v1+json\","
        + "\"artifactType\":\"application/spdx+json\",\"config\":" + EMPTY + ",\"layers\":[],\"subject\":{"
        + "\"mediaType\":\"application/vnd.oci.image.manifest.v1+json\",\"digest\":\"" + D2 + "\",\"size\":1}}";
    final byte[] b = json.getBytes(StandardCharsets.UTF_8);
    assertThat(classifier.classify(Manifest.parse(b, null, Digest.sha256(b))).subject()).isEqualTo(Digest.parse(D2));
  }
}
