package dev.sigstream.testing.registry;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class RegistryHarnessTest {

  @Test
  void missingBinary_failsWithTheInstallCommand_neverSkips() {
    assertThatThrownBy(() -> DistributionProcess.start(RegistryAuth.NONE, "docker-registry-not-installed-here"))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("apt-get install -y docker-registry apache2-utils")
        .hasMessageContaining("docker-registry-not-installed-here");
  }
}
