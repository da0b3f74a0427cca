package dev.sigstream.notary.envelope;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sigstream.notary.ReasonCode;
import dev.sigstream.testing.Reference;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Vector section 6: notation-core-go cose/testdata/conformance.json (parse-only). */
class CoseConformanceVectorTest {

  static JsonNode vector() throws Exception {
    return new ObjectMapper().readTree(
        Reference.resolve("notary/vectors/notation-core-go/cose-conformance.json").toFile());
  }

  static byte[] hex(final JsonNode n) {
    return HexFormat.of().parseHex(n.asText().toLowerCase(java.util.Locale.ROOT));
  }

  @Test
  void expectedOutput_withoutX5chain_isRejectedForTheMissingChain() throws Exception {
    final byte[] env = hex(vector().at("/expectedOutput/cborHex"));
    final EnvelopeException e = catchThrowableOfType(EnvelopeException.class,
        () -> Envelopes.parse(Headers.MEDIA_TYPE_COSE, env, Envelopes.DEFAULT_MAX_ENVELOPE_BYTES));
    assertThat(e.reason()).isEqualTo(ReasonCode.CERT_CHAIN_INVALID);
  }

  @Test
  void protectedHeader_decodesExactly_whenAChainIsAdded() throws Exception {
    // Given: the vector's exact protected-header bytes and payload, with an x5chain in the unprotected header
    final JsonNode v = vector();
    final byte[] protectedBytes = hex(v.at("/protectedHeaders/cborHex"));
    final byte[] payload = hex(v.at("/payload"));
    final byte[] fakeCert = new byte[] {0x30, 0x03, 0x02, 0x01, 0x01};
    final byte[] env = new CborWriter().tag(18).array(4).bytes(protectedBytes)
        .map(2).integer(33).array(1).bytes(fakeCert).text(Headers.SIGNING_AGENT).text("NotationConformanceTest/1.0.0")
        .bytes(payload).bytes(new byte[] {1, 2, 3}).toByteArray();
    // When
    final ParsedEnvelope p = Envelopes.parse(Headers.MEDIA_TYPE_COSE, env, Envelopes.DEFAULT_MAX_ENVELOPE_BYTES);
    // Then
    assertThat(p.algorithm()).isEqualTo(SignatureAlgorithm.PS384);
    assertThat(p.signingScheme()).isEqualTo(SigningScheme.X509);
    assertThat(p.signingTime()).isEqualTo(Instant.ofEpochSecond(v.at("/signingTime").asLong()));
    assertThat(p.expiry()).isEqualTo(Instant.ofEpochSecond(v.at("/expiry").asLong()));
    assertThat(p.critical()).containsExactly(Headers.SIGNING_SCHEME, Headers.EXPIRY, "signedCritKey1");
    assertThat(p.unknownCritical()).containsExactly("signedCritKey1");
    assertThat(p.extendedAttributes()).containsEntry("signedKey1", "signedValue1")
        .containsEntry("signedCritKey1", "signedCritValue1");
    assertThat(p.signingAgent()).isEqualTo("NotationConformanceTest/1.0.0");
    // The Sig_structure embeds the protected header bytes exactly as received.
    assertThat(p.signingInput()).isEqualTo(CborWriter.sigStructure(protectedBytes, payload));
    assertThat(p.certificateChain()).hasSize(1);
  }

  @Test
  void expectedOutput_isTheSign1OfItsParts() throws Exception {
    // The vector's full message = tag 18 [protected, unprotected, payload, signature]: check our framing agrees.
    final JsonNode v = vector();
    final byte[] expected = hex(v.at("/expectedOutput/cborHex"));
    final byte[] prot = hex(v.at("/protectedHeaders/cborHex"));
    final byte[] unprot = hex(v.at("/unprotectedHeaders/cborHex"));
    final byte[] payload = hex(v.at("/payload"));
    final int sigStart = expected.length - 384; // PS384 with RSA-3072: 384-byte signature
    final byte[] sig = java.util.Arrays.copyOfRange(expected, sigStart, expected.length);
    final byte[] rebuilt = new CborWriter().tag(18).array(4).bytes(prot).raw(unprot).bytes(payload).bytes(sig)
        .toByteArray();
    assertThat(rebuilt).isEqualTo(expected);
  }

  @Test
  void unknownCriticalHeader_isReportedForTheVerifier() throws Exception {
    final JsonNode v = vector();
    final byte[] env = new CborWriter().tag(18).array(4).bytes(hex(v.at("/protectedHeaders/cborHex")))
        .map(1).integer(33).bytes(new byte[] {0x30, 0x00}).bytes(hex(v.at("/payload"))).bytes(new byte[] {9})
        .toByteArray();
    assertThat(Envelopes.parse(Headers.MEDIA_TYPE_COSE, env, 1 << 20).unknownCritical()).isEqualTo(List.of("signedCritKey1"));
  }
}
