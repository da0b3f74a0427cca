package dev.sigstream.notary.timestamp;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sigstream.notary.ReasonCode;
import dev.sigstream.notary.revocation.RevocationChecker;
import dev.sigstream.notary.revocation.RevocationStatus;
import dev.sigstream.testing.pki.CertSpec;
import dev.sigstream.testing.pki.KeyType;
import dev.sigstream.testing.pki.TestPki;
import dev.sigstream.testing.pki.Tsa;
import dev.sigstream.testing.pki.TsaSpec;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.List;
import org.bouncycastle.cert.jcajce.JcaCertStore;
import org.bouncycastle.cms.CMSProcessableByteArray;
import org.bouncycastle.cms.CMSSignedDataGenerator;
import org.bouncycastle.cms.jcajce.JcaSimpleSignerInfoGeneratorBuilder;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

/** {@link BcTimestampVerifier} against tokens minted in-process by the test PKI's TSA, with fixed revocation answers. */
class BcTimestampVerifierTest {

  static final Instant NOW = Instant.parse("2026-01-01T00:00:00Z");
  static final Clock CLOCK = Clock.fixed(NOW, ZoneOffset.UTC);
  static final byte[] SIGNATURE = "raw signature bytes".getBytes(StandardCharsets.UTF_8);

  static TestPki pki;
  static Tsa tsa;

  @BeforeAll
  static void start() {
    pki = TestPki.start(CLOCK);
    tsa = pki.tsa();
  }

  @AfterAll
  static void stop() {
    pki.close();
  }

  static byte[] stamp(final Tsa t, final byte[] data, final String hash) {
    return t.timestampData(data, hash);
  }

  static TimestampResult verify(final byte[] token, final Tsa t, final RevocationStatus revocation) {
    return new BcTimestampVerifier(CLOCK, new FixedRevocation(revocation))
        .verify(token, SIGNATURE, "SHA-256", List.of(t.rootCertificate()));
  }

  @Test
  void valid_whenTokenCoversTheSignatureAndChainsToTheTsaRoot() {
    // Given
    final FixedRevocation revocation = new FixedRevocation(RevocationStatus.OK);
    final byte[] token = stamp(tsa, SIGNATURE, "SHA-256");
    // When
    final TimestampResult r = new BcTimestampVerifier(CLOCK, revocation)
        .verify(token, SIGNATURE, "SHA-256", List.of(tsa.rootCertificate()));
    // Then
    assertThat(r.valid()).as(r.detail()).isTrue();
    assertThat(r.reason()).isEqualTo(ReasonCode.OK);
    assertThat(r.genTime()).isEqualTo(NOW);
    assertThat(r.accuracy()).isEqualTo(Duration.ofSeconds(1));
    assertThat(r.tsaChain()).containsExactly(tsa.tsaCertificate().certificate(), tsa.rootCertificate());
    assertThat(revocation.purposes).containsExactly(RevocationChecker.Purpose.TIMESTAMPING);
    assertThat(revocation.chains).containsExactly(r.tsaChain());
  }

  @ParameterizedTest
  @ValueSource(strings = {"SHA-256", "SHA-384", "SHA-512"})
  void valid_withEachPinnedHash(final String hash) {
    final TimestampResult r = new BcTimestampVerifier(CLOCK, new FixedRevocation(RevocationStatus.OK))
        .verify(stamp(tsa, SIGNATURE, hash), SIGNATURE, hash, List.of(tsa.rootCertificate()));
    assertThat(r.valid()).as(r.detail()).isTrue();
  }

  @ParameterizedTest
  @EnumSource(value = KeyType.class, names = {"EC_P256", "EC_P384", "RSA_2048"})
  void valid_withEachTsaKeyType(final KeyType type) {
    final Tsa t = pki.tsa(TsaSpec.defaults().keyType(type));
    assertThat(verify(stamp(t, SIGNATURE, "SHA-256"), t, RevocationStatus.OK).valid()).isTrue();
  }

