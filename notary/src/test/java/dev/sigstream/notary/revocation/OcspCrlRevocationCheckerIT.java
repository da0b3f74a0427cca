package dev.sigstream.notary.revocation;

import dev.sigstream.testing.MutableClock;
import static org.assertj.core.api.Assertions.assertThat;

import dev.sigstream.notary.revocation.RevocationChecker.Purpose;
import dev.sigstream.testing.pki.Ca;
import dev.sigstream.testing.pki.CertSpec;
import dev.sigstream.testing.pki.Issued;
import dev.sigstream.testing.pki.KeyType;
import dev.sigstream.testing.pki.TestPki;
import java.net.URI;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.bouncycastle.asn1.x509.CRLReason;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * {@link OcspCrlRevocationChecker} with the real {@link HttpRevocationFetcher} against the test PKI's loopback OCSP
 * responder and CRL server. Each test uses its own intermediate CA, so behaviours and request counts are isolated.
 */
@Tag("integration")
@Timeout(60)
class OcspCrlRevocationCheckerIT {

  static final Instant NOW = Instant.parse("2026-01-01T00:00:00Z");
  static final AtomicInteger N = new AtomicInteger();

  static MutableClock clock;
  static TestPki pki;
  static Ca root;
  Ca ca;
  OcspCrlRevocationChecker checker;

  @BeforeAll
  static void start() {
    clock = new MutableClock(NOW);
    pki = TestPki.start(clock);
    root = pki.root("CN=Revocation IT Root,O=Sigstream,C=US", KeyType.EC_P256);
  }

  @AfterAll
  static void stop() {
    pki.close();
  }

  @BeforeEach
  void freshCa() {
    ca = root.intermediate(CertSpec.ca("CN=Revocation IT CA " + N.incrementAndGet() + ",O=Sigstream,C=US")
        .keyType(KeyType.EC_P256));
    checker = new OcspCrlRevocationChecker(new HttpRevocationFetcher(), clock);
  }

  Issued leaf(final CertSpec spec) {
    return ca.leaf(spec);
  }

  static CertSpec spec() {
    return CertSpec.leaf("CN=leaf " + N.incrementAndGet() + ",O=Sigstream,C=US");
  }

  RevocationResult check(final Issued leaf) {
    return checker.check(leaf.chain(), Purpose.CODE_SIGNING, null);
  }

  @Test
  void ok_whenEveryCertificateIsGood() {
    // Given
    final Issued leaf = leaf(spec());
    // When
    final RevocationResult r = check(leaf);
    // Then
    assertThat(r.status()).as(r.detail()).isEqualTo(RevocationStatus.OK);
    assertThat(r.certificates()).extracting(RevocationResult.CertificateStatus::method).containsExactly("ocsp", "ocsp");
    assertThat(ca.ocspRequestCount()).isEqualTo(1);
    assertThat(ca.ocspRequestCount("GET")).isEqualTo(1); // a one-CertID request is small enough for GET
    assertThat(ca.crlRequestCount()).isZero();
  }

  @Test
  void revoked_whenTheLeafIsRevoked() {
    final Issued leaf = leaf(spec());
    ca.revoke(leaf.certificate(), NOW.minusSeconds(3600));
    final RevocationResult r = check(leaf);
    assertThat(r.status()).isEqualTo(RevocationStatus.REVOKED);
    assertThat(r.certificates().get(0).status()).isEqualTo(RevocationStatus.REVOKED);
    assertThat(r.certificates().get(0).method()).isEqualTo("ocsp");
    assertThat(r.certificates().get(1).status()).isEqualTo(RevocationStatus.OK);
  }

  @Test
  void revoked_whenTheIntermediateIsRevoked() {
    final Issued leaf = leaf(spec());
    root.revoke(ca.certificate(), NOW.minusSeconds(60));
    final RevocationResult r = check(leaf);
    assertThat(r.status()).isEqualTo(RevocationStatus.REVOKED);
    assertThat(r.certificates().get(0).status()).isEqualTo(RevocationStatus.OK);
    assertThat(r.certificates().get(1).status()).isEqualTo(RevocationStatus.REVOKED);
    assertThat(r.detail()).contains("certificate #2");
  }

