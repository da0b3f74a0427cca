package dev.sigstream.oci;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.StringLength;

/** Reference and digest parsing: any string either parses or fails with the parser's own one-line error, fast. */
class ReferenceParsingPropertiesTest {

  private static final String DIGEST = "sha256:" + "a".repeat(64);

  @Property(tries = 1000)
  void anyString_parsesOrThrowsIllegalArgument(@ForAll @StringLength(max = 3000) final String s) {
    assertParsesOrOwnError(s);
  }

  @Property(tries = 1000)
  void referenceShapedStrings_parseOrThrowIllegalArgument(@ForAll("referenceLike") final String s) {
    assertParsesOrOwnError(s);
  }

  @Property(tries = 1000)
  void anyString_digestParsesOrThrowsIllegalArgument(@ForAll("referenceLike") final String s) {
    try {
      Digest.parse(s);
    } catch (IllegalArgumentException e) {
      assertSafe(e.getMessage());
    }
  }

  @Provide
  Arbitrary<String> referenceLike() {
    return Arbitraries.strings().withChars("aZ09.-_/:@[]\r\n\u001b\u202e").ofMaxLength(6000);
  }

  @Example
  void longHost_isAUsageErrorNotAStackOverflow() {
    final String host = "a.".repeat(2000) + "com:1";
    assertThatThrownBy(() -> Reference.parse(host + "/repo@" + DIGEST)).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("characters");
    final String justUnderCap = "a.".repeat(120) + "com";
    assertThat(Reference.parse(justUnderCap + "/repo@" + DIGEST).registry()).isEqualTo(justUnderCap);
  }

  @Example
  void grammarLimits() {
    assertThatThrownBy(() -> Reference.parse("r.io:99999/repo:t")).hasMessageContaining("port must be 1..65535");
    assertThatThrownBy(() -> Reference.parse("r.io:0/repo:t")).hasMessageContaining("port must be 1..65535");
    assertThat(Reference.parse("r.io:65535/repo:t").registry()).isEqualTo("r.io:65535");
    assertThatThrownBy(() -> Reference.parse("r.io/" + "a".repeat(256) + ":t")).hasMessageContaining("1..255");
    assertThat(Reference.parse("r.io/" + "a".repeat(255) + ":t").repository()).hasSize(255);
    assertThatThrownBy(() -> Reference.parse("r.io/repo:" + "t".repeat(129))).hasMessageContaining("invalid tag");
    assertThat(Reference.parse("r.io/repo:" + "t".repeat(128)).tag()).hasSize(128);
    assertThatThrownBy(() -> Reference.parse("r.io/repo:-t")).hasMessageContaining("invalid tag");
    assertThatThrownBy(() -> Reference.parse("x" + "a".repeat(63) + ".io/repo:t")).hasMessageContaining("63");
    assertThat(Reference.parse("a".repeat(63) + ".io/repo:t").registry()).startsWith("a");
    assertThatThrownBy(() -> Reference.parse("-a.io/repo:t")).hasMessageContaining("'-'");
    assertThat(Reference.parse("[::1]:5000/repo:t").registry()).isEqualTo("[::1]:5000");
    assertThat(Reference.parse("localhost:5000/a/b__c.d-e--f:t").repository()).isEqualTo("a/b__c.d-e--f");
    assertThatThrownBy(() -> Reference.parse("r.io/a//b:t")).hasMessageContaining("component");
    assertThatThrownBy(() -> Reference.parse("r.io/a___b:t")).hasMessageContaining("component");
    assertThatThrownBy(() -> Reference.parse("r.io/" + "a".repeat(2000) + ":t"))
        .hasMessageContaining("at most " + Reference.MAX_LENGTH);
  }

  @Example
  void controlCharacters_areEscapedInTheMessage() {
    assertThatThrownBy(() -> Reference.parse("r.io/re\r\npo\u001b[31m:t"))
        .satisfies(e -> assertSafe(e.getMessage()))
        .hasMessageContaining("\\u000d\\u000a");
  }

  @Example
  void parsingTimeGrowsLinearly() {
    // Sizes below the total cap, so the scanners really run: host labels, repository components, tags.
    // N and 10N both within the grammar's caps (host 253, repository 255), so the scanners do all the work.
    final double hosts = Linearity.ratio(s -> parseQuietly(s), n -> "a.".repeat(n / 2) + "io/r:t", 24);
    final double repos = Linearity.ratio(s -> parseQuietly(s), n -> "r.io/" + "a-".repeat(n / 2) + "b:t", 24);
    final double bad = Linearity.ratio(s -> parseQuietly(s), n -> "r.io/" + "a_".repeat(n / 2) + "_:t", 24);
    // Beyond the caps (the host that overflowed the stack): refused on its length, flat.
    final double over = Linearity.ratio(s -> parseQuietly(s), n -> "a.".repeat(n / 2) + "com:1/r:t", 400);
    assertThat(hosts).isLessThan(40);
    assertThat(repos).isLessThan(40);
    assertThat(bad).isLessThan(40);
    assertThat(over).isLessThan(40);
  }

  private static Object parseQuietly(final String s) {
    try {
      return Reference.parse(s);
    } catch (IllegalArgumentException e) {
      return e;
    }
  }

  private static void assertParsesOrOwnError(final String s) {
    try {
      final Reference r = Reference.parse(s);
      assertThat(Reference.parse(r.toString())).isEqualTo(r);
    } catch (IllegalArgumentException e) {
      assertSafe(e.getMessage());
    }
  }

  static void assertSafe(final String message) {
    assertThat(message).isNotNull().hasSizeLessThan(600);
    assertThat(message.chars().noneMatch(c -> c < 0x20 || c == 0x7f || (c >= 0x80 && c <= 0x9f)
        || (c >= 0x202a && c <= 0x202e))).as("no control characters in: %s", message).isTrue();
  }
}