  @Test
  void invalid_whenThePinnedHashDiffersFromTheTokens() {
    final TimestampResult r = new BcTimestampVerifier(CLOCK, new FixedRevocation(RevocationStatus.OK))
        .verify(stamp(tsa, SIGNATURE, "SHA-512"), SIGNATURE, "SHA-256", List.of(tsa.rootCertificate()));
    assertThat(r.valid()).isFalse();
    assertThat(r.reason()).isEqualTo(ReasonCode.TIMESTAMP_INVALID);
  }

  @Test
  void invalid_whenTstInfoVersionIsNotOne() {
    final Tsa v2 = pki.tsa(TsaSpec.defaults().tstInfoVersion(2).keyType(KeyType.EC_P256));
    final TimestampResult r = verify(stamp(v2, SIGNATURE, "SHA-256"), v2, RevocationStatus.OK);
    assertThat(r.valid()).isFalse();
    assertThat(r.reason()).isEqualTo(ReasonCode.TIMESTAMP_INVALID);
    assertThat(r.detail()).contains("version");
  }

  @Test
  void invalid_whenTheImprintUsesSha1_evenWithoutAPinnedHash() {
    final TimestampResult r = new BcTimestampVerifier(CLOCK, new FixedRevocation(RevocationStatus.OK))
        .verify(stamp(tsa, SIGNATURE, "SHA-1"), SIGNATURE, List.of(tsa.rootCertificate()));
    assertThat(r.valid()).isFalse();
    assertThat(r.reason()).isEqualTo(ReasonCode.TIMESTAMP_INVALID);
    assertThat(r.detail()).contains("unsupported hash");
  }

  @Test
  void invalid_whenTheTokenCoversOtherData() {
    final TimestampResult r = verify(stamp(tsa, "other".getBytes(StandardCharsets.UTF_8), "SHA-256"), tsa,
        RevocationStatus.OK);
    assertThat(r.valid()).isFalse();
    assertThat(r.reason()).isEqualTo(ReasonCode.TIMESTAMP_INVALID);
    assertThat(r.detail()).contains("imprint");
  }

  @Test
  void invalid_whenOnlyEssSigningCertificateV1IsPresent() {
    final Tsa v1 = pki.tsa(TsaSpec.defaults().ess(TsaSpec.Ess.V1_ONLY).keyType(KeyType.EC_P256));
    final TimestampResult r = verify(stamp(v1, SIGNATURE, "SHA-256"), v1, RevocationStatus.OK);
    assertThat(r.valid()).isFalse();
    assertThat(r.reason()).isEqualTo(ReasonCode.TIMESTAMP_INVALID);
    assertThat(r.detail()).contains("signing-certificate-v2");
  }

  @ParameterizedTest
  @EnumSource(value = TsaSpec.Ess.class, names = {"V2_SHA1_HASH", "V2_WRONG_HASH", "NONE"})
  void invalid_whenEssSigningCertificateV2IsWeakWrongOrMissing(final TsaSpec.Ess ess) {
    final Tsa t = pki.tsa(TsaSpec.defaults().ess(ess).keyType(KeyType.EC_P256));
    final TimestampResult r = verify(stamp(t, SIGNATURE, "SHA-256"), t, RevocationStatus.OK);
    assertThat(r.valid()).isFalse();
    assertThat(r.reason()).isEqualTo(ReasonCode.TIMESTAMP_INVALID);
  }

  @Test
  void valid_whenEssHasNoIssuerSerial_andTheSidNamesTheCertificate() {
    final Tsa t = pki.tsa(TsaSpec.defaults().ess(TsaSpec.Ess.V2_WITHOUT_ISSUER_SERIAL).keyType(KeyType.EC_P256));
    final TimestampResult r = verify(stamp(t, SIGNATURE, "SHA-256"), t, RevocationStatus.OK);
    assertThat(r.valid()).as(r.detail()).isTrue();
  }

