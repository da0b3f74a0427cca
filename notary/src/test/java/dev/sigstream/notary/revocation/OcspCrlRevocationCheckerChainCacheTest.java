package dev.sigstream.notary.revocation;

import dev.sigstream.testing.MutableClock;
import static org.assertj.core.api.Assertions.assertThat;

import dev.sigstream.notary.revocation.RevocationChecker.Purpose;
import dev.sigstream.testing.pki.Ca;
import dev.sigstream.testing.pki.CertSpec;
import dev.sigstream.testing.pki.Issued;
import dev.sigstream.testing.pki.KeyType;
import dev.sigstream.testing.pki.TestPki;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.URI;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.bouncycastle.asn1.x509.CRLReason;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The chain-level result cache of {@link OcspCrlRevocationChecker}: OCSP responses and CRLs come from the test PKI
 * in process through a counting {@link RevocationFetcher}, and time moves only with a {@link MutableClock}. A
 * chain-cache hit returns the very same {@link RevocationResult} instance (an evidence-cache hit builds a new one).
 */
class OcspCrlRevocationCheckerChainCacheTest {

  static final Instant NOW = Instant.parse("2026-01-01T00:00:00Z");
  static final AtomicInteger N = new AtomicInteger();

  MutableClock clock;
  TestPki pki;
  Ca root;
  Ca ca;
  CountingFetcher fetcher;
  OcspCrlRevocationChecker checker;

  @BeforeEach
  void freshPki() {
    clock = new MutableClock(NOW);
    pki = TestPki.start(clock);
    root = pki.root("CN=Chain Cache Root " + N.incrementAndGet() + ",O=Sigstream,C=US", KeyType.EC_P256);
    ca = root.intermediate(CertSpec.ca("CN=Chain Cache CA " + N.incrementAndGet() + ",O=Sigstream,C=US")
        .keyType(KeyType.EC_P256));
    fetcher = new CountingFetcher(List.of(root, ca));
    checker = new OcspCrlRevocationChecker(fetcher, clock);
  }

  @AfterEach
  void stop() {
    pki.close();
  }

  static CertSpec spec() {
    return CertSpec.leaf("CN=leaf " + N.incrementAndGet() + ",O=Sigstream,C=US");
  }

  RevocationResult check(final List<X509Certificate> chain) {
    return checker.check(chain, Purpose.CODE_SIGNING, null);
  }

  /** The same chain as a verifier would see it: parsed afresh from an envelope, so equal but not identical. */
  static List<X509Certificate> reparsed(final List<X509Certificate> chain) throws CertificateException {
    final CertificateFactory cf = CertificateFactory.getInstance("X.509");
    final List<X509Certificate> out = new ArrayList<>();
    for (final X509Certificate c : chain) {
      out.add((X509Certificate) cf.generateCertificate(new ByteArrayInputStream(c.getEncoded())));
    }
    return out;
  }

  @Test
  void repeatedCheck_isServedFromTheChainCache() throws Exception {
    // Given
    final Issued leaf = ca.leaf(spec());
    final RevocationResult first = check(leaf.chain());
    assertThat(first.status()).as(first.detail()).isEqualTo(RevocationStatus.OK);
    assertThat(fetcher.ocsp.get()).isEqualTo(2); // leaf (from the CA) and intermediate (from the root)
    // When
    final RevocationResult second = check(reparsed(leaf.chain()));
    // Then
    assertThat(second).isSameAs(first);
    assertThat(fetcher.ocsp.get()).isEqualTo(2);
  }

  @Test
  void chainCache_keysOnPurposeAndSigningTime() {
    final Issued leaf = ca.leaf(spec());
    final RevocationResult signing = check(leaf.chain());
    final RevocationResult timestamping = checker.check(leaf.chain(), Purpose.TIMESTAMPING, null);
    final RevocationResult withTime = checker.check(leaf.chain(), Purpose.CODE_SIGNING, NOW.minusSeconds(60));
    assertThat(timestamping).isNotSameAs(signing);
    assertThat(timestamping.detail()).startsWith("no timestamping");
    assertThat(withTime).isNotSameAs(signing);
    assertThat(checker.check(leaf.chain(), Purpose.CODE_SIGNING, NOW.minusSeconds(60))).isSameAs(withTime);
  }

