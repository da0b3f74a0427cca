package dev.sigstream.notary.envelope;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sigstream.notary.ReasonCode;
import java.util.Base64;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * The hand-written strict decoder against the JDK as an oracle: it round-trips every byte string, and for any
 * string it accepts exactly the canonical encodings (the JDK decodes them to the same bytes and re-encodes them
 * to the same text), rejecting everything else with ENVELOPE_MALFORMED rather than throwing anything else.
 */
class B64PropertiesTest {

  private static final String STD = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  private static final String URL = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

  @Property(tries = 2000)
  void roundTripsEveryByteString(@ForAll final byte[] bytes) throws EnvelopeException {
    final char[] std = (Base64.getEncoder().encodeToString(bytes) + (bytes.length == 0 ? "AA==" : "")).toCharArray();
    assertThat(B64.decodeStd(std, 0, std.length, "f")).isEqualTo(bytes.length == 0 ? new byte[] {0} : bytes);
    final char[] url = Base64.getUrlEncoder().withoutPadding().encodeToString(bytes).toCharArray();
    assertThat(B64.decodeUrl(url, 0, url.length, "f")).isEqualTo(bytes);
  }

  @Property(tries = 5000)
  void urlAcceptsExactlyCanonicalEncodings(@ForAll("urlish") final String s) {
    byte[] jdk;
    try {
      jdk = Base64.getUrlDecoder().decode(s);
      if (!Base64.getUrlEncoder().withoutPadding().encodeToString(jdk).equals(s)) {
        jdk = null; // padded or non-zero trailing bits: not canonical
      }
    } catch (final IllegalArgumentException e) {
      jdk = null;
    }
    check(s, jdk, false);
  }

  @Property(tries = 5000)
  void stdAcceptsExactlyCanonicalEncodings(@ForAll("stdish") final String s) {
    byte[] jdk;
    try {
      jdk = Base64.getDecoder().decode(s);
      if (s.isEmpty() || !Base64.getEncoder().encodeToString(jdk).equals(s)) {
        jdk = null; // unpadded, empty or non-zero trailing bits: not canonical
      }
    } catch (final IllegalArgumentException e) {
      jdk = null;
    }
    check(s, jdk, true);
  }

  private static void check(final String s, final byte[] expected, final boolean std) {
    final char[] framed = ("\"x" + s + "y\"").toCharArray(); // decoding must respect offset and length
    if (expected != null) {
      try {
        assertThat(std ? B64.decodeStd(framed, 2, s.length(), "f") : B64.decodeUrl(framed, 2, s.length(), "f"))
            .isEqualTo(expected);
      } catch (final EnvelopeException e) {
        throw new AssertionError("rejected canonical \"" + s + "\": " + e.getMessage(), e);
      }
    } else {
      assertThatThrownBy(() -> {
        if (std) {
          B64.decodeStd(framed, 2, s.length(), "f");
        } else {
          B64.decodeUrl(framed, 2, s.length(), "f");
        }
      }).isInstanceOfSatisfying(EnvelopeException.class,
          e -> assertThat(e.reason()).isEqualTo(ReasonCode.ENVELOPE_MALFORMED));
    }
  }

  @Provide
  Arbitrary<String> urlish() {
    return mostlyValid(URL);
  }

  @Provide
  Arbitrary<String> stdish() {
    return mostlyValid(STD);
  }

  /** Encodings of random bytes, sometimes mutated: a character swapped for padding, the other alphabet or non-ASCII. */
  private static Arbitrary<String> mostlyValid(final String alphabet) {
    final Arbitrary<String> encoded = Arbitraries.bytes().array(byte[].class).ofMaxSize(40).map(b ->
        alphabet.equals(STD) ? Base64.getEncoder().encodeToString(b) : Base64.getUrlEncoder().encodeToString(b));
    final Arbitrary<Character> odd = Arbitraries.of('=', '+', '/', '-', '_', ' ', '\u00e9', '\u0100', '\u4e00', 'A',
        'B', 'Q', 'g');
    return Arbitraries.oneOf(
        encoded,
        encoded.map(s -> s.replace("=", "")),
        Arbitraries.strings().withChars(alphabet.toCharArray()).ofMaxLength(12),
        net.jqwik.api.Combinators.combine(encoded, Arbitraries.integers().between(0, 60), odd)
            .as((s, at, c) -> s.isEmpty() ? String.valueOf(c)
                : s.substring(0, at % s.length()) + c + s.substring(at % s.length() + 1)));
  }

  @Example
  void namesTheField() {
    assertThatThrownBy(() -> url("YQ==", "payload")).hasMessageContaining("\"payload\" is padded base64url");
    assertThatThrownBy(() -> url("YR", "payload")).hasMessageContaining("not canonical base64url");
    assertThatThrownBy(() -> std("YR==", "x5c")).hasMessageContaining("not canonical base64");
    assertThatThrownBy(() -> std("YQ", "x5c")).hasMessageContaining("not padded base64");
    assertThatThrownBy(() -> std("Y\u00e9==", "x5c")).hasMessageContaining("not valid base64");
  }

  private static byte[] url(final String s, final String field) throws EnvelopeException {
    return B64.decodeUrl(s.toCharArray(), 0, s.length(), field);
  }

  private static byte[] std(final String s, final String field) throws EnvelopeException {
    return B64.decodeStd(s.toCharArray(), 0, s.length(), field);
  }
}