  @Test
  void invalid_whenTheTokenCarriesNoCertificates() {
    final Tsa t = pki.tsa(TsaSpec.defaults().includeCertificates(false).keyType(KeyType.EC_P256));
    final TimestampResult r = verify(stamp(t, SIGNATURE, "SHA-256"), t, RevocationStatus.OK);
    assertThat(r.valid()).isFalse();
    assertThat(r.reason()).isEqualTo(ReasonCode.TIMESTAMP_INVALID);
    assertThat(r.detail()).contains("signing certificate not found");
  }

  @Test
  void invalid_whenTheCmsSignatureIsTampered() {
    final byte[] token = stamp(tsa, SIGNATURE, "SHA-256");
    token[token.length - 1] ^= 1; // last byte of the SignerInfo signature value
    final TimestampResult r = verify(token, tsa, RevocationStatus.OK);
    assertThat(r.valid()).isFalse();
    assertThat(r.reason()).isEqualTo(ReasonCode.TIMESTAMP_INVALID);
    assertThat(r.detail()).contains("signature");
  }

  @Test
  void invalid_whenContentIsNotTstInfo() throws Exception {
    final CMSSignedDataGenerator g = new CMSSignedDataGenerator();
    g.addSignerInfoGenerator(new JcaSimpleSignerInfoGeneratorBuilder().build("SHA256withRSA",
        tsa.tsaCertificate().privateKey(), tsa.tsaCertificate().certificate()));
    g.addCertificates(new JcaCertStore(tsa.chain()));
    final byte[] notAToken = g.generate(new CMSProcessableByteArray(SIGNATURE), true).getEncoded();
    final TimestampResult r = verify(notAToken, tsa, RevocationStatus.OK);
    assertThat(r.valid()).isFalse();
    assertThat(r.reason()).isEqualTo(ReasonCode.TIMESTAMP_INVALID);
    assertThat(r.detail()).contains("TSTInfo");
  }

  @Test
  void invalidNotThrown_forGarbageTruncatedOrOversizeInput() {
    final byte[] token = stamp(tsa, SIGNATURE, "SHA-256");
    for (final byte[] bad : List.of(new byte[] {0x30, (byte) 0x80}, Arrays.copyOf(token, token.length / 2),
        "not der".getBytes(StandardCharsets.UTF_8), new byte[BcTimestampVerifier.MAX_TOKEN_BYTES + 1])) {
      final TimestampResult r = verify(bad, tsa, RevocationStatus.OK);
      assertThat(r.valid()).isFalse();
      assertThat(r.reason()).isEqualTo(ReasonCode.TIMESTAMP_INVALID);
    }
    assertThat(verify(new byte[0], tsa, RevocationStatus.OK).reason()).isEqualTo(ReasonCode.TIMESTAMP_MISSING);
    assertThat(verify(null, tsa, RevocationStatus.OK).reason()).isEqualTo(ReasonCode.TIMESTAMP_MISSING);
    assertThat(new BcTimestampVerifier(CLOCK, new FixedRevocation(RevocationStatus.OK))
        .verify(token, SIGNATURE, List.of()).reason()).isEqualTo(ReasonCode.TIMESTAMP_UNTRUSTED);
  }

  @Test
  void untrusted_underAnotherTsaRoot() {
    final Tsa other = pki.tsa(TsaSpec.defaults().keyType(KeyType.EC_P256).rootDn("CN=Other TSA Root,C=US"));
    final TimestampResult r = new BcTimestampVerifier(CLOCK, new FixedRevocation(RevocationStatus.OK))
        .verify(stamp(tsa, SIGNATURE, "SHA-256"), SIGNATURE, "SHA-256", List.of(other.rootCertificate()));
    assertThat(r.valid()).isFalse();
    assertThat(r.reason()).isEqualTo(ReasonCode.TIMESTAMP_UNTRUSTED);
  }