  @Test
  void chainCache_expiresExactlyAtTheEarliestOcspNextUpdate() {
    // Given: the leaf's OCSP answer expires first
    final Issued leaf = ca.leaf(spec());
    ca.ocspNextUpdate(NOW.plus(Duration.ofHours(1)));
    root.ocspNextUpdate(NOW.plus(Duration.ofHours(3)));
    final RevocationResult first = check(leaf.chain());
    // When / Then: just before the earliest nextUpdate, the cached result is served
    clock.advance(Duration.ofHours(1).minusNanos(1));
    assertThat(check(leaf.chain())).isSameAs(first);
    assertThat(fetcher.ocspTo(ca)).isEqualTo(1);
    // At the earliest nextUpdate it is not: the leaf's status is fetched again, the intermediate's is still cached
    clock.advance(Duration.ofNanos(1));
    ca.ocspNextUpdate(NOW.plus(Duration.ofHours(2)));
    final RevocationResult later = check(leaf.chain());
    assertThat(later).isNotSameAs(first);
    assertThat(later.status()).as(later.detail()).isEqualTo(RevocationStatus.OK);
    assertThat(fetcher.ocspTo(ca)).isEqualTo(2);
    assertThat(fetcher.ocspTo(root)).isEqualTo(1);
  }

  @Test
  void chainCache_expiresAtTheCrlNextUpdate_whenItIsEarlierThanOcsp() {
    // Given: the leaf is checked by CRL only, the intermediate by OCSP; the CRL expires first
    final Issued leaf = ca.leaf(spec().ocsp(false));
    ca.crlNextUpdate(NOW.plus(Duration.ofMinutes(30)));
    root.ocspNextUpdate(NOW.plus(Duration.ofHours(3)));
    final RevocationResult first = check(leaf.chain());
    assertThat(first.status()).as(first.detail()).isEqualTo(RevocationStatus.OK);
    clock.advance(Duration.ofMinutes(30).minusNanos(1));
    assertThat(check(leaf.chain())).isSameAs(first);
    assertThat(fetcher.crl.get()).isEqualTo(1);
    // When
    clock.advance(Duration.ofNanos(1));
    ca.crlNextUpdate(NOW.plus(Duration.ofHours(1)));
    // Then
    assertThat(check(leaf.chain())).isNotSameAs(first);
    assertThat(fetcher.crl.get()).isEqualTo(2);
  }

  @Test
  void chainCache_expiresAtTheDeltaCrlNextUpdate_whenItIsEarlierThanTheBase() {
    // Given: the base CRL is valid for an hour, the delta CRL for ten minutes
    final Issued leaf = ca.leaf(spec().ocsp(false).deltaCrl(true));
    ca.freezeBaseCrl();
    fetcher.baseNextUpdate = NOW.plus(Duration.ofHours(1));
    fetcher.deltaNextUpdate = NOW.plus(Duration.ofMinutes(10));
    final RevocationResult first = check(leaf.chain());
    assertThat(first.status()).as(first.detail()).isEqualTo(RevocationStatus.OK);
    assertThat(fetcher.crl.get()).isEqualTo(2); // base and delta
    ca.revoke(leaf.certificate(), NOW, CRLReason.keyCompromise, null);
    clock.advance(Duration.ofMinutes(10).minusNanos(1));
    assertThat(check(leaf.chain())).isSameAs(first);
    // When: the delta has expired (the base has not), the revocation published only in the delta is found
    clock.advance(Duration.ofNanos(1));
    fetcher.deltaNextUpdate = NOW.plus(Duration.ofMinutes(20));
    final RevocationResult r = check(leaf.chain());
    // Then
    assertThat(r.status()).as(r.detail()).isEqualTo(RevocationStatus.REVOKED);
    assertThat(r.certificates().get(0).detail()).contains("delta CRL");
    assertThat(fetcher.crl.get()).isEqualTo(3); // only the delta again; the base came from the CRL cache
  }