  @Test
  void fallsBackToCrl_whenOcspAnswersUnknown() {
    final Issued good = leaf(spec());
    final Issued bad = leaf(spec());
    ca.ocspBehaviour(Ca.OcspBehaviour.UNKNOWN);
    ca.revoke(bad.certificate(), NOW.minusSeconds(60));
    final RevocationResult ok = check(good);
    final RevocationResult revoked = check(bad);
    assertThat(ok.status()).as(ok.detail()).isEqualTo(RevocationStatus.OK);
    assertThat(ok.certificates().get(0).method()).isEqualTo("ocsp-fallback-crl");
    assertThat(revoked.status()).isEqualTo(RevocationStatus.REVOKED);
    assertThat(revoked.certificates().get(0).method()).isEqualTo("ocsp-fallback-crl");
    assertThat(ca.crlRequestCount()).isEqualTo(1); // the CRL was cached between the two checks
  }

  @Test
  void unknown_whenOcspIsUnknownAndThereIsNoCrl() {
    final Issued leaf = leaf(spec().crl(false));
    ca.ocspBehaviour(leaf.certificate(), Ca.OcspBehaviour.UNKNOWN);
    final RevocationResult r = check(leaf);
    assertThat(r.status()).isEqualTo(RevocationStatus.UNKNOWN);
    assertThat(r.certificates().get(0).detail()).contains("unknown");
  }

  @Test
  void unknown_whenTheResponderIsDown() {
    final Issued leaf = leaf(spec().crl(false));
    ca.ocspBehaviour(leaf.certificate(), Ca.OcspBehaviour.DOWN);
    final RevocationResult r = check(leaf);
    assertThat(r.status()).isEqualTo(RevocationStatus.UNKNOWN);
    assertThat(r.certificates().get(0).detail()).contains("HTTP 503");
  }

  @Test
  void fallsBackToCrl_whenTheResponderIsDown() {
    final Issued leaf = leaf(spec());
    ca.ocspBehaviour(leaf.certificate(), Ca.OcspBehaviour.DOWN);
    final RevocationResult r = check(leaf);
    assertThat(r.status()).isEqualTo(RevocationStatus.OK);
    assertThat(r.certificates().get(0).method()).isEqualTo("ocsp-fallback-crl");
  }

  @Test
  void unknown_whenTheResponderHangsPastTheTimeout() {
    final Issued leaf = leaf(spec().crl(false));
    ca.ocspBehaviour(leaf.certificate(), Ca.OcspBehaviour.HANG);
    final OcspCrlRevocationChecker fast = new OcspCrlRevocationChecker(
        new HttpRevocationFetcher(Duration.ofMillis(300), Duration.ofMillis(300), 20 * 1024, 1024 * 1024), clock);
    final RevocationResult r = fast.check(leaf.chain(), Purpose.CODE_SIGNING, null);
    assertThat(r.status()).isEqualTo(RevocationStatus.UNKNOWN);
    assertThat(r.certificates().get(0).detail()).contains("timed out");
  }

  @Test
  void unknown_whenTheResponderSaysTryLaterOrSendsGarbage() {
    final Issued later = leaf(spec().crl(false));
    final Issued garbage = leaf(spec().crl(false));
    ca.ocspBehaviour(later.certificate(), Ca.OcspBehaviour.TRY_LATER);
    ca.ocspBehaviour(garbage.certificate(), Ca.OcspBehaviour.MALFORMED);
    assertThat(check(later).status()).isEqualTo(RevocationStatus.UNKNOWN);
    assertThat(check(garbage).status()).isEqualTo(RevocationStatus.UNKNOWN);
  }

  @Test
  void unknown_whenTheOcspSignatureIsBad() {
    final Issued leaf = leaf(spec().crl(false));
    ca.ocspSigner(Ca.OcspSigner.WRONG_KEY);
    final RevocationResult r = check(leaf);
    assertThat(r.status()).isEqualTo(RevocationStatus.UNKNOWN);
    assertThat(r.certificates().get(0).detail()).contains("signature");
  }

  @Test
  void ok_withADelegatedResponder_butUnknownWhenItLacksOcspSigning() {
    final Issued leaf = leaf(spec().crl(false));
    ca.ocspSigner(Ca.OcspSigner.DELEGATED);
    assertThat(check(leaf).status()).isEqualTo(RevocationStatus.OK);
    final OcspCrlRevocationChecker fresh = new OcspCrlRevocationChecker(new HttpRevocationFetcher(), clock);
    ca.ocspSigner(Ca.OcspSigner.DELEGATED_WITHOUT_EKU);
    final RevocationResult r = fresh.check(leaf.chain(), Purpose.CODE_SIGNING, null);
    assertThat(r.status()).isEqualTo(RevocationStatus.UNKNOWN);
    assertThat(r.certificates().get(0).detail()).contains("OCSPSigning");
  }