  @Test
  void untrusted_whenTsaEkuIsNotCritical() {
    final Tsa t = pki.tsa(TsaSpec.defaults().keyType(KeyType.EC_P256).leaf(s -> s.ekuCritical(false)));
    final TimestampResult r = verify(stamp(t, SIGNATURE, "SHA-256"), t, RevocationStatus.OK);
    assertThat(r.valid()).isFalse();
    assertThat(r.reason()).isEqualTo(ReasonCode.TIMESTAMP_UNTRUSTED);
    assertThat(r.detail()).contains("extendedKeyUsage");
  }

  @Test
  void untrusted_whenTsaEkuHasAnotherPurposeToo() {
    final Tsa t = pki.tsa(TsaSpec.defaults().keyType(KeyType.EC_P256)
        .leaf(s -> s.addEku(CertSpec.Eku.CODE_SIGNING).ekuCritical(true)));
    final TimestampResult r = verify(stamp(t, SIGNATURE, "SHA-256"), t, RevocationStatus.OK);
    assertThat(r.valid()).isFalse();
    assertThat(r.reason()).isEqualTo(ReasonCode.TIMESTAMP_UNTRUSTED);
  }

  @Test
  void untrusted_whenTsaCertificateWasNotValidAtGenTime() {
    // genTime (now) is before the TSA certificate's notBefore.
    final Tsa t = pki.tsa(TsaSpec.defaults().keyType(KeyType.EC_P256)
        .leaf(s -> s.validity(NOW.plus(Duration.ofDays(1)), NOW.plus(Duration.ofDays(30)))));
    final TimestampResult r = verify(stamp(t, SIGNATURE, "SHA-256"), t, RevocationStatus.OK);
    assertThat(r.valid()).isFalse();
    assertThat(r.reason()).isEqualTo(ReasonCode.TIMESTAMP_UNTRUSTED);
    assertThat(r.detail()).contains("genTime");
  }

  @Test
  void valid_whenTsaCertificateExpiredAfterGenTime() {
    // Validity is judged at genTime, not now: a token from when the TSA was valid stays valid.
    final Instant past = NOW.minus(Duration.ofDays(400));
    final Tsa t = pki.tsa(TsaSpec.defaults().keyType(KeyType.EC_P256)
        .genTimeClock(Clock.fixed(past, ZoneOffset.UTC))
        .root(s -> s.validity(past.minus(Duration.ofDays(10)), NOW.plus(Duration.ofDays(3650))))
        .leaf(s -> s.validity(past.minus(Duration.ofDays(1)), past.plus(Duration.ofDays(30)))));
    final TimestampResult r = verify(stamp(t, SIGNATURE, "SHA-256"), t, RevocationStatus.OK);
    assertThat(r.valid()).as(r.detail()).isTrue();
    assertThat(r.genTime()).isEqualTo(past);
  }

  @Test
  void chainCache_doesNotCarryTrustOutsideTheValidityWindowOrAcrossRootSets() {
    // Given: one verifier instance (one cache) and a TSA certificate valid from NOW - 1 day
    final Tsa t = pki.tsa(TsaSpec.defaults().keyType(KeyType.EC_P256)
        .leaf(s -> s.validity(NOW.minus(Duration.ofDays(1)), NOW.plus(Duration.ofDays(30)))));
    final BcTimestampVerifier verifier = new BcTimestampVerifier(CLOCK, new FixedRevocation(RevocationStatus.OK));
    final List<java.security.cert.X509Certificate> roots = List.of(t.rootCertificate());
    assertThat(verifier.verify(stamp(t, SIGNATURE, "SHA-256"), SIGNATURE, "SHA-256", roots).valid()).isTrue();
    // When: a token from the same TSA certificate, but dated before it was valid
    t.genTimeClock(Clock.fixed(NOW.minus(Duration.ofDays(2)), ZoneOffset.UTC));
    final TimestampResult early = verifier.verify(stamp(t, SIGNATURE, "SHA-256"), SIGNATURE, "SHA-256", roots);
    t.genTimeClock(null);
    // Then
    assertThat(early.valid()).isFalse();
    assertThat(early.reason()).isEqualTo(ReasonCode.TIMESTAMP_UNTRUSTED);
    // And a cached chain is not reused for another set of roots
    final TimestampResult otherRoots = verifier.verify(stamp(t, SIGNATURE, "SHA-256"), SIGNATURE, "SHA-256",
        List.of(tsa.rootCertificate()));
    assertThat(otherRoots.reason()).isEqualTo(ReasonCode.TIMESTAMP_UNTRUSTED);
    assertThat(verifier.verify(stamp(t, SIGNATURE, "SHA-256"), SIGNATURE, "SHA-256", roots).valid()).isTrue();
  }

