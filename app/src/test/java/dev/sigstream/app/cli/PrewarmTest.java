package dev.sigstream.app.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

class PrewarmTest {

  @Test
  void warmsUpOnlyForAVerifyThatRuns() {
    assertThat(Prewarm.verifies(new String[] {"verify", "reg.example/a@sha256:" + "0".repeat(64)})).isTrue();
    assertThat(Prewarm.verifies(new String[] {"--debug", "verify", "--from-file", "refs.txt"})).isTrue();
    assertThat(Prewarm.verifies(new String[] {"verify", "--help"})).isFalse();
    assertThat(Prewarm.verifies(new String[] {"verify", "-h"})).isFalse();
    assertThat(Prewarm.verifies(new String[] {"--version"})).isFalse();
    assertThat(Prewarm.verifies(new String[] {"sign", "reg.example/a:v1"})).isFalse();
    assertThat(Prewarm.verifies(new String[] {"run"})).isFalse();
    assertThat(Prewarm.verifies(new String[] {})).isFalse();
  }

  @Test
  void theWarmUpRunsToTheEnd() {
    // Its own certificate must parse and verify, else the warm-up stops before the provider and the EC code.
    assertThat(Prewarm.warm()).isTrue();
  }

  @Test
  void theSwitchTurnsTheOverlapOff() {
    assertThat(Prewarm.enabled(Map.of())).isTrue();
    assertThat(Prewarm.enabled(Map.of("SIGSTREAM_PREWARM", "on"))).isTrue();
    assertThat(Prewarm.enabled(Map.of("SIGSTREAM_PREWARM", "off"))).isFalse();
    assertThat(Prewarm.enabled(Map.of("SIGSTREAM_PREWARM", "OFF"))).isFalse();
  }
}
