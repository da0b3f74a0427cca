package dev.sigstream.notary.timestamp;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.cbor.CBORFactory;
import dev.sigstream.notary.ReasonCode;
import dev.sigstream.notary.revocation.RevocationStatus;
import dev.sigstream.testing.Reference;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

/**
 * Vectors README section 3 (notation-go timestamp envelopes), timestamp part only: the countersignature and the raw
 * signature bytes are extracted with a small test-only parser (JWS JSON / COSE CBOR), and the token is verified
 * against the {@code tsa} store root (GlobalSign Root CA - R6) at its genTime. TSA revocation is a fixed OK (README
 * "Network caveat"). Whether genTime ± accuracy lies in the signer's validity is the caller's check; the data for it
 * is asserted here so the two failing vectors are seen to fail for that reason and no other.
 */
class TimestampEnvelopeVectorsTest {

  static final Clock CLOCK = Clock.fixed(Instant.parse("2026-01-01T00:00:00Z"), ZoneOffset.UTC);
  static final String DIR = "notary/vectors/notation-go/timestamp-envelopes/";
  static List<X509Certificate> tsaRoots;

  /** What the test parser extracts from an envelope. */
  record Extracted(byte[] signature, byte[] token, String imprintHash, X509Certificate leaf) {}

  @BeforeAll
  static void loadRoot() throws Exception {
    try (InputStream in = Files.newInputStream(
        Reference.resolve("notary/vectors/notation-go/truststore/x509/tsa/test-timestamp/globalsignRoot.cer"))) {
      tsaRoots = List.of((X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(in));
    }
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource({
      "jwsWithTimestamp.sig,          2024-06-18T06:29:37Z, true",
      "coseWithTimestamp.sig,         2024-06-18T06:27:16Z, true",
      "jwsExpiredWithTimestamp.sig,   2024-06-18T07:21:42Z, true",
      "coseExpiredWithTimestamp.sig,  2024-06-18T07:21:12Z, true",
      "timestampBeforeNotBefore.sig,  2024-06-19T09:30:14Z, false",
      "timestampAfterNotAfter.sig,    2024-06-19T09:35:58Z, false"})
  void tokenVerifies_andGenTimeIsAsDocumented(final String file, final String genTime, final boolean insideValidity)
      throws Exception {
    // Given
    final Extracted e = extract(file);
    final FixedRevocation revocation = new FixedRevocation(RevocationStatus.OK);
    // When
    final TimestampResult r = new BcTimestampVerifier(CLOCK, revocation)
        .verify(e.token(), e.signature(), e.imprintHash(), tsaRoots);
    // Then
    assertThat(r.valid()).as(r.detail()).isTrue();
    assertThat(Duration.between(Instant.parse(genTime), r.genTime()).abs()).isLessThanOrEqualTo(Duration.ofSeconds(1));
    assertThat(r.accuracy()).isEqualTo(Duration.ofSeconds(1));
    assertThat(r.tsaChain().get(0).getSubjectX500Principal().getName())
        .contains("Globalsign TSA for Advanced - G4 - 202311");
    assertThat(r.tsaChain()).last().isEqualTo(tsaRoots.get(0));
    // The caller's step 7: [genTime - accuracy, genTime + accuracy] within the signing certificate's validity.
    final boolean inside = !r.genTime().minus(r.accuracy()).isBefore(e.leaf().getNotBefore().toInstant())
        && !r.genTime().plus(r.accuracy()).isAfter(e.leaf().getNotAfter().toInstant());
    assertThat(inside).isEqualTo(insideValidity);
  }

  @Test
  void withoutTimestamp_hasNoToken_andVerificationReportsItMissing() throws Exception {
    final Extracted e = extract("withoutTimestamp.sig");
    assertThat(e.token()).isNull();
    final TimestampResult r = new BcTimestampVerifier(CLOCK, new FixedRevocation(RevocationStatus.OK))
        .verify(e.token(), e.signature(), e.imprintHash(), tsaRoots);
    assertThat(r.valid()).isFalse();
    assertThat(r.reason()).isEqualTo(ReasonCode.TIMESTAMP_MISSING);
  }

  @Test
  void token_fails_overADifferentSignature() throws Exception {
    final Extracted e = extract("jwsWithTimestamp.sig");
    final TimestampResult r = new BcTimestampVerifier(CLOCK, new FixedRevocation(RevocationStatus.OK))
        .verify(e.token(), "mismatch".getBytes(StandardCharsets.UTF_8), e.imprintHash(), tsaRoots);
    assertThat(r.valid()).isFalse();
    assertThat(r.reason()).isEqualTo(ReasonCode.TIMESTAMP_INVALID);
  }

  @Test
  void token_isUntrusted_withAnUnrelatedTsaRoot() throws Exception {
    final Extracted e = extract("coseWithTimestamp.sig");
    final X509Certificate r3;
    try (InputStream in = Files.newInputStream(Reference.resolve("notary/vectors/tspclient-go/GlobalSignRootCA.crt"))) {
      r3 = (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(in);
    }
    final TimestampResult r = new BcTimestampVerifier(CLOCK, new FixedRevocation(RevocationStatus.OK))
        .verify(e.token(), e.signature(), e.imprintHash(), List.of(r3));
    assertThat(r.valid()).isFalse();
    assertThat(r.reason()).isEqualTo(ReasonCode.TIMESTAMP_UNTRUSTED);
  }

  // ------------------------------------------------------------------------------------------ test-only parser

  static Extracted extract(final String file) throws Exception {
    final byte[] raw = Files.readAllBytes(Reference.resolve(DIR + file));
    return raw[0] == '{' ? extractJws(raw) : extractCose(raw);
  }

  private static Extracted extractJws(final byte[] raw) throws Exception {
    final JsonNode env = new ObjectMapper().readTree(raw);
    final JsonNode prot = new ObjectMapper().readTree(Base64.getUrlDecoder().decode(env.get("protected").asText()));
    final byte[] sig = Base64.getUrlDecoder().decode(env.get("signature").asText());
    final JsonNode header = env.get("header");
    final JsonNode ts = header.get("io.cncf.notary.timestampSignature");
    final byte[] token = ts == null ? null : Base64.getDecoder().decode(ts.asText());
    final X509Certificate leaf = cert(Base64.getDecoder().decode(header.get("x5c").get(0).asText()));
    return new Extracted(sig, token, hashFor(prot.get("alg").asText()), leaf);
  }

  private static Extracted extractCose(final byte[] raw) throws Exception {
    final ObjectMapper cbor = new ObjectMapper(new CBORFactory());
    final JsonNode msg = cbor.readTree(raw); // COSE_Sign1 (tag 18 is skipped by the parser)
    assertThat(msg.isArray()).isTrue();
    assertThat(msg.size()).isEqualTo(4);
    final JsonNode prot = cbor.readTree(msg.get(0).binaryValue());
    final JsonNode unprot = msg.get(1);
    final JsonNode ts = unprot.get("io.cncf.notary.timestampSignature");
    final X509Certificate leaf = cert(unprot.get("33").get(0).binaryValue());
    return new Extracted(msg.get(3).binaryValue(), ts == null ? null : ts.binaryValue(),
        hashFor(prot.get("1").asText()), leaf);
  }

  private static String hashFor(final String alg) {
    return switch (alg) {
      case "PS256", "ES256", "-37", "-7" -> "SHA-256";
      case "PS384", "ES384", "-38", "-35" -> "SHA-384";
      case "PS512", "ES512", "-39", "-36" -> "SHA-512";
      default -> throw new IllegalArgumentException("alg " + alg);
    };
  }

  private static X509Certificate cert(final byte[] der) throws Exception {
    return (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(new ByteArrayInputStream(der));
  }
}
