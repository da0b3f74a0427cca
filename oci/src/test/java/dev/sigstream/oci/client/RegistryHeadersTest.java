package dev.sigstream.oci.client;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sigstream.oci.Digest;
import dev.sigstream.oci.Linearity;
import java.time.Duration;
import java.time.Instant;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/** The registry header parsers: examples, "never throws" properties, and linear growth. */
class RegistryHeadersTest {

  private static final Instant NOW = Instant.parse("2026-01-01T00:00:00Z");

  @Example
  void linkNext_examples() {
    assertThat(RegistryHeaders.linkNext("</v2/r/referrers/x?n=2>; rel=\"next\"")).contains("/v2/r/referrers/x?n=2");
    assertThat(RegistryHeaders.linkNext("<a>; rel=prev, <b>; rel=next")).contains("b");
    assertThat(RegistryHeaders.linkNext("<a>; title=\"x, rel=next\"; rel=\"prev next\"")).contains("a");
    assertThat(RegistryHeaders.linkNext("<a>; REL = \"Next\"")).contains("a");
    assertThat(RegistryHeaders.linkNext("<a>; rel=\"prev\"")).isEmpty();
    assertThat(RegistryHeaders.linkNext("<a; rel=next")).isEmpty();
    assertThat(RegistryHeaders.linkNext("garbage, <b>;rel=next")).contains("b");
    assertThat(RegistryHeaders.linkNext("<" + "a".repeat(RegistryHeaders.MAX_LINK) + ">; rel=next")).isEmpty();
  }

  @Example
  void challenge_capped() {
    assertThat(Challenge.parse("Bearer realm=\"https://a/t\",service=\"s\"")).isPresent();
    assertThat(Challenge.parse("Bearer realm=\"" + "x".repeat(RegistryHeaders.MAX_CHALLENGE) + "\"")).isEmpty();
  }

  @Example
  void otherHeaders_examples() {
    final Digest d = Digest.sha256(new byte[0]);
    assertThat(RegistryHeaders.digest(" " + d + " ")).isEqualTo(d);
    assertThat(RegistryHeaders.digest("sha256:" + "z".repeat(64))).isNull();
    assertThat(RegistryHeaders.digest(d + " ".repeat(Digest.MAX_LENGTH))).isNull();
    assertThat(RegistryHeaders.mediaType("Application/Vnd.OCI.Image.Index.v1+json; charset=utf-8"))
        .isEqualTo("application/vnd.oci.image.index.v1+json");
    assertThat(RegistryHeaders.mediaType("a/b;" + "x".repeat(RegistryHeaders.MAX_CONTENT_TYPE))).isNull();
    assertThat(RegistryHeaders.retryAfter("7", NOW)).contains(Duration.ofSeconds(7));
    assertThat(RegistryHeaders.retryAfter("Thu, 01 Jan 2026 00:01:30 GMT", NOW)).contains(Duration.ofSeconds(90));
    assertThat(RegistryHeaders.retryAfter("-3", NOW)).isEmpty();
    assertThat(RegistryHeaders.retryAfter("9".repeat(40), NOW)).isEmpty();
    assertThat(RegistryHeaders.retryAfter("1".repeat(100), NOW)).isEmpty();
    assertThat(RegistryHeaders.contentLength("12", -1)).isEqualTo(12);
    assertThat(RegistryHeaders.contentLength("1e3", -1)).isEqualTo(-1);
    assertThat(RegistryHeaders.contentLength("9".repeat(30), -1)).isEqualTo(-1);
    assertThat(RegistryHeaders.filterApplied("artifactType, other", "artifactType")).isTrue();
    assertThat(RegistryHeaders.filterApplied("artifactTypeX", "artifactType")).isFalse();
  }

  @Provide
  Arbitrary<String> headerLike() {
    return Arbitraries.oneOf(
        Arbitraries.strings().ofMaxLength(20_000),
        Arbitraries.strings().withChars("<>;,=\" \t\\relnxtBearerm:/0123456789").ofMaxLength(20_000));
  }

  @Property(tries = 500)
  void noHeaderParserEverThrows(@ForAll("headerLike") final String h) {
    RegistryHeaders.linkNext(h);
    RegistryHeaders.scanLinkNext(h);
    Challenge.parse(h);
    RegistryHeaders.contentType(h);
    RegistryHeaders.mediaType(h);
    RegistryHeaders.digest(h);
    RegistryHeaders.retryAfter(h, NOW);
    RegistryHeaders.contentLength(h, -1);
    RegistryHeaders.filterApplied(h, "artifactType");
  }

  @Example
  void linkScannerIsLinear_onTheInputsThatMadeTheRegexQuadratic() {
    // The uncapped scanner, so the sizes are real work (the capped parser refuses anything over 8 KiB at once).
    assertThat(Linearity.ratio(RegistryHeaders::scanLinkNext, n -> "<".repeat(n), 10_000)).isLessThan(40);
    assertThat(Linearity.ratio(RegistryHeaders::scanLinkNext, n -> "<a>;".repeat(n / 4), 10_000)).isLessThan(40);
    assertThat(Linearity.ratio(RegistryHeaders::scanLinkNext, n -> "<a>; rel=\"" + "x".repeat(n), 10_000))
        .isLessThan(40);
    assertThat(Linearity.ratio(RegistryHeaders::scanLinkNext, n -> "<a> " + "; x=y".repeat(n / 5), 10_000))
        .isLessThan(40);
  }

  @Example
  void challengeParserIsLinear() {
    assertThat(Linearity.ratio(Challenge::parse, n -> "Bearer " + "a=\"b\",".repeat(n / 6), 800)).isLessThan(40);
    assertThat(Linearity.ratio(Challenge::parse, n -> "Bearer " + ",".repeat(n), 800)).isLessThan(40);
    assertThat(Linearity.ratio(Challenge::parse, n -> "Bearer a=\"" + "\\\"".repeat(n / 2), 800)).isLessThan(40);
  }

  @Example
  void cappedParsersAreFlatBeyondTheirCap() {
    assertThat(Linearity.ratio(RegistryHeaders::linkNext, n -> "<".repeat(n), 100_000)).isLessThan(40);
    assertThat(Linearity.ratio(RegistryHeaders::mediaType, n -> "a/b;" + " ".repeat(n), 100_000)).isLessThan(40);
    assertThat(Linearity.ratio(RegistryHeaders::digest, n -> "sha256:" + "a".repeat(n), 100_000)).isLessThan(40);
    assertThat(Linearity.ratio(h -> RegistryHeaders.retryAfter(h, NOW), n -> "1".repeat(n), 100_000))
        .isLessThan(40);
  }
}
