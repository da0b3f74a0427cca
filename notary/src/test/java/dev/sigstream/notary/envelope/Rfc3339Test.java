package dev.sigstream.notary.envelope;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class Rfc3339Test {

  @ParameterizedTest
  @CsvSource({
      "2026-01-01T00:00:00Z,2026-01-01T00:00:00Z",
      "2023-06-27T13:30:33+08:00,2023-06-27T05:30:33Z",
      "2023-03-14T16:10:02+08:00,2023-03-14T08:10:02Z",
      "2020-11-09T07:00:00-01:30,2020-11-09T08:30:00Z",
      "2024-02-29T23:59:59.123456789Z,2024-02-29T23:59:59.123456789Z",
      "2024-02-29T23:59:59.5Z,2024-02-29T23:59:59.500Z"})
  void valid(final String text, final String instant) {
    assertThat(JwsEnvelope.rfc3339(text)).isEqualTo(Instant.parse(instant));
  }

  @ParameterizedTest
  @ValueSource(strings = {"2026-01-01t00:00:00Z", "2026-01-01T00:00:00z", "2026-01-01T00:00Z", "2026-01-01 00:00:00Z",
      "2026-13-01T00:00:00Z", "2026-02-30T00:00:00Z", "2026-01-01T24:00:00Z", "2026-01-01T00:00:60Z",
      "2026-01-01T00:00:00", "2026-01-01T00:00:00+0800", "2026-01-01T00:00:00.Z", "2026-01-01T00:00:00.1234567890Z",
      "2026-01-01T00:00:00+24:00", "+2026-01-01T00:00:00Z", "2026-01-01T00:00:00Z ", "２026-01-01T00:00:00Z"})
  void invalid(final String text) {
    assertThat(JwsEnvelope.rfc3339(text)).isNull();
  }
}
