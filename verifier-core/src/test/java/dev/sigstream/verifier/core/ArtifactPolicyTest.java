package dev.sigstream.verifier.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sigstream.oci.classify.ArtifactClass;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ArtifactPolicyTest {

  @TempDir
  Path dir;

  @Test
  void readsClassRules_graceWindows_denyLists_andChildVerdicts() throws IOException {
    final ArtifactPolicy p = ArtifactPolicy.load(write("""
        classes:
          container_image: {signature: true, signedSboms: true, graceWindow: 5m}
          HELM_CHART: {graceWindow: 10m}
          config_bundle: {signature: false}
        sbom:
          deniedLicenses: [GPL-3.0-only]
          deniedPackages:
            - {name: log4j-core, version: 2.14.1}
            - {name: event-stream}
        index:
          verifyChildren: true
        """));

    assertThat(p.classes().rule(ArtifactClass.CONTAINER_IMAGE)).isEqualTo(new ClassPolicy.Rule(true, true));
    assertThat(p.classes().rule(ArtifactClass.CONFIG_BUNDLE).signature()).isFalse();
    assertThat(p.classes().rule(ArtifactClass.AI_MODEL)).isEqualTo(ClassPolicy.Rule.DEFAULT);
    assertThat(p.graceWindows()).containsEntry(ArtifactClass.CONTAINER_IMAGE, Duration.ofMinutes(5))
        .containsEntry(ArtifactClass.HELM_CHART, Duration.ofMinutes(10)).hasSize(2);
    assertThat(p.sbom().deniedLicenses()).containsExactly("gpl-3.0-only");
    assertThat(p.sbom().deniedPackages()).extracting(r -> r.name() + ":" + r.version())
        .containsExactly("log4j-core:2.14.1", "event-stream:null");
    assertThat(p.verifyChildren()).isTrue();
  }

  @Test
  void emptyFile_isTheDefault() throws IOException {
    assertThat(ArtifactPolicy.load(write(""))).isEqualTo(ArtifactPolicy.DEFAULT);
  }

  @Test
  void reportsEveryProblemAtOnce() throws IOException {
    final Path f = write("""
        classes:
          container_imag: {signature: true}
          helm_chart: {signature: yes-please, graceWindow: soon, colour: blue}
        sbom:
          deniedLicenses: GPL-3.0-only
          deniedPackages: [{version: 1.0}]
        index: {verifyChildren: 1}
        extra: true
        """);

    assertThatThrownBy(() -> ArtifactPolicy.load(f)).isInstanceOf(SettingsException.class)
        .hasMessageContaining("extra: unknown key")
        .hasMessageContaining("classes.container_imag: unknown artifact class")
        .hasMessageContaining("classes.helm_chart.signature: must be true or false")
        .hasMessageContaining("classes.helm_chart.graceWindow: invalid duration 'soon'")
        .hasMessageContaining("classes.helm_chart.colour: unknown key")
        .hasMessageContaining("sbom.deniedLicenses: must be a list")
        .hasMessageContaining("sbom.deniedPackages: every entry needs a name")
        .hasMessageContaining("index.verifyChildren: must be true or false");
  }

  @Test
  void oversizedOrMalformedFiles_areRefusedWithTheReason() throws IOException {
    final Path big = write("# " + "x".repeat(ArtifactPolicy.MAX_BYTES));
    assertThatThrownBy(() -> ArtifactPolicy.load(big)).hasMessageContaining("larger than 256 KiB");
    final Path bad = write("classes: [unclosed");
    assertThatThrownBy(() -> ArtifactPolicy.load(bad)).hasMessageContaining("not valid YAML");
    assertThatThrownBy(() -> ArtifactPolicy.load(dir.resolve("missing.yaml"))).hasMessageContaining("cannot read");
  }

  private Path write(final String text) throws IOException {
    final Path f = Files.createTempFile(dir, "policy", ".yaml");
    Files.writeString(f, text);
    return f;
  }
}
