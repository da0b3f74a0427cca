package dev.sigstream.notary.envelope;

import static dev.sigstream.notary.Fixtures.CLOCK;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sigstream.notary.ReasonCode;
import dev.sigstream.notary.TargetDescriptor;
import dev.sigstream.notary.sign.EnvelopeFormat;
import dev.sigstream.notary.sign.LocalSigningKey;
import dev.sigstream.notary.sign.NotarySigner;
import dev.sigstream.notary.sign.SignRequest;
import dev.sigstream.testing.pki.Ca;
import dev.sigstream.testing.pki.CertSpec;
import dev.sigstream.testing.pki.Issued;
import dev.sigstream.testing.pki.KeyType;
import dev.sigstream.testing.pki.TestPki;
import java.nio.charset.StandardCharsets;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/**
 * JWS base64 members are decoded from Jackson's character buffer: that is the JSON value, so a JSON-escaped
 * envelope parses exactly like the plain one (the signing input is the values, as in notation-go), and a non-ASCII
 * character in a base64 member is malformed whether written raw or escaped.
 */
class JwsRawValuesTest {

  static final TestPki PKI = TestPki.start(CLOCK);
  static final Ca ROOT = PKI.root("CN=Raw Root,O=Sigstream,C=US", KeyType.EC_P256);
  static final Issued LEAF = ROOT.leaf(CertSpec.leaf("CN=raw,O=Sigstream,ST=WA,C=US").noRevocationInfo());
  static final TargetDescriptor TARGET = new TargetDescriptor("application/vnd.oci.image.manifest.v1+json",
      "sha256:" + "3c".repeat(32), 77);

  @AfterAll
  static void close() {
    PKI.close();
  }

  static String signed() throws Exception {
    return new String(NotarySigner.create(new LocalSigningKey(LEAF.privateKey(), LEAF.chain()), CLOCK, null, null)
        .sign(SignRequest.of(TARGET, EnvelopeFormat.JWS)).envelope(), StandardCharsets.UTF_8);
  }

  static ParsedEnvelope parse(final String json) throws EnvelopeException {
    return Envelopes.parse(Headers.MEDIA_TYPE_JWS, json.getBytes(StandardCharsets.UTF_8),
        Envelopes.DEFAULT_MAX_ENVELOPE_BYTES);
  }

  /** Replaces the first character of {@code member}'s string value by its JSON unicode escape. */
  static String escapeFirst(final String json, final String member) {
    final Matcher m = Pattern.compile("\"" + Pattern.quote(member) + "\"\\s*:\\s*(\\[\\s*)?\"").matcher(json);
    assertThat(m.find()).as(member).isTrue();
    final int at = m.end();
    return json.substring(0, at) + String.format("\\u%04x", (int) json.charAt(at)) + json.substring(at + 1);
  }

  @Test
  void escapedMembers_parseExactlyLikeThePlainEnvelope() throws Exception {
    final String plain = signed();
    final ParsedEnvelope expected = parse(plain);
    for (final String member : new String[] {"payload", "protected", "signature", "x5c"}) {
      final ParsedEnvelope p = parse(escapeFirst(plain, member));
      assertThat(p.signingInput()).as(member).isEqualTo(expected.signingInput());
      assertThat(p.payload()).as(member).isEqualTo(expected.payload());
      assertThat(p.signature()).as(member).isEqualTo(expected.signature());
      assertThat(p.certificateChain()).as(member).containsExactlyElementsOf(expected.certificateChain());
    }
  }

  @Test
  void nonAsciiInABase64Member_isMalformedOnBothPaths() throws Exception {
    final String plain = signed();
    for (final String member : new String[] {"payload", "protected", "signature", "x5c"}) {
      final Matcher m = Pattern.compile("\"" + Pattern.quote(member) + "\"\\s*:\\s*(\\[\\s*)?\"").matcher(plain);
      assertThat(m.find()).isTrue();
      final int at = m.end() + 4;
      final String raw = plain.substring(0, at) + "\u00e9" + plain.substring(at + 1); // two UTF-8 bytes
      final String escaped = plain.substring(0, at) + "\\u00e9" + plain.substring(at + 1); // a JSON escape
      for (final String bad : new String[] {raw, escaped}) {
        assertThatThrownBy(() -> parse(bad)).as(member).isInstanceOfSatisfying(EnvelopeException.class,
            e -> assertThat(e.reason()).isEqualTo(ReasonCode.ENVELOPE_MALFORMED));
      }
    }
  }

  @Test
  void nonAsciiCharacters_areRejectedByTheDecoder() {
    // U+0141 has low bits that would index the alphabet if the decoder truncated characters to bytes.
    final char[] text = {'Q', '\u0141', 'J', 'D'};
    assertThatThrownBy(() -> B64.decodeStd(text, 0, 4, "x5c")).hasMessageContaining("not valid base64");
    assertThatThrownBy(() -> B64.decodeUrl(text, 0, 4, "payload")).hasMessageContaining("not valid base64url");
    final char[] tail = {'Q', 'U', '\u00c9'};
    assertThatThrownBy(() -> B64.decodeUrl(tail, 0, 3, "payload")).hasMessageContaining("not valid base64url");
  }

  @Test
  void duplicateMembers_areNamed() throws Exception {
    final String plain = signed();
    assertThatThrownBy(() -> parse(plain.replaceFirst("\\{", "{\"signature\":\"AAAA\",")))
        .hasMessageContaining("envelope has a duplicate member \"signature\"");
    assertThatThrownBy(() -> parse(plain.replaceFirst("\"header\"\\s*:\\s*\\{", "\"header\":{\"x5c\":[],")))
        .hasMessageContaining("duplicate member \"x5c\"");
  }
}