  @Test
  void delegatedResponderWithoutNocheck_isCheckedViaItsCrl() {
    // Given: a responder certificate without id-pkix-ocsp-nocheck (spec side of SPEC-NOTES §13 row 18)
    final Issued leaf = leaf(spec().crl(false));
    ca.ocspSigner(Ca.OcspSigner.DELEGATED_WITHOUT_NOCHECK);
    // When / Then: its CRL is consulted
    assertThat(check(leaf).status()).isEqualTo(RevocationStatus.OK);
    assertThat(ca.crlRequestCount()).isEqualTo(1);
    // When the responder itself is revoked, its answers are not trusted
    ca.revoke(ca.delegatedResponderCertificate(Ca.OcspSigner.DELEGATED_WITHOUT_NOCHECK).certificate(),
        NOW.minusSeconds(5));
    final RevocationResult r = new OcspCrlRevocationChecker(new HttpRevocationFetcher(), clock)
        .check(leaf.chain(), Purpose.CODE_SIGNING, null);
    assertThat(r.status()).isEqualTo(RevocationStatus.UNKNOWN);
    assertThat(r.certificates().get(0).detail()).contains("responder").contains("revoked");
  }

  @Test
  void unknown_whenTheOcspResponseIsStale() {
    final Issued leaf = leaf(spec().crl(false));
    ca.ocspNextUpdate(NOW.minusSeconds(1));
    final RevocationResult r = check(leaf);
    assertThat(r.status()).isEqualTo(RevocationStatus.UNKNOWN);
    assertThat(r.certificates().get(0).detail()).contains("expired");
  }

  @Test
  void unknown_whenTheCrlIsStale() {
    final Issued leaf = leaf(spec().ocsp(false));
    ca.crlNextUpdate(NOW.minusSeconds(1));
    final RevocationResult r = check(leaf);
    assertThat(r.status()).isEqualTo(RevocationStatus.UNKNOWN);
    assertThat(r.certificates().get(0).method()).isEqualTo("crl");
    assertThat(r.certificates().get(0).detail()).contains("expired");
  }

  @Test
  void unknown_whenTheCrlHasNoNextUpdate_badSignature_unknownCriticalExtension_orIsDown() {
    final Issued leaf = leaf(spec().ocsp(false));
    ca.crlWithoutNextUpdate(true);
    assertThat(check(leaf).certificates().get(0).detail()).contains("nextUpdate");
    ca.crlWithoutNextUpdate(false);
    for (final Ca.CrlBehaviour b : List.of(Ca.CrlBehaviour.BAD_SIGNATURE, Ca.CrlBehaviour.UNKNOWN_CRITICAL_EXTENSION,
        Ca.CrlBehaviour.DOWN, Ca.CrlBehaviour.MALFORMED)) {
      ca.crlBehaviour(b);
      final RevocationResult r = new OcspCrlRevocationChecker(new HttpRevocationFetcher(), clock)
          .check(leaf.chain(), Purpose.CODE_SIGNING, null);
      assertThat(r.status()).as(b.name()).isEqualTo(RevocationStatus.UNKNOWN);
    }
  }

  @Test
  void revoked_viaCrl_whenOnlyACrlIsPublished() {
    final Issued leaf = leaf(spec().ocsp(false));
    ca.revoke(leaf.certificate(), NOW.minusSeconds(60), CRLReason.keyCompromise, null);
    final RevocationResult r = check(leaf);
    assertThat(r.status()).isEqualTo(RevocationStatus.REVOKED);
    assertThat(r.certificates().get(0).method()).isEqualTo("crl");
    assertThat(r.certificates().get(0).detail()).contains("keyCompromise");
  }

  @Test
  void crlHoldRevokes_andRemoveFromCrlDoesNot() {
    final Issued held = leaf(spec().ocsp(false));
    final Issued released = leaf(spec().ocsp(false));
    ca.revoke(held.certificate(), NOW.minusSeconds(60), CRLReason.certificateHold, null);
    ca.revoke(released.certificate(), NOW.minusSeconds(60), CRLReason.removeFromCRL, null);
    assertThat(check(held).status()).isEqualTo(RevocationStatus.REVOKED);
    assertThat(check(released).status()).isEqualTo(RevocationStatus.OK);
  }

