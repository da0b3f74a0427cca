package dev.sigstream.notary.revocation;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.URI;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** Argument and scheme checks of {@link HttpRevocationFetcher} (no network). */
class HttpRevocationFetcherTest {

  final HttpRevocationFetcher fetcher = new HttpRevocationFetcher();

  @Test
  void refusesNonHttpUrls_beforeAnyNetworkAccess() {
    for (final String url : new String[] {"https://127.0.0.1/ocsp", "ldap://127.0.0.1/cn=x", "file:///etc/passwd",
        "ftp://127.0.0.1/x.crl"}) {
      assertThatThrownBy(() -> fetcher.fetchCrl(URI.create(url))).isInstanceOf(IOException.class)
          .hasMessageContaining("only http");
      assertThatThrownBy(() -> fetcher.ocsp(URI.create(url), new byte[] {1})).isInstanceOf(IOException.class)
          .hasMessageContaining("only http");
    }
    assertThatThrownBy(() -> fetcher.fetchCrl(URI.create("http:relative"))).isInstanceOf(IOException.class);
  }

  @Test
  void refusesUnboundedConfiguration() {
    assertThatThrownBy(() -> new HttpRevocationFetcher(Duration.ZERO, Duration.ofSeconds(1), 1, 1))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new HttpRevocationFetcher(Duration.ofSeconds(1), Duration.ofSeconds(-1), 1, 1))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new HttpRevocationFetcher(Duration.ofSeconds(1), Duration.ofSeconds(1), 0, 1))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void connectionRefused_isAnIOException() {
    assertThatThrownBy(() -> fetcher.fetchCrl(URI.create("http://127.0.0.1:1/x.crl")))
        .isInstanceOf(IOException.class);
  }
}
