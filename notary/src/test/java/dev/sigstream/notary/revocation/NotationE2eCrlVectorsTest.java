package dev.sigstream.notary.revocation;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sigstream.testing.Reference;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Vectors README section 7 (notation e2e CRL set): the CRL files are served, in place, at the URLs the certificates
 * name (http://localhost:10086/...), through a fetcher that maps those URLs to the files. The intermediate's OCSP URL
 * (http://localhost.test/ocsp) is unreachable on purpose, so its check falls back to the CRL.
 */
class NotationE2eCrlVectorsTest {

  static final Clock CLOCK = Clock.fixed(Instant.parse("2026-01-01T00:00:00Z"), ZoneOffset.UTC);
  static final String DIR = "notary/vectors/notation-e2e/crl/";
  static List<X509Certificate> chain;

  @BeforeAll
  static void loadChain() throws Exception {
    try (InputStream in = Files.newInputStream(Reference.resolve(DIR + "certchain_with_crl.pem"))) {
      chain = new ArrayList<>();
      for (final var c : CertificateFactory.getInstance("X.509").generateCertificates(in)) {
        chain.add((X509Certificate) c);
      }
    }
    assertThat(chain).hasSize(3);
  }

  /** Maps the two CRL URLs to vector files; every OCSP call fails like an unreachable host. */
  static class FileFetcher implements RevocationFetcher {
    final Map<String, Path> crls;
    final AtomicInteger ocspCalls = new AtomicInteger();
    final AtomicInteger crlCalls = new AtomicInteger();

    FileFetcher(final String leafCrl, final String intermediateCrl) {
      crls = Map.of("http://localhost:10086/leaf.crl", Reference.resolve(DIR + leafCrl),
          "http://localhost:10086/intermediate.crl", Reference.resolve(DIR + intermediateCrl));
    }

    @Override
    public byte[] fetchCrl(final URI uri) throws IOException {
      crlCalls.incrementAndGet();
      final Path p = crls.get(uri.toString());
      if (p == null) {
        throw new IOException("connection refused: " + uri);
      }
      return Files.readAllBytes(p);
    }

    @Override
    public byte[] ocsp(final URI responder, final byte[] request) throws IOException {
      ocspCalls.incrementAndGet();
      throw new IOException("unknown host: " + responder.getHost());
    }
  }

  @Test
  void chainIsOk_whenNeitherCertificateIsListed() {
    // Given
    final FileFetcher fetcher = new FileFetcher("leaf.crl", "intermediate.crl");
    // When
    final RevocationResult r = new OcspCrlRevocationChecker(fetcher, CLOCK)
        .check(chain, RevocationChecker.Purpose.CODE_SIGNING, null);
    // Then
    assertThat(r.status()).as(r.detail()).isEqualTo(RevocationStatus.OK);
    assertThat(r.certificates()).hasSize(2);
    assertThat(r.certificates().get(0).method()).isEqualTo("crl");
    assertThat(r.certificates().get(1).method()).isEqualTo("ocsp-fallback-crl");
    assertThat(r.certificates().get(1).detail()).contains("localhost.test");
    assertThat(fetcher.ocspCalls).hasValue(1);
  }

  @Test
  void chainIsRevoked_whenLeafIsListed() {
    final RevocationResult r = new OcspCrlRevocationChecker(new FileFetcher("leaf_revoked.crl", "intermediate.crl"),
        CLOCK).check(chain, RevocationChecker.Purpose.CODE_SIGNING, null);
    assertThat(r.status()).isEqualTo(RevocationStatus.REVOKED);
    assertThat(r.certificates().get(0).status()).isEqualTo(RevocationStatus.REVOKED);
    assertThat(r.certificates().get(0).detail()).contains("2024-11-11T05:30:52Z");
    assertThat(r.certificates().get(1).status()).isEqualTo(RevocationStatus.OK);
    assertThat(r.detail()).contains("LeafCert").contains("revoked");
  }

  @Test
  void chainIsRevoked_whenIntermediateIsListed() {
    final RevocationResult r = new OcspCrlRevocationChecker(new FileFetcher("leaf.crl", "intermediate_revoked.crl"),
        CLOCK).check(chain, RevocationChecker.Purpose.CODE_SIGNING, null);
    assertThat(r.status()).isEqualTo(RevocationStatus.REVOKED);
    assertThat(r.certificates().get(0).status()).isEqualTo(RevocationStatus.OK);
    assertThat(r.certificates().get(1).status()).isEqualTo(RevocationStatus.REVOKED);
    assertThat(r.certificates().get(1).method()).isEqualTo("ocsp-fallback-crl");
  }

  @Test
  void unknown_whenCrlSignedByAnotherIssuerIsServed() {
    // The leaf CRL is signed by the intermediate; served as the intermediate's CRL it names the wrong issuer.
    final RevocationResult r = new OcspCrlRevocationChecker(new FileFetcher("leaf.crl", "leaf.crl"), CLOCK)
        .check(chain, RevocationChecker.Purpose.CODE_SIGNING, null);
    assertThat(r.status()).isEqualTo(RevocationStatus.UNKNOWN);
    assertThat(r.certificates().get(0).status()).isEqualTo(RevocationStatus.OK);
    assertThat(r.certificates().get(1).status()).isEqualTo(RevocationStatus.UNKNOWN);
    assertThat(r.certificates().get(1).detail()).contains("not the certificate's issuer");
  }

  @Test
  void unknown_whenCrlSignatureIsTampered() {
    final RevocationResult r = new OcspCrlRevocationChecker(new FileFetcher("leaf.crl", "intermediate.crl") {
      @Override
      public byte[] fetchCrl(final URI uri) throws IOException {
        return uri.toString().endsWith("leaf.crl") ? tamper(super.fetchCrl(uri)) : super.fetchCrl(uri);
      }
    }, CLOCK).check(chain, RevocationChecker.Purpose.CODE_SIGNING, null);
    assertThat(r.status()).isEqualTo(RevocationStatus.UNKNOWN);
    assertThat(r.certificates().get(0).detail()).contains("signature");
  }

  @Test
  void unknown_whenCrlIsUnreachable() {
    final RevocationResult r = new OcspCrlRevocationChecker(new FileFetcher("leaf.crl", "intermediate.crl") {
      @Override
      public byte[] fetchCrl(final URI uri) throws IOException {
        throw new IOException("timed out");
      }
    }, CLOCK).check(chain, RevocationChecker.Purpose.CODE_SIGNING, null);
    assertThat(r.status()).isEqualTo(RevocationStatus.UNKNOWN);
  }

  @Test
  void secondCheck_isServedFromCache() {
    final FileFetcher fetcher = new FileFetcher("leaf.crl", "intermediate.crl");
    final OcspCrlRevocationChecker checker = new OcspCrlRevocationChecker(fetcher, CLOCK);
    checker.check(chain, RevocationChecker.Purpose.CODE_SIGNING, null);
    final RevocationResult second = checker.check(chain, RevocationChecker.Purpose.CODE_SIGNING, null);
    assertThat(second.status()).isEqualTo(RevocationStatus.OK);
    assertThat(fetcher.crlCalls).hasValue(2);
    assertThat(second.certificates().get(0).detail()).contains("cached");
  }

  @Test
  void unknown_whenTheClockIsPastTheCrlNextUpdate() {
    final Clock late = Clock.fixed(Instant.parse("2124-10-19T00:00:00Z"), ZoneOffset.UTC);
    final RevocationResult r = new OcspCrlRevocationChecker(new FileFetcher("leaf.crl", "intermediate.crl"), late)
        .check(chain, RevocationChecker.Purpose.CODE_SIGNING, null);
    assertThat(r.status()).isEqualTo(RevocationStatus.UNKNOWN);
    assertThat(r.certificates().get(0).detail()).contains("expired");
  }

  /** Flip one bit in the signature value (the last byte of the DER). */
  static byte[] tamper(final byte[] der) {
    final byte[] copy = der.clone();
    copy[copy.length - 1] ^= 1;
    return copy;
  }
}