  @Test
  void invalidityDateAfterTheAuthenticSigningTime_keepsTheSignatureValid_forSigningAuthorityOnly() {
    final Issued viaCrl = leaf(spec().ocsp(false));
    final Issued viaOcsp = leaf(spec().crl(false));
    final Instant signingTime = NOW.minus(Duration.ofDays(10));
    final Instant invalidFrom = NOW.minus(Duration.ofDays(5));
    ca.revoke(viaCrl.certificate(), NOW.minusSeconds(60), CRLReason.keyCompromise, invalidFrom);
    ca.revoke(viaOcsp.certificate(), NOW.minusSeconds(60), CRLReason.keyCompromise, invalidFrom);
    for (final Issued leaf : List.of(viaCrl, viaOcsp)) {
      assertThat(checker.check(leaf.chain(), Purpose.CODE_SIGNING, signingTime).status())
          .isEqualTo(RevocationStatus.OK);
      // Signed after the key became invalid → revoked; no signing time (notary.x509) → revoked.
      assertThat(checker.check(leaf.chain(), Purpose.CODE_SIGNING, invalidFrom.plusSeconds(1)).status())
          .isEqualTo(RevocationStatus.REVOKED);
      assertThat(checker.check(leaf.chain(), Purpose.CODE_SIGNING, null).status())
          .isEqualTo(RevocationStatus.REVOKED);
    }
  }

  @Test
  void cacheHit_avoidsASecondFetch_untilNextUpdate() {
    // Given
    final Issued ocspLeaf = leaf(spec());
    final Issued crlLeaf = leaf(spec().ocsp(false));
    ca.ocspValidity(Duration.ofHours(1));
    ca.crlValidity(Duration.ofHours(1));
    final int rootOcspBefore = root.ocspRequestCount();
    // When
    check(ocspLeaf);
    check(ocspLeaf);
    check(crlLeaf);
    check(crlLeaf);
    // Then: counted at the servers
    assertThat(ca.ocspRequestCount()).isEqualTo(1);
    assertThat(ca.crlRequestCount()).isEqualTo(1);
    assertThat(root.ocspRequestCount() - rootOcspBefore).isEqualTo(1); // the intermediate's status, once
    // When the responses' nextUpdate passes, they are fetched again.
    clock.advance(Duration.ofHours(2));
    try {
      assertThat(check(ocspLeaf).status()).isEqualTo(RevocationStatus.OK);
      assertThat(check(crlLeaf).status()).isEqualTo(RevocationStatus.OK);
      assertThat(ca.ocspRequestCount()).isEqualTo(2);
      assertThat(ca.crlRequestCount()).isEqualTo(2);
    } finally {
      clock.advance(Duration.ofHours(-2));
    }
  }

  @Test
  void failuresAreNotCached() {
    final Issued leaf = leaf(spec().crl(false));
    ca.ocspBehaviour(leaf.certificate(), Ca.OcspBehaviour.DOWN);
    assertThat(check(leaf).status()).isEqualTo(RevocationStatus.UNKNOWN);
    ca.ocspBehaviour(leaf.certificate(), Ca.OcspBehaviour.NORMAL);
    assertThat(check(leaf).status()).isEqualTo(RevocationStatus.OK);
  }

  @Test
  void nonRevocable_whenNeitherOcspNorCrlIsNamed() {
    final Issued leaf = leaf(spec().noRevocationInfo());
    final RevocationResult r = checker.check(List.of(leaf.certificate(), ca.certificate()), Purpose.CODE_SIGNING,
        null);
    assertThat(r.status()).isEqualTo(RevocationStatus.OK);
    assertThat(r.certificates()).singleElement().extracting(RevocationResult.CertificateStatus::method)
        .isEqualTo("none");
  }

  @Test
  void unknown_whenOnlyNonHttpLocationsAreNamed() {
    final Issued leaf = leaf(spec().ocspUrl(URI.create("https://127.0.0.1:1/ocsp"))
        .crlUrl(URI.create("ldap://127.0.0.1/cn=crl")));
    final RevocationResult r = check(leaf);
    assertThat(r.status()).isEqualTo(RevocationStatus.UNKNOWN);
    assertThat(r.certificates().get(0).detail()).contains("only http");
  }