  @Test
  void revocationPublishedLater_isReportedOnceTheCachedEvidenceExpires() {
    // Given: a good answer valid for an hour, cached
    final Issued leaf = ca.leaf(spec().crl(false));
    ca.ocspValidity(Duration.ofHours(1));
    assertThat(check(leaf.chain()).status()).isEqualTo(RevocationStatus.OK);
    ca.revoke(leaf.certificate(), NOW.plusSeconds(60));
    // When: the answer is still fresh, the OCSP answer (and so the chain result) may be reused, as in the spec
    clock.advance(Duration.ofMinutes(30));
    assertThat(check(leaf.chain()).status()).isEqualTo(RevocationStatus.OK);
    // Then: at its nextUpdate the responder is asked again and the revocation is reported
    clock.advance(Duration.ofMinutes(30));
    final RevocationResult r = check(leaf.chain());
    assertThat(r.status()).as(r.detail()).isEqualTo(RevocationStatus.REVOKED);
    assertThat(r.certificates().get(0).status()).isEqualTo(RevocationStatus.REVOKED);
    assertThat(fetcher.ocspTo(ca)).isEqualTo(2);
  }

  @Test
  void revokedResult_isCachedUntilNextUpdateToo() {
    final Issued leaf = ca.leaf(spec().crl(false));
    ca.revoke(leaf.certificate(), NOW.minusSeconds(60));
    final RevocationResult first = check(leaf.chain());
    assertThat(first.status()).isEqualTo(RevocationStatus.REVOKED);
    assertThat(check(leaf.chain())).isSameAs(first);
  }

  @Test
  void unknown_isNeverCached() {
    // Given: the responder answers unknown and there is no CRL
    final Issued leaf = ca.leaf(spec().crl(false));
    ca.ocspBehaviour(leaf.certificate(), Ca.OcspBehaviour.UNKNOWN);
    // When
    final RevocationResult first = check(leaf.chain());
    final RevocationResult second = check(leaf.chain());
    // Then: asked every time
    assertThat(first.status()).isEqualTo(RevocationStatus.UNKNOWN);
    assertThat(second.status()).isEqualTo(RevocationStatus.UNKNOWN);
    assertThat(second).isNotSameAs(first);
    assertThat(fetcher.ocspTo(ca)).isEqualTo(2);
    // and a responder that learns of the certificate is heard at once
    ca.ocspBehaviour(leaf.certificate(), Ca.OcspBehaviour.NORMAL);
    assertThat(check(leaf.chain()).status()).isEqualTo(RevocationStatus.OK);
  }

  @Test
  void unknownIntermediate_makesTheChainUncacheable_thoughTheLeafIsGood() {
    // Given: an intermediate with OCSP only, whose responder (the root) answers unknown
    final Ca ocspOnly = root.intermediate(CertSpec.ca("CN=OCSP-only CA " + N.incrementAndGet()
        + ",O=Sigstream,C=US").keyType(KeyType.EC_P256).crl(false));
    root.ocspBehaviour(Ca.OcspBehaviour.UNKNOWN);
    final CountingFetcher f = new CountingFetcher(List.of(root, ocspOnly));
    final OcspCrlRevocationChecker c = new OcspCrlRevocationChecker(f, clock);
    final Issued leaf = ocspOnly.leaf(spec());
    // When
    final RevocationResult first = c.check(leaf.chain(), Purpose.CODE_SIGNING, null);
    final RevocationResult second = c.check(leaf.chain(), Purpose.CODE_SIGNING, null);
    // Then
    assertThat(first.certificates()).extracting(RevocationResult.CertificateStatus::status)
        .containsExactly(RevocationStatus.OK, RevocationStatus.UNKNOWN);
    assertThat(second.status()).isEqualTo(RevocationStatus.UNKNOWN);
    assertThat(f.ocspTo(root)).isEqualTo(2);
    assertThat(f.ocspTo(ocspOnly)).isEqualTo(1); // the leaf's good answer came from the OCSP answer cache
  }

