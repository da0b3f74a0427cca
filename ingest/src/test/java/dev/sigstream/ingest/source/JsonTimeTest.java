package dev.sigstream.ingest.source;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.DateTimeException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * The fast RFC 3339 path of {@link Json#time} against the JDK's {@link OffsetDateTime#parse} as an oracle: on
 * well-formed timestamps it gives the same instant; on anything else it either gives the JDK's answer or declines
 * (null), so the JDK parser decides. It never accepts what the JDK rejects.
 */
class JsonTimeTest {

  @Property(tries = 3000)
  void wellFormedTimestampsMatchTheJdk(@ForAll("timestamps") final String s) {
    final Instant fast = Json.fastTime(s);
    assertThat(fast).as(s).isNotNull();
    assertThat(fast).as(s).isEqualTo(OffsetDateTime.parse(s).toInstant());
  }

  @Property(tries = 5000)
  void mutatedTimestampsNeverDisagreeWithTheJdk(@ForAll("mutated") final String s) {
    final Instant fast = Json.fastTime(s);
    Instant jdk;
    try {
      jdk = OffsetDateTime.parse(s).toInstant();
    } catch (DateTimeException e) {
      jdk = null;
    }
    if (fast != null) {
      assertThat(jdk).as(s).isEqualTo(fast);
    }
  }

  @Example
  void realDistributionTimestamp() {
    assertThat(Json.fastTime("2026-11-25T02:31:30.579829317Z")).isEqualTo(Instant.parse("2026-11-25T02:31:30.579829317Z"));
    assertThat(Json.fastTime("2016-03-09T14:44:26.402973972-08:00"))
        .isEqualTo(Instant.parse("2016-03-09T22:44:26.402973972Z"));
  }

  @Example
  void declinesWhatItDoesNotHandleAndTheFullParserStillDecides() {
    assertThat(Json.fastTime("2025-02-29T00:00:00Z")).isNull();
    assertThat(Json.fastTime("2024-01-01T24:00:00Z")).isNull();
    assertThat(Json.fastTime("2024-01-01T10:00Z")).isNull();
    assertThat(Json.fastTime("2024-01-01t10:00:00z")).isNull();
    assertThat(Json.fastTime("2024-01-01T10:00:00.Z")).isNull();
    assertThat(Json.fastTime("2024-01-01T10:00:00.1234567891Z")).isNull();
    assertThat(Json.fastTime("2024-01-01T10:00:00+19:00")).isNull();
    assertThat(Json.time("2024-01-01t10:00:00z", "f")).isEqualTo(Instant.parse("2024-01-01T10:00:00Z"));
    assertThatThrownBy(() -> Json.time("2025-02-29T00:00:00Z", "events[0].timestamp"))
        .isInstanceOf(BadInput.class).hasMessageContaining("events[0].timestamp is not an RFC 3339 timestamp");
  }

  @Provide
  Arbitrary<String> timestamps() {
    final Arbitrary<Instant> instants = Arbitraries.longs().between(-62_000_000_000L, 253_000_000_000L)
        .flatMap(sec -> Arbitraries.integers().between(0, 999_999_999).map(n -> Instant.ofEpochSecond(sec, n)));
    final Arbitrary<ZoneOffset> offsets = Arbitraries.integers().between(-18 * 60, 18 * 60)
        .map(m -> ZoneOffset.ofTotalSeconds(m * 60));
    final Arbitrary<Integer> digits = Arbitraries.integers().between(0, 9);
    return Combinators.combine(instants, offsets, digits).as((i, o, d) -> {
      final OffsetDateTime t = i.atOffset(o);
      final String base = t.format(DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss"));
      final String fraction = d == 0 ? "" : "." + String.format("%09d", t.getNano()).substring(0, d);
      return base + fraction + (o.getTotalSeconds() == 0 && d % 2 == 0 ? "Z" : o.getId().equals("Z") ? "+00:00" : o.getId());
    }).filter(s -> s.length() >= 20 && s.charAt(4) == '-');
  }

  @Provide
  Arbitrary<String> mutated() {
    final Arbitrary<Character> chars = Arbitraries.of('0', '1', '2', '3', '5', '9', '-', '+', ':', '.', 'T', 't', 'Z', 'z', ' ');
    return Combinators.combine(timestamps(), Arbitraries.integers().between(0, 34), chars, Arbitraries.integers().between(0, 2))
        .as((s, at, c, op) -> {
          final int i = Math.min(at, s.length() - 1);
          return switch (op) {
            case 0 -> s.substring(0, i) + c + s.substring(i + 1);
            case 1 -> s.substring(0, i) + c + s.substring(i);
            default -> s.substring(0, i) + s.substring(i + 1);
          };
        });
  }
}