  @Test
  void unknown_whenTheOcspResponseExceedsTheSizeCap() {
    final Issued leaf = leaf(spec().crl(false));
    ca.ocspBehaviour(leaf.certificate(), Ca.OcspBehaviour.OVERSIZED);
    final RevocationResult r = check(leaf);
    assertThat(r.status()).isEqualTo(RevocationStatus.UNKNOWN);
    assertThat(r.certificates().get(0).detail()).contains("too large");
  }

  @Test
  void unknown_whenTheCrlExceedsTheSizeCap() {
    final Issued leaf = leaf(spec().ocsp(false));
    final RevocationResult r = new OcspCrlRevocationChecker(
        new HttpRevocationFetcher(Duration.ofSeconds(2), Duration.ofSeconds(5), 20 * 1024, 64), clock)
        .check(leaf.chain(), Purpose.CODE_SIGNING, null);
    assertThat(r.status()).isEqualTo(RevocationStatus.UNKNOWN);
    assertThat(r.certificates().get(0).detail()).contains("too large");
  }

  @Test
  void fetcherUsesPost_forLargeOcspRequests() throws Exception {
    // Three CertIDs make the base64 request longer than 255 bytes.
    final var builder = new org.bouncycastle.cert.ocsp.OCSPReqBuilder();
    final var sha1 = new org.bouncycastle.operator.jcajce.JcaDigestCalculatorProviderBuilder().build()
        .get(org.bouncycastle.cert.ocsp.CertificateID.HASH_SHA1);
    final var issuer = new org.bouncycastle.cert.jcajce.JcaX509CertificateHolder(ca.certificate());
    for (int i = 0; i < 3; i++) {
      final X509Certificate c = leaf(spec()).certificate();
      builder.addRequest(new org.bouncycastle.cert.ocsp.CertificateID(sha1, issuer, c.getSerialNumber()));
    }
    final byte[] request = builder.build().getEncoded();
    assertThat(java.util.Base64.getEncoder().encodeToString(request).length()).isGreaterThanOrEqualTo(255);
    final byte[] response = new HttpRevocationFetcher().ocsp(ca.ocspUrl(), request);
    assertThat(new org.bouncycastle.cert.ocsp.OCSPResp(response).getStatus()).isZero();
    assertThat(ca.ocspRequestCount("POST")).isEqualTo(1);
    assertThat(ca.ocspRequestCount("GET")).isZero();
  }

  @Test
  void timestampingPurpose_checksTheSameWay() {
    final Issued tsaLeaf = leaf(CertSpec.timestamping("CN=TSA " + N.incrementAndGet() + ",O=Sigstream,C=US"));
    ca.revoke(tsaLeaf.certificate(), NOW.minusSeconds(5));
    final RevocationResult r = checker.check(tsaLeaf.chain(), Purpose.TIMESTAMPING, null);
    assertThat(r.status()).isEqualTo(RevocationStatus.REVOKED);
    assertThat(r.detail()).startsWith("timestamping certificate #1");
  }

  @Test
  void deltaCrl_revocationsPublishedOnlyInTheDeltaAreFound() throws Exception {
    // Given: a base CRL frozen before the revocation; the certificate names a delta CRL (freshestCRL)
    final Issued leaf = leaf(spec().ocsp(false).deltaCrl(true));
    ca.freezeBaseCrl();
    assertThat(check(leaf).status()).isEqualTo(RevocationStatus.OK);
    // When
    ca.revoke(leaf.certificate(), NOW.minusSeconds(30), CRLReason.keyCompromise, null);
    final RevocationResult r = new OcspCrlRevocationChecker(new HttpRevocationFetcher(), clock)
        .check(leaf.chain(), Purpose.CODE_SIGNING, null);
    // Then
    assertThat(r.status()).as(r.detail()).isEqualTo(RevocationStatus.REVOKED);
    assertThat(r.certificates().get(0).detail()).contains("delta CRL");
    final var base = (java.security.cert.X509CRL) java.security.cert.CertificateFactory.getInstance("X.509")
        .generateCRL(new java.io.ByteArrayInputStream(ca.crl()));
    assertThat(base.getRevokedCertificate(leaf.certificate().getSerialNumber())).isNull(); // only the delta has it
  }

