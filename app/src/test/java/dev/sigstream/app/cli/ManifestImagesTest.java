package dev.sigstream.app.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** Which images a set of manifests would pull: Kubernetes workloads, Helm output, Compose files. */
class ManifestImagesTest {

  private static final String D1 = "sha256:" + "1".repeat(64);
  private static final String D2 = "sha256:" + "2".repeat(64);
  private static final int CAP = 1024 * 1024;

  @Test
  void deployment_initContainersSidecarsAndMainContainers_byDigestTagOrBoth() {
    final String yaml = """
        apiVersion: apps/v1
        kind: Deployment
        metadata: {name: app}
        spec:
          template:
            spec:
              initContainers:
                - name: migrate
                  image: registry.example.com/team/migrate@%s
                - name: proxy-sidecar
                  image: registry.example.com/team/proxy:1.2
                  restartPolicy: Always
              containers:
                - name: app
                  image: registry.example.com/team/app:1.4.2@%s
                  env:
                    - {name: IMAGE, value: not-an-image-field}
              ephemeralContainers:
                - name: debug
                  image: localhost:5000/debug:latest
        """.formatted(D1, D2);

    assertThat(ManifestImages.extract(yaml, CAP)).containsExactly(
        "registry.example.com/team/migrate@" + D1,
        "registry.example.com/team/proxy:1.2",
        "registry.example.com/team/app:1.4.2@" + D2,
        "localhost:5000/debug:latest");
  }

  @Test
  void cronJobAndListAndHelmRenderedStream_everyDocument_duplicatesOnce() {
    final String yaml = """
        ---
        # Source: chart/templates/cronjob.yaml
        apiVersion: batch/v1
        kind: CronJob
        spec:
          schedule: "0 * * * *"
          jobTemplate:
            spec:
              template:
                spec:
                  containers:
                    - name: job
                      image: "registry.example.com/team/job@%s"
        ---
        # an empty document between two others
        ---
        apiVersion: v1
        kind: List
        items:
          - kind: Pod
            spec:
              containers:
                - {name: a, image: 'registry.example.com/team/job@%s'}
                - {name: b, image: ghcr.io/org/tool:v2}
        """.formatted(D1, D1);

    assertThat(ManifestImages.extract(yaml, CAP)).containsExactly("registry.example.com/team/job@" + D1,
        "ghcr.io/org/tool:v2");
  }

  @Test
  void composeFile_servicesImages_buildOnlyServiceSkipped() {
    final String yaml = """
        services:
          web:
            image: registry.example.com/web:2.0
            ports: ["8080:8080"]
          db:
            image: postgres:16
          local:
            build: ./local
        """;

    assertThat(ManifestImages.extract(yaml, CAP)).containsExactly("registry.example.com/web:2.0",
        "docker.io/library/postgres:16");
  }

  @Test
  void namesWithoutRegistryHost_areDockerHubs_asTheRuntimePullsThem() {
    assertThat(ManifestImages.normalise("nginx:1.27")).isEqualTo("docker.io/library/nginx:1.27");
    assertThat(ManifestImages.normalise("nginx@" + D1)).isEqualTo("docker.io/library/nginx@" + D1);
    assertThat(ManifestImages.normalise("team/app:1")).isEqualTo("docker.io/team/app:1");
    assertThat(ManifestImages.normalise("localhost/app:1")).isEqualTo("localhost/app:1");
    assertThat(ManifestImages.normalise("registry:5000/app:1")).isEqualTo("registry:5000/app:1");
    assertThat(ManifestImages.normalise("quay.io/org/app@" + D1)).isEqualTo("quay.io/org/app@" + D1);
  }

  @Test
  void helmValuesStyleImageObject_isNotAReference() {
    final String yaml = "image:\n  repository: registry.example.com/app\n  tag: \"1.0\"\n";

    assertThat(ManifestImages.extract(yaml, CAP)).isEmpty();
  }

  @Test
  void aliasBomb_isNeverExpanded_andAnAliasedImageIsRefused() {
    final StringBuilder b = new StringBuilder("a: &a [x, x, x, x, x, x, x, x, x, x]\n");
    for (int i = 1; i < 12; i++) {
      b.append((char) ('a' + i)).append(": &").append((char) ('a' + i)).append(" [");
      for (int j = 0; j < 10; j++) {
        b.append(j == 0 ? "" : ", ").append('*').append((char) ('a' + i - 1));
      }
      b.append("]\n");
    }

    // 10^11 strings if expanded; read as written instead, with no image in it
    assertThat(ManifestImages.extract(b.toString(), CAP)).isEmpty();
    assertThatThrownBy(() -> ManifestImages.extract("x: &img registry.example.com/a:1\nspec:\n  image: *img\n",
        CAP)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("YAML alias (*img)");
  }

  @Test
  void deepNesting_andBrokenYaml_andEmptyImage_areErrorsNamingTheProblem() {
    final String deep = "a: ".repeat(1) + "[".repeat(200) + "]".repeat(200);

    assertThatThrownBy(() -> ManifestImages.extract(deep, CAP)).hasMessageContaining("not valid YAML");
    assertThatThrownBy(() -> ManifestImages.extract("containers: [image: x", CAP))
        .hasMessageContaining("not valid YAML");
    assertThatThrownBy(() -> ManifestImages.extract("image: \"\"", CAP)).hasMessageContaining("empty");
  }
}
