package dev.sigstream.notary.timestamp;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sigstream.notary.ReasonCode;
import dev.sigstream.notary.revocation.RevocationChecker;
import dev.sigstream.notary.revocation.RevocationStatus;
import dev.sigstream.testing.Reference;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Vectors README section 5 (tspclient-go tokens), read in place. Anchor: GlobalSign Root CA - R3
 * ({@code GlobalSignRootCA.crt}); the TSA chain is validated at the token's genTime (2021-09-17); clock fixed at
 * 2026-01-01. The TSA revocation check is a fixed OK (README "Network caveat": the GlobalSign URLs need the internet).
 */
class TspClientGoVectorsTest {

  static final Clock CLOCK = Clock.fixed(Instant.parse("2026-01-01T00:00:00Z"), ZoneOffset.UTC);
  static final byte[] NOTATION = "notation".getBytes(StandardCharsets.UTF_8);
  static List<X509Certificate> roots;

  @BeforeAll
  static void loadRoot() throws Exception {
    try (InputStream in = Files.newInputStream(Reference.resolve("notary/vectors/tspclient-go/GlobalSignRootCA.crt"))) {
      roots = List.of((X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(in));
    }
  }

  static byte[] token(final String name) throws Exception {
    return Files.readAllBytes(Reference.resolve("notary/vectors/tspclient-go/" + name));
  }

  @Test
  void validToken_verifiesAtGenTime() throws Exception {
    // Given
    final FixedRevocation revocation = new FixedRevocation(RevocationStatus.OK);
    // When
    final TimestampResult r = new BcTimestampVerifier(CLOCK, revocation)
        .verify(token("TimeStampToken.p7s"), NOTATION, "SHA-256", roots);
    // Then
    assertThat(r.valid()).as(r.detail()).isTrue();
    assertThat(r.reason()).isEqualTo(ReasonCode.OK);
    assertThat(r.genTime()).isEqualTo(Instant.parse("2021-09-17T14:09:10Z"));
    assertThat(r.accuracy()).isEqualTo(Duration.ofSeconds(1));
    assertThat(r.tsaChain()).hasSizeGreaterThanOrEqualTo(3);
    assertThat(r.tsaChain().get(0).getSubjectX500Principal().getName()).contains("Globalsign TSA for Advanced - G4");
    assertThat(r.tsaChain()).last().isEqualTo(roots.get(0));
    assertThat(revocation.purposes).containsExactly(RevocationChecker.Purpose.TIMESTAMPING);
    assertThat(revocation.chains.get(0)).isEqualTo(r.tsaChain());
  }

  @Test
  void validToken_verifiesWithTheTokenHash_whenNoHashIsPinned() throws Exception {
    final TimestampResult r = new BcTimestampVerifier(CLOCK, new FixedRevocation(RevocationStatus.OK))
        .verify(token("TimeStampToken.p7s"), NOTATION, roots);
    assertThat(r.valid()).as(r.detail()).isTrue();
  }

  @Test
  void validToken_fails_whenThePinnedHashDiffers() throws Exception {
    final TimestampResult r = new BcTimestampVerifier(CLOCK, new FixedRevocation(RevocationStatus.OK))
        .verify(token("TimeStampToken.p7s"), NOTATION, "SHA-384", roots);
    assertThat(r.valid()).isFalse();
    assertThat(r.reason()).isEqualTo(ReasonCode.TIMESTAMP_INVALID);
    assertThat(r.detail()).contains("SHA-384");
  }

  @Test
  void validToken_fails_overOtherData() throws Exception {
    final TimestampResult r = new BcTimestampVerifier(CLOCK, new FixedRevocation(RevocationStatus.OK))
        .verify(token("TimeStampToken.p7s"), "invalid".getBytes(StandardCharsets.UTF_8), "SHA-256", roots);
    assertThat(r.valid()).isFalse();
    assertThat(r.reason()).isEqualTo(ReasonCode.TIMESTAMP_INVALID);
    assertThat(r.detail()).contains("imprint");
    assertThat(r.genTime()).isEqualTo(Instant.parse("2021-09-17T14:09:10Z"));
  }

  @Test
  void tokenWithInvalidSignature_fails() throws Exception {
    final TimestampResult r = new BcTimestampVerifier(CLOCK, new FixedRevocation(RevocationStatus.OK))
        .verify(token("TimeStampTokenWithInvalidSignature.p7s"), NOTATION, "SHA-256", roots);
    assertThat(r.valid()).isFalse();
    assertThat(r.reason()).isEqualTo(ReasonCode.TIMESTAMP_INVALID);
    assertThat(r.detail()).contains("signature");
  }

  @Test
  void tokenWithoutCertificate_fails() throws Exception {
    final TimestampResult r = new BcTimestampVerifier(CLOCK, new FixedRevocation(RevocationStatus.OK))
        .verify(token("TimeStampTokenWithoutCertificate.p7s"), NOTATION, "SHA-256", roots);
    assertThat(r.valid()).isFalse();
    assertThat(r.reason()).isEqualTo(ReasonCode.TIMESTAMP_INVALID);
    assertThat(r.detail()).contains("signing certificate not found");
  }

  @Test
  void tokenWithoutSigningCertificateV2_fails() throws Exception {
    final TimestampResult r = new BcTimestampVerifier(CLOCK, new FixedRevocation(RevocationStatus.OK))
        .verify(token("TimeStampTokenWithoutSigningCertificate.p7s"), NOTATION, "SHA-256", roots);
    assertThat(r.valid()).isFalse();
    assertThat(r.reason()).isEqualTo(ReasonCode.TIMESTAMP_INVALID);
  }

  @Test
  void validToken_isUntrusted_underAnUnrelatedRoot() throws Exception {
    final X509Certificate unrelated;
    try (InputStream in = Files.newInputStream(
        Reference.resolve("notary/vectors/notation-go/truststore/x509/ca/valid-trust-store/NotationTestRoot.pem"))) {
      unrelated = (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(in);
    }
    final TimestampResult r = new BcTimestampVerifier(CLOCK, new FixedRevocation(RevocationStatus.OK))
        .verify(token("TimeStampToken.p7s"), NOTATION, "SHA-256", List.of(unrelated));
    assertThat(r.valid()).isFalse();
    assertThat(r.reason()).isEqualTo(ReasonCode.TIMESTAMP_UNTRUSTED);
  }

  @Test
  void validToken_fails_whenTsaChainRevocationIsUnknown() throws Exception {
    // What happens offline with a real checker: the README's "Network caveat".
    final TimestampResult r = new BcTimestampVerifier(CLOCK, new FixedRevocation(RevocationStatus.UNKNOWN))
        .verify(token("TimeStampToken.p7s"), NOTATION, "SHA-256", roots);
    assertThat(r.valid()).isFalse();
    assertThat(r.reason()).isEqualTo(ReasonCode.REVOCATION_UNKNOWN);
    assertThat(r.genTime()).isEqualTo(Instant.parse("2021-09-17T14:09:10Z"));
  }

  @Test
  void validToken_fails_whenTsaIsRevoked() throws Exception {
    final TimestampResult r = new BcTimestampVerifier(CLOCK, new FixedRevocation(RevocationStatus.REVOKED))
        .verify(token("TimeStampToken.p7s"), NOTATION, "SHA-256", roots);
    assertThat(r.valid()).isFalse();
    assertThat(r.reason()).isEqualTo(ReasonCode.CERT_REVOKED);
  }

  @Test
  void validToken_failsClosedOffline_withTheRealChecker() throws Exception {
    // A fetcher with no network: every OCSP/CRL fetch fails → UNKNOWN → the timestamp check fails.
    final var offline = new dev.sigstream.notary.revocation.RevocationFetcher() {
      @Override
      public byte[] fetchCrl(final java.net.URI uri) throws java.io.IOException {
        throw new java.io.IOException("offline");
      }

      @Override
      public byte[] ocsp(final java.net.URI responder, final byte[] request) throws java.io.IOException {
        throw new java.io.IOException("offline");
      }
    };
    final TimestampResult r = new BcTimestampVerifier(CLOCK,
        new dev.sigstream.notary.revocation.OcspCrlRevocationChecker(offline, CLOCK))
        .verify(token("TimeStampToken.p7s"), NOTATION, "SHA-256", roots);
    assertThat(r.valid()).isFalse();
    assertThat(r.reason()).isEqualTo(ReasonCode.REVOCATION_UNKNOWN);
  }
}