  @Test
  void deltaCrl_removeFromCrlReleasesAHoldInTheBase() {
    final Issued leaf = leaf(spec().ocsp(false).deltaCrl(true));
    ca.revoke(leaf.certificate(), NOW.minusSeconds(300), CRLReason.certificateHold, null);
    ca.freezeBaseCrl();
    assertThat(check(leaf).status()).isEqualTo(RevocationStatus.REVOKED);
    ca.revoke(leaf.certificate(), NOW.minusSeconds(30), CRLReason.removeFromCRL, null);
    final RevocationResult r = new OcspCrlRevocationChecker(new HttpRevocationFetcher(), clock)
        .check(leaf.chain(), Purpose.CODE_SIGNING, null);
    assertThat(r.status()).as(r.detail()).isEqualTo(RevocationStatus.OK);
  }

  @Test
  void deltaCrl_unavailable_isUnknown() {
    final Issued leaf = leaf(spec().ocsp(false).deltaCrl(true));
    ca.freezeBaseCrl();
    final HttpRevocationFetcher http = new HttpRevocationFetcher();
    final RevocationFetcher noDelta = new RevocationFetcher() {
      @Override
      public byte[] fetchCrl(final URI uri) throws java.io.IOException {
        if (uri.getPath().endsWith("-delta.crl")) {
          throw new java.io.IOException("HTTP 404");
        }
        return http.fetchCrl(uri);
      }

      @Override
      public byte[] ocsp(final URI responder, final byte[] request) throws java.io.IOException {
        return http.ocsp(responder, request);
      }
    };
    final RevocationResult r = new OcspCrlRevocationChecker(noDelta, clock)
        .check(leaf.chain(), Purpose.CODE_SIGNING, null);
    assertThat(r.status()).isEqualTo(RevocationStatus.UNKNOWN);
    assertThat(r.certificates().get(0).detail()).contains("delta CRL unavailable");
  }

  @Test
  void deltaCrl_servedAsBase_isRejected() {
    // A delta CRL where the base is expected must not be mistaken for a complete list.
    final Issued leaf = leaf(spec().ocsp(false).crlUrl(ca.deltaCrlUrl()));
    ca.freezeBaseCrl();
    final RevocationResult r = check(leaf);
    assertThat(r.status()).isEqualTo(RevocationStatus.UNKNOWN);
    assertThat(r.certificates().get(0).detail()).contains("delta CRL was served");
  }

  @Test
  void concurrentChecks_areConsistent() throws Exception {
    final Issued good = leaf(spec());
    final Issued bad = leaf(spec());
    ca.revoke(bad.certificate(), NOW.minusSeconds(60));
    final var pool = java.util.concurrent.Executors.newFixedThreadPool(8);
    try {
      final List<java.util.concurrent.Future<RevocationStatus>> results = new java.util.ArrayList<>();
      for (int i = 0; i < 40; i++) {
        final Issued which = i % 2 == 0 ? good : bad;
        results.add(pool.submit(() -> checker.check(which.chain(), Purpose.CODE_SIGNING, null).status()));
      }
      for (int i = 0; i < results.size(); i++) {
        assertThat(results.get(i).get()).isEqualTo(i % 2 == 0 ? RevocationStatus.OK : RevocationStatus.REVOKED);
      }
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void parallelChecking_givesTheSameOrderedResult() {
    // Given: a four-certificate chain whose middle CA is revoked
    final Ca sub = ca.intermediate(CertSpec.ca("CN=Sub CA " + N.incrementAndGet() + ",O=Sigstream,C=US")
        .keyType(KeyType.EC_P256));
    final Issued leaf = sub.leaf(spec());
    ca.revoke(sub.certificate(), NOW.minusSeconds(60));
    final var pool = java.util.concurrent.Executors.newFixedThreadPool(3);
    try {
      // When
      final RevocationResult r = new OcspCrlRevocationChecker(new HttpRevocationFetcher(), clock, 16, 16, pool)
          .check(leaf.chain(), Purpose.CODE_SIGNING, null);
      // Then
      assertThat(r.status()).isEqualTo(RevocationStatus.REVOKED);
      assertThat(r.certificates()).extracting(RevocationResult.CertificateStatus::status)
          .containsExactly(RevocationStatus.OK, RevocationStatus.REVOKED, RevocationStatus.OK);
      assertThat(r.certificates().get(1).subject()).contains("Sub CA");
    } finally {
      pool.shutdownNow();
    }
  }
}