  @Test
  void untrusted_whenTsaCertificateIsSignedWithSha1() {
    final Tsa t = pki.tsa(TsaSpec.defaults().keyType(KeyType.RSA_2048)
        .leaf(s -> s.signatureAlgorithm("SHA1withRSA")));
    final TimestampResult r = verify(stamp(t, SIGNATURE, "SHA-256"), t, RevocationStatus.OK);
    assertThat(r.valid()).isFalse();
    assertThat(r.reason()).isEqualTo(ReasonCode.TIMESTAMP_UNTRUSTED);
  }

  @Test
  void invalid_whenGenTimeIsInTheFuture() {
    final Tsa t = pki.tsa(TsaSpec.defaults().keyType(KeyType.EC_P256)
        .genTimeClock(Clock.fixed(NOW.plus(Duration.ofHours(1)), ZoneOffset.UTC)));
    final TimestampResult r = verify(stamp(t, SIGNATURE, "SHA-256"), t, RevocationStatus.OK);
    assertThat(r.valid()).isFalse();
    assertThat(r.reason()).isEqualTo(ReasonCode.TIMESTAMP_INVALID);
    assertThat(r.detail()).contains("future");
  }

  @Test
  void accuracy_isExplicit_orOneSecondForTheBaselinePolicy_orZero() {
    final Tsa explicit = pki.tsa(TsaSpec.defaults().keyType(KeyType.EC_P256).accuracy(Duration.ofMillis(1500)));
    final Tsa baseline = pki.tsa(TsaSpec.defaults().keyType(KeyType.EC_P256).accuracy(null)
        .policy(TsaSpec.BASELINE_POLICY));
    final Tsa none = pki.tsa(TsaSpec.defaults().keyType(KeyType.EC_P256).accuracy(null));
    assertThat(verify(stamp(explicit, SIGNATURE, "SHA-256"), explicit, RevocationStatus.OK).accuracy())
        .isEqualTo(Duration.ofMillis(1500));
    assertThat(verify(stamp(baseline, SIGNATURE, "SHA-256"), baseline, RevocationStatus.OK).accuracy())
        .isEqualTo(Duration.ofSeconds(1));
    assertThat(verify(stamp(none, SIGNATURE, "SHA-256"), none, RevocationStatus.OK).accuracy())
        .isEqualTo(Duration.ZERO);
  }

  @Test
  void fails_whenTheTsaChainIsRevokedOrItsStatusUnknown() {
    final byte[] token = stamp(tsa, SIGNATURE, "SHA-256");
    final TimestampResult revoked = verify(token, tsa, RevocationStatus.REVOKED);
    final TimestampResult unknown = verify(token, tsa, RevocationStatus.UNKNOWN);
    assertThat(revoked.valid()).isFalse();
    assertThat(revoked.reason()).isEqualTo(ReasonCode.CERT_REVOKED);
    assertThat(revoked.genTime()).isEqualTo(NOW);
    assertThat(unknown.valid()).isFalse();
    assertThat(unknown.reason()).isEqualTo(ReasonCode.REVOCATION_UNKNOWN);
  }

  @Test
  void messageImprint_isTheHashOfTheRawSignatureBytes() throws Exception {
    // Sanity of the fixture itself: the TSA stamps exactly the hash we expect.
    final byte[] token = tsa.timestamp(MessageDigest.getInstance("SHA-256").digest(SIGNATURE), "SHA-256");
    assertThat(verify(token, tsa, RevocationStatus.OK).valid()).isTrue();
  }
}
