package dev.sigstream.notary.revocation;

import dev.sigstream.notary.internal.CappedBody;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.Locale;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * {@link RevocationFetcher} over the JDK {@link HttpClient}.
 *
 * <ul>
 *   <li>Only {@code http} URLs: the Notary spec requires it (OCSP and CRL data are signed, so TLS adds nothing, and
 *       an https fetch could itself need revocation checking). Redirects are not followed, so a server cannot bounce
 *       the fetch to another scheme or host.
 *   <li>Every call is bounded: OCSP 2 s and CRL 5 s by default (as the notation CLI), covering connect and the full
 *       response; responses larger than the cap (OCSP 20 KiB as notation-core-go, CRL 32 MiB) fail.
 *   <li>OCSP uses GET with the URL-encoded base64 request when that is shorter than 255 bytes, else POST
 *       {@code application/ocsp-request} (RFC 6960 appendix A.1; as notation-core-go).
 * </ul>
 *
 * <p>Failures (non-200 status, timeout, oversize, connection refused) are {@link IOException}s; the checker turns
 * them into UNKNOWN. Thread-safe.
 */
public final class HttpRevocationFetcher implements RevocationFetcher {

  public static final Duration DEFAULT_OCSP_TIMEOUT = Duration.ofSeconds(2);
  public static final Duration DEFAULT_CRL_TIMEOUT = Duration.ofSeconds(5);
  public static final int DEFAULT_MAX_OCSP_BYTES = 20 * 1024;
  public static final int DEFAULT_MAX_CRL_BYTES = 32 * 1024 * 1024;

  private final HttpClient http;
  private final Duration ocspTimeout;
  private final Duration crlTimeout;
  private final int maxOcspBytes;
  private final int maxCrlBytes;

  /** Defaults: OCSP 2 s / 20 KiB, CRL 5 s / 32 MiB. */
  public HttpRevocationFetcher() {
    this(DEFAULT_OCSP_TIMEOUT, DEFAULT_CRL_TIMEOUT, DEFAULT_MAX_OCSP_BYTES, DEFAULT_MAX_CRL_BYTES);
  }

  public HttpRevocationFetcher(final Duration ocspTimeout, final Duration crlTimeout, final int maxOcspBytes,
      final int maxCrlBytes) {
    this.ocspTimeout = requirePositive(ocspTimeout, "ocspTimeout");
    this.crlTimeout = requirePositive(crlTimeout, "crlTimeout");
    if (maxOcspBytes <= 0 || maxCrlBytes <= 0) {
      throw new IllegalArgumentException("response size caps must be positive");
    }
    this.maxOcspBytes = maxOcspBytes;
    this.maxCrlBytes = maxCrlBytes;
    this.http = HttpClient.newBuilder()
        .followRedirects(HttpClient.Redirect.NEVER)
        .connectTimeout(ocspTimeout.compareTo(crlTimeout) > 0 ? ocspTimeout : crlTimeout)
        .version(HttpClient.Version.HTTP_1_1)
        // Only http URLs are fetched (requireHttp): the TLS stack is never needed, so it is not loaded up front.
        .sslContext(dev.sigstream.net.LazyTls.context())
        .sslParameters(dev.sigstream.net.LazyTls.parameters())
        .build();
  }

  @Override
  public byte[] fetchCrl(final URI uri) throws IOException {
    requireHttp(uri);
    final HttpRequest req = HttpRequest.newBuilder(uri).timeout(crlTimeout).GET().build();
    return send(req, maxCrlBytes, crlTimeout, "CRL");
  }

  @Override
  public byte[] ocsp(final URI responder, final byte[] request) throws IOException {
    requireHttp(responder);
    Objects.requireNonNull(request, "request");
    final String b64 = Base64.getEncoder().encodeToString(request);
    final HttpRequest req;
    if (b64.length() < 255) {
      final String base = responder.toString();
      final String url = (base.endsWith("/") ? base : base + "/") + URLEncoder.encode(b64, StandardCharsets.US_ASCII);
      req = HttpRequest.newBuilder(URI.create(url)).timeout(ocspTimeout).GET().build();
    } else {
      req = HttpRequest.newBuilder(responder).timeout(ocspTimeout)
          .header("Content-Type", "application/ocsp-request")
          .POST(HttpRequest.BodyPublishers.ofByteArray(request)).build();
    }
    return send(req, maxOcspBytes, ocspTimeout, "OCSP");
  }

  private byte[] send(final HttpRequest req, final int cap, final Duration timeout, final String what)
      throws IOException {
    // One deadline for headers and body: the capped subscriber completes only when the whole body has arrived, so a
    // slow-drip or endless response cannot hold the verifier beyond the timeout or fill memory beyond the cap.
    final CompletableFuture<HttpResponse<byte[]>> f = http.sendAsync(req, CappedBody.handler(cap, what + " response"));
    final HttpResponse<byte[]> resp;
    try {
      resp = f.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      f.cancel(true);
      Thread.currentThread().interrupt();
      throw new IOException(what + " fetch interrupted: " + shorten(req.uri()), e);
    } catch (TimeoutException e) {
      f.cancel(true);
      throw new IOException(what + " fetch timed out after " + timeout.toMillis() + " ms: " + shorten(req.uri()), e);
    } catch (ExecutionException e) {
      final Throwable cause = e.getCause() instanceof java.util.concurrent.CompletionException c && c.getCause() != null
          ? c.getCause() : e.getCause();
      throw new IOException(what + " fetch failed: " + shorten(req.uri()) + ": " + cause, cause);
    }
    if (resp.statusCode() != 200) {
      throw new IOException(what + " fetch returned HTTP " + resp.statusCode() + ": " + shorten(req.uri()));
    }
    return resp.body();
  }

  private static void requireHttp(final URI uri) throws IOException {
    if (uri == null || uri.getScheme() == null || !"http".equals(uri.getScheme().toLowerCase(Locale.ROOT))) {
      throw new IOException("only http URLs are fetched for revocation data (spec): " + uri);
    }
    if (uri.getHost() == null) {
      throw new IOException("revocation URL has no host: " + uri);
    }
  }

  /** OCSP GET URLs carry the whole request; keep messages short. */
  private static String shorten(final URI uri) {
    final String s = uri.toString();
    return s.length() > 200 ? s.substring(0, 200) + "…" : s;
  }

  private static Duration requirePositive(final Duration d, final String name) {
    if (d == null || d.isNegative() || d.isZero()) {
      throw new IllegalArgumentException(name + " must be positive");
    }
    return d;
  }
}
