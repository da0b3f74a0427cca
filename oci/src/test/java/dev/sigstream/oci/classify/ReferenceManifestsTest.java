package dev.sigstream.oci.classify;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sigstream.oci.Digest;
import dev.sigstream.oci.Manifest;
import dev.sigstream.oci.Platform;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.Test;

/** All 17 manifests of {@code shared/reference/classify/manifests/}, read in place, classify as the README states. */
class ReferenceManifestsTest {

  private final ArtifactClassifier classifier = new ArtifactClassifier();

  static Manifest load(final String name) throws IOException {
    final Path p = dev.sigstream.testing.Reference.resolve("classify/manifests/" + name);
    final byte[] b = Files.readAllBytes(p);
    return Manifest.parse(b, null, Digest.sha256(b));
  }

  static Stream<Arguments> expectations() {
    return Stream.of(
        Arguments.of("oci-index-multiplatform-with-buildx-attestations.json", ArtifactClass.IMAGE_INDEX, "multi-platform"),
        Arguments.of("oci-image-manifest-hello-world-amd64.json", ArtifactClass.CONTAINER_IMAGE, "oci-image"),
        Arguments.of("docker-buildx-attestation-manifest.json", ArtifactClass.ATTESTATION, "buildkit-attestation"),
        Arguments.of("helm-repo-mixed-index.json", ArtifactClass.IMAGE_INDEX, "mixed-index"),
        Arguments.of("helm-chart-manifest-with-prov.json", ArtifactClass.HELM_CHART, "helm-chart"),
        Arguments.of("docker-v2-schema2-manifest.json", ArtifactClass.CONTAINER_IMAGE, "docker-image"),
        Arguments.of("docker-v2-manifest-list.json", ArtifactClass.IMAGE_INDEX, "multi-platform"),
        Arguments.of("modelpack-model-manifest.json", ArtifactClass.AI_MODEL, "modelpack"),
        Arguments.of("kitops-modelkit-manifest.json", ArtifactClass.AI_MODEL, "kitops"),
        Arguments.of("ollama-model-manifest-gemma-2b.json", ArtifactClass.AI_MODEL, "ollama"),
        Arguments.of("flux-oci-artifact-manifest.json", ArtifactClass.CONFIG_BUNDLE, "flux"),
        // Strict reading: 2-byte {} image config + one tar+gzip layer is a generic artifact, not an image.
        Arguments.of("opa-oci-bundle-manifest.json", ArtifactClass.UNKNOWN, "generic-artifact"),
        Arguments.of("notation-signature-manifest.json", ArtifactClass.SIGNATURE, "notation-signature"),
        Arguments.of("notation-signature-manifest-oci1.0-fallback.json", ArtifactClass.SIGNATURE, "notation-signature"),
        Arguments.of("cosign-signature-manifest-sig-tag.json", ArtifactClass.SIGNATURE, "cosign-signature"),
        // Strict reading: placeholder artifactType sbom/file is an unknown referrer, flagged for blob sniffing.
        Arguments.of("oras-e2e-sbom-referrer-manifest.json", ArtifactClass.UNKNOWN, "sbom-candidate"),
        Arguments.of("obom-spdx-sbom-artifact-manifest.json", ArtifactClass.SBOM, "spdx-tag-value"));
  }

  @ParameterizedTest(name = "{0} -> {1}/{2}")
  @MethodSource("expectations")
  void classifiesAsTheReferenceIndexStates(final String file, final ArtifactClass cls, final String kind)
      throws IOException {
    final Classification c = classifier.classify(load(file));
    assertThat(c.artifactClass()).as(c.evidence().toString()).isEqualTo(cls);
    assertThat(c.kind()).isEqualTo(kind);
    assertThat(c.evidence()).isNotEmpty();
  }

  @Test
  void coversEveryReferenceManifest() throws IOException {
    try (Stream<Path> files = Files.list(dev.sigstream.testing.Reference.resolve("classify/manifests"))) {
      assertThat(files.map(p -> p.getFileName().toString()).sorted().toList())
          .containsExactlyInAnyOrderElementsOf(expectations().map(a -> (String) a.get()[0]).toList());
    }
  }

  @Test
  void multiPlatformIndex_hasSixPlatformsAndSixBuildkitAttestations() throws IOException {
    final Classification c = classifier.classify(load("oci-index-multiplatform-with-buildx-attestations.json"));
    assertThat(c.platforms()).hasSize(6).doesNotContain(new Platform("unknown", "unknown", null));
    assertThat(c.children()).filteredOn(k -> k.classification().kind().equals("buildkit-attestation")).hasSize(6)
        .allSatisfy(k -> assertThat(k.classification().subject()).isNotNull());
  }

  @Test
  void mixedIndex_withResolvedChildren_findsImageAttestationAndHelmChart() throws IOException {
    // The three children are byte-exact fixtures, so their sha256 is the digest the index names.
    final Manifest hello = load("oci-image-manifest-hello-world-amd64.json");
    final Manifest att = load("docker-buildx-attestation-manifest.json");
    final Manifest chart = load("helm-chart-manifest-with-prov.json");
    final Map<Digest, Manifest> kids = Map.of(hello.descriptor().digest(), hello, att.descriptor().digest(), att,
        chart.descriptor().digest(), chart);
    final Classification c = classifier.classify(load("helm-repo-mixed-index.json"), "0.1.0", kids);
    assertThat(c.kind()).isEqualTo("mixed-index");
    assertThat(c.children()).extracting(k -> k.classification().artifactClass())
        .containsExactly(ArtifactClass.CONTAINER_IMAGE, ArtifactClass.ATTESTATION, ArtifactClass.HELM_CHART);
    assertThat(c.children().get(0).classification().platform()).isEqualTo(new Platform("linux", "amd64", null));
  }

  @Test
  void mixedIndex_withoutChildren_marksTheChartEntryUnresolved() throws IOException {
    final Classification c = classifier.classify(load("helm-repo-mixed-index.json"));
    assertThat(c.children()).extracting(k -> k.classification().kind())
        .containsExactly("oci-image", "buildkit-attestation", "unresolved");
  }

  @Test
  void buildkitAttestation_recordsPredicateType() throws IOException {
    final Classification c = classifier.classify(load("docker-buildx-attestation-manifest.json"));
    assertThat(c.predicateType()).isEqualTo("https://slsa.dev/provenance/v0.2");
  }

  @Test
  void notationSignature_recordsSubjectAndDecidingField() throws IOException {
    final Classification oci11 = classifier.classify(load("notation-signature-manifest.json"));
    assertThat(oci11.subject()).isNotNull();
    assertThat(oci11.evidence().get(0).field()).isEqualTo("artifactType");
    final Classification oci10 = classifier.classify(load("notation-signature-manifest-oci1.0-fallback.json"));
    assertThat(oci10.evidence().get(0).field()).isEqualTo("config.mediaType");
  }

  @Test
  void ollama_isDecidedByLayers_notByItsDockerImageConfig() throws IOException {
    final Classification c = classifier.classify(load("ollama-model-manifest-gemma-2b.json"));
    assertThat(c.evidence()).extracting(Evidence::field).allMatch(f -> f.startsWith("layers["));
    assertThat(List.of(c.evidence().get(0).value())).allMatch(v -> v.startsWith("application/vnd.ollama.image."));
  }
}