  @Test
  void ocspAnswerWithoutNextUpdate_isNotCached() {
    final Issued leaf = ca.leaf(spec().crl(false));
    ca.ocspWithoutNextUpdate(true);
    final RevocationResult first = check(leaf.chain());
    assertThat(first.status()).as(first.detail()).isEqualTo(RevocationStatus.OK);
    assertThat(check(leaf.chain())).isNotSameAs(first);
    assertThat(fetcher.ocspTo(ca)).isEqualTo(2);
  }

  @Test
  void crlFallbackAfterAnOcspFailure_isNotCached_soOcspIsAskedAgain() {
    final Issued leaf = ca.leaf(spec());
    ca.ocspBehaviour(leaf.certificate(), Ca.OcspBehaviour.UNKNOWN);
    final RevocationResult first = check(leaf.chain());
    assertThat(first.status()).isEqualTo(RevocationStatus.OK);
    assertThat(first.certificates().get(0).method()).isEqualTo("ocsp-fallback-crl");
    // OCSP starts answering and knows of a revocation the cached CRL does not list yet
    ca.ocspBehaviour(leaf.certificate(), Ca.OcspBehaviour.NORMAL);
    ca.revoke(leaf.certificate(), NOW);
    final RevocationResult r = check(leaf.chain());
    assertThat(r.status()).isEqualTo(RevocationStatus.REVOKED);
    assertThat(r.certificates().get(0).method()).isEqualTo("ocsp");
  }

  @Test
  void chainCache_isOff_whenTheEvidenceCachesAre() {
    final Issued leaf = ca.leaf(spec().crl(false));
    final OcspCrlRevocationChecker uncached = new OcspCrlRevocationChecker(fetcher, clock, 0, 0);
    uncached.check(leaf.chain(), Purpose.CODE_SIGNING, null);
    uncached.check(leaf.chain(), Purpose.CODE_SIGNING, null);
    assertThat(fetcher.ocspTo(ca)).isEqualTo(2);
  }

  @Test
  void nonRevocableChain_isCached() {
    final Issued leaf = ca.leaf(spec().noRevocationInfo());
    final List<X509Certificate> chain = List.of(leaf.certificate(), ca.certificate());
    final RevocationResult first = check(chain);
    assertThat(first.status()).isEqualTo(RevocationStatus.OK);
    clock.advance(Duration.ofDays(3650));
    assertThat(check(chain)).isSameAs(first);
    assertThat(fetcher.ocsp.get() + fetcher.crl.get()).isZero();
  }

  /** Serves each CA's OCSP responses and CRLs in process, counting requests per responder. */
  static final class CountingFetcher implements RevocationFetcher {
    final List<Ca> cas;
    final AtomicInteger ocsp = new AtomicInteger();
    final AtomicInteger crl = new AtomicInteger();
    final java.util.Map<URI, AtomicInteger> perResponder = new java.util.concurrent.ConcurrentHashMap<>();
    /** When set, the nextUpdate of the base (resp. delta) CRLs served; else the CA's own setting. */
    Instant baseNextUpdate;
    Instant deltaNextUpdate;

    CountingFetcher(final List<Ca> cas) {
      this.cas = cas;
    }

    int ocspTo(final Ca c) {
      final AtomicInteger n = perResponder.get(c.ocspUrl());
      return n == null ? 0 : n.get();
    }

    @Override
    public byte[] fetchCrl(final URI uri) throws IOException {
      crl.incrementAndGet();
      for (final Ca c : cas) {
        if (uri.equals(c.crlUrl())) {
          if (baseNextUpdate != null) {
            c.crlNextUpdate(baseNextUpdate);
          }
          return c.crl();
        }
        if (uri.equals(c.deltaCrlUrl())) {
          if (deltaNextUpdate != null) {
            c.crlNextUpdate(deltaNextUpdate);
          }
          return c.deltaCrl();
        }
      }
      throw new IOException("HTTP 404");
    }

    @Override
    public byte[] ocsp(final URI responder, final byte[] request) throws IOException {
      ocsp.incrementAndGet();
      perResponder.computeIfAbsent(responder, k -> new AtomicInteger()).incrementAndGet();
      for (final Ca c : cas) {
        if (responder.equals(c.ocspUrl())) {
          return c.ocspResponse(request);
        }
      }
      throw new IOException("HTTP 404");
    }
  }
}
