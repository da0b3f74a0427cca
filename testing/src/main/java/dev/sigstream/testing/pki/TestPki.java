package dev.sigstream.testing.pki;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.Provider;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import org.bouncycastle.jce.provider.BouncyCastleProvider;

/**
 * A BouncyCastle test PKI for Notary Project tests: CA hierarchies with chosen key types and certificate profiles,
 * CRLs, an OCSP responder and an RFC 3161 timestamp authority, the last three served over loopback HTTP.
 *
 * <pre>{@code
 * try (TestPki pki = TestPki.start(clock)) {                       // or TestPki.start() with the system clock
 *   Ca root = pki.root("CN=Test Root,O=Sigstream,C=US", KeyType.RSA_4096);
 *   Ca ca = root.intermediate("CN=Test CA,O=Sigstream,C=US", KeyType.RSA_3072);
 *   Issued signer = ca.leaf(CertSpec.leaf("CN=signer,O=Sigstream,ST=WA,C=US").keyType(KeyType.EC_P256));
 *   signer.chain();                                  // leaf, intermediate, root: the envelope's x5c
 *   signer.privateKey();                             // sign with it
 *
 *   ca.revoke(signer.certificate(), clock.instant()); // now on ca.crlUrl() and answered "revoked" by ca.ocspUrl()
 *   ca.ocspBehaviour(signer.certificate(), Ca.OcspBehaviour.UNKNOWN);   // or DOWN, HANG, TRY_LATER, MALFORMED
 *   ca.crlNextUpdate(clock.instant().minusSeconds(60));                 // a stale CRL
 *   ca.ocspSigner(Ca.OcspSigner.WRONG_KEY);          // or DELEGATED, DELEGATED_WITHOUT_EKU, ...
 *   ca.crlBehaviour(Ca.CrlBehaviour.BAD_SIGNATURE);  // or DOWN, UNKNOWN_CRITICAL_EXTENSION, MALFORMED
 *   ca.ocspRequestCount(); ca.crlRequestCount();     // requests the servers have seen (for cache tests)
 *
 *   // Negative certificate profiles: key type, validity, key usage, EKU, basicConstraints, SHA-1, URLs...
 *   Issued bad = ca.leaf(CertSpec.leaf("CN=x,O=Sigstream,C=US").keyType(KeyType.RSA_2048)
 *       .signatureAlgorithm("SHA1withRSA").eku(CertSpec.Eku.NONE).noRevocationInfo());
 *   Issued selfSigned = pki.selfSignedLeaf(CertSpec.leaf("CN=alone,O=Sigstream,ST=WA,C=US"));
 *
 *   Tsa tsa = pki.tsa();                             // own root + TSA leaf (critical timeStamping EKU)
 *   byte[] token = tsa.timestampData(signature, "SHA-256");        // in-process DER TimeStampToken over
 *                                                    // SHA-256(signature); or tsa.timestamp(imprint, "SHA-256")
 *   URI tsaUrl = tsa.url();                          // or over HTTP (application/timestamp-query)
 *   X509Certificate tsaRoot = tsa.rootCertificate(); // for the "tsa" trust store
 *   tsa.ca().revoke(tsa.tsaCertificate().certificate(), clock.instant());   // a revoked TSA
 *   Tsa odd = pki.tsa(TsaSpec.defaults().ess(TsaSpec.Ess.V1_ONLY)           // tokens a verifier must reject
 *       .accuracy(null).genTimeClock(otherClock).leaf(s -> s.ekuCritical(false)));
 * }
 * }</pre>
 *
 * <p>Every certificate a CA issues embeds that CA's OCSP (authorityInfoAccess) and CRL (cRLDistributionPoints) URLs
 * unless its {@link CertSpec} says otherwise; roots never do. Delta CRLs: {@link CertSpec#deltaCrl(boolean)} embeds
 * freshestCRL and {@link Ca#freezeBaseCrl()} splits later revocations into {@link Ca#deltaCrl()}. Key pairs are
 * generated fresh for every certificate (RSA-4096 costs about a second; EC is cheap). Certificate validity defaults
 * to the PKI clock's "now" (leaf: one hour before until 365 days after; CA: 5 years; root: 10 years). CRL thisUpdate,
 * OCSP thisUpdate/producedAt and TSA genTime come from the same clock, so start the PKI with the clock under test
 * (e.g. fixed at 2026-01-01T00:00:00Z) and give the verifier the same clock.
 *
 * <p>Unit tests need no server: {@link #offline(Clock)} mints the same certificates, CRLs, OCSP responses and
 * timestamp tokens in-process. Certificates then carry URLs under {@code http://test-pki.invalid/} (a reserved name
 * that never resolves), which {@link #ocsp(URI, byte[])}, {@link #crl(URI)} and {@link #timestampQuery(URI, byte[])}
 * answer exactly as the HTTP handlers would, behaviours included; a revocation fetcher or TSA client of the code under
 * test can delegate to them.
 *
 * <pre>{@code
 * TestPki pki = TestPki.offline(Clock.fixed(Instant.parse("2026-01-01T00:00:00Z"), ZoneOffset.UTC));
 * RevocationFetcher fetcher = new RevocationFetcher() {            // notary's port, in the test
 *   public byte[] fetchCrl(URI uri) throws IOException { return pki.crl(uri); }
 *   public byte[] ocsp(URI uri, byte[] request) throws IOException { return pki.ocsp(uri, request); }
 * };
 * }</pre>
 *
 * <p>The servers use the JDK's {@code com.sun.net.httpserver} (module {@code jdk.httpserver}): it is an exported,
 * supported JDK API, needs no dependency, binds to 127.0.0.1 on a free port, and is used only here, in test-scoped
 * code, so the production modules stay free of any HTTP server. Handlers run on a cached thread pool, so a
 * {@link Ca.OcspBehaviour#HANG hanging} request does not block others; hung requests are released by
 * {@link #close()}.
 *
 * <p>Thread-safe. Close it to stop the servers.
 */
public final class TestPki implements AutoCloseable {

  static final Provider BC = new BouncyCastleProvider();
  private static final org.slf4j.Logger log = org.slf4j.LoggerFactory.getLogger(TestPki.class);

  /** Base URL of an {@link #offline} PKI: {@code .invalid} is reserved (RFC 2606), so nothing can ever answer it. */
  static final URI OFFLINE_BASE_URL = URI.create("http://test-pki.invalid/");

  private final Clock clock;
  /** Null when offline. */
  private final HttpServer server;
  /** Null when offline. */
  private final ExecutorService executor;
  private final URI baseUrl;
  private final CountDownLatch closing = new CountDownLatch(1);
  private final Map<String, Ca> cas = new ConcurrentHashMap<>();
  private final Map<String, Tsa> tsas = new ConcurrentHashMap<>();
  private final AtomicInteger ids = new AtomicInteger();
  private volatile Tsa defaultTsa;

  private TestPki(final Clock clock, final boolean serve) throws IOException {
    this.clock = clock;
    if (!serve) {
      this.executor = null;
      this.server = null;
      this.baseUrl = OFFLINE_BASE_URL;
      return;
    }
    this.executor = Executors.newCachedThreadPool(r -> {
      final Thread t = new Thread(r, "test-pki-http");
      t.setDaemon(true);
      return t;
    });
    this.server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.setExecutor(executor);
    server.createContext("/ocsp/", this::handleOcsp);
    server.createContext("/crl/", this::handleCrl);
    server.createContext("/tsa/", this::handleTsa);
    server.start();
    this.baseUrl = URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/");
  }

  /** Starts a PKI whose CRLs, OCSP responses, default validity windows and TSA genTime use the system clock. */
  public static TestPki start() {
    return start(Clock.systemUTC());
  }

  /** Starts a PKI on {@code clock}. */
  public static TestPki start(final Clock clock) {
    try {
      return new TestPki(clock, true);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot start the test PKI HTTP server", e);
    }
  }

  /**
   * A PKI on {@code clock} without any server, for plain unit tests: everything is minted in-process, and the URLs
   * embedded in certificates are answered by {@link #ocsp}, {@link #crl} and {@link #timestampQuery}.
   */
  public static TestPki offline(final Clock clock) {
    try {
      return new TestPki(clock, false);
    } catch (IOException e) {
      throw new UncheckedIOException(e); // unreachable: nothing is bound offline
    }
  }

  /** Whether this PKI serves over loopback HTTP (false for {@link #offline}). */
  public boolean serving() {
    return server != null;
  }

  public Clock clock() {
    return clock;
  }

  /** http://127.0.0.1:port/ of the loopback server, or {@code http://test-pki.invalid/} when offline. */
  public URI baseUrl() {
    return baseUrl;
  }

  /** A self-signed root CA (basicConstraints cA=true critical; keyUsage keyCertSign, cRLSign critical). */
  public Ca root(final String dn, final KeyType keyType) {
    return root(CertSpec.ca(dn).keyType(keyType));
  }

  /** A self-signed root CA from a spec (start from {@link CertSpec#ca(String)}; OCSP/CRL URLs are never embedded). */
  public Ca root(final CertSpec spec) {
    final KeyPair kp = spec.keyPair != null ? spec.keyPair : spec.keyType.generate();
    final X509Certificate cert = Ca.selfSigned(spec, kp, clock.instant());
    return register(id -> new Ca(this, id, cert, kp.getPrivate(), spec.keyType, List.of(cert)));
  }

  /** A self-signed end-entity certificate (e.g. a Notary single-certificate chain); no CA behind it. */
  public Issued selfSignedLeaf(final CertSpec spec) {
    final KeyPair kp = spec.keyPair != null ? spec.keyPair : spec.keyType.generate();
    final X509Certificate cert = Ca.selfSigned(spec, kp, clock.instant());
    return new Issued(cert, kp.getPrivate(), List.of(cert));
  }

  /** The default timestamp authority (created on first use). */
  public Tsa tsa() {
    synchronized (this) {
      if (defaultTsa == null) {
        defaultTsa = tsa(TsaSpec.defaults());
      }
      return defaultTsa;
    }
  }

  /** A new timestamp authority with its own root. */
  public Tsa tsa(final TsaSpec spec) {
    final String id = "tsa" + ids.incrementAndGet();
    final Tsa t = new Tsa(this, id, spec);
    tsas.put(id, t);
    return t;
  }

  Ca register(final Function<String, Ca> factory) {
    final String id = "ca" + ids.incrementAndGet();
    final Ca ca = factory.apply(id);
    cas.put(id, ca);
    return ca;
  }

  @Override
  public void close() {
    closing.countDown();
    if (server != null) {
      server.stop(0);
      executor.shutdownNow();
    }
  }

  // ---------------------------------------------------------------- in-process answers

  /**
   * The OCSP answer for a responder URL of this PKI, in-process, as a POST to it would get over HTTP: the CA's
   * behaviours apply and are counted (method {@code POST}).
   *
   * @throws IOException where the HTTP client would fail: unknown URL (404), responder {@code DOWN} (503), or
   *     {@code HANG} ({@link java.net.http.HttpTimeoutException}, as a client timeout)
   */
  public byte[] ocsp(final URI url, final byte[] request) throws IOException {
    final Ca ca = ocspCa(localPath(url, "/ocsp/"));
    if (ca == null) {
      throw new IOException("HTTP 404 from " + url);
    }
    final OcspAnswer a = ocspAnswer(ca, request, "POST");
    if (a == OcspAnswer.HANG) {
      throw new java.net.http.HttpTimeoutException("request timed out: " + url);
    }
    if (a.status() != 200) {
      throw new IOException("HTTP " + a.status() + " from " + url);
    }
    return a.body();
  }

  /**
   * The CRL (base or delta) at a CRL URL of this PKI, in-process, as a GET would get over HTTP.
   *
   * @throws IOException for an unknown URL (404) or a CRL endpoint that is {@code DOWN} (503)
   */
  public byte[] crl(final URI url) throws IOException {
    final String path = localPath(url, "/crl/");
    final CrlAnswer a = path == null ? new CrlAnswer(404, new byte[0]) : crlAnswer(path);
    if (a.status() != 200) {
      throw new IOException("HTTP " + a.status() + " from " + url);
    }
    return a.body();
  }

  /**
   * The DER TimeStampResp a TSA URL of this PKI gives to an RFC 3161 request, in-process.
   *
   * @throws IOException for an unknown URL (404) or a TSA that is {@code DOWN} (503)
   */
  public byte[] timestampQuery(final URI url, final byte[] request) throws IOException {
    final String path = localPath(url, "/tsa/");
    final Tsa tsa = path == null ? null : tsas.get(path);
    if (tsa == null) {
      throw new IOException("HTTP 404 from " + url);
    }
    final byte[] resp = tsa.respond(request);
    if (resp == null) {
      throw new IOException("HTTP 503 from " + url);
    }
    return resp;
  }

  /** The path of {@code url} after {@code prefix} when the URL is this PKI's, else null. */
  private String localPath(final URI url, final String prefix) {
    final String base = baseUrl.toString();
    final String u = url.toString();
    if (!u.startsWith(base.substring(0, base.length() - 1) + prefix)) {
      return null;
    }
    return url.getRawPath().substring(prefix.length());
  }

  private Ca ocspCa(final String rest) {
    if (rest == null) {
      return null;
    }
    final int slash = rest.indexOf('/');
    return cas.get(slash < 0 ? rest : rest.substring(0, slash));
  }

  /** What the OCSP responder answers: an HTTP status and body, or {@link #HANG}. */
  private record OcspAnswer(int status, String contentType, byte[] body) {
    static final OcspAnswer HANG = new OcspAnswer(0, "", new byte[0]);
  }

  private static OcspAnswer ocspAnswer(final Ca ca, final byte[] request, final String method) {
    return switch (ca.behaviourFor(request, method)) {
      case DOWN -> new OcspAnswer(503, "text/plain", "responder down".getBytes(StandardCharsets.UTF_8));
      case HANG -> OcspAnswer.HANG;
      case MALFORMED -> new OcspAnswer(200, "application/ocsp-response", "not ocsp".getBytes(StandardCharsets.UTF_8));
      case OVERSIZED -> new OcspAnswer(200, "application/ocsp-response", new byte[64 * 1024]);
      default -> new OcspAnswer(200, "application/ocsp-response", ca.ocspResponse(request));
    };
  }

  private record CrlAnswer(int status, byte[] body) {}

  /** @param name what follows {@code /crl/}: {@code <ca>.crl} or {@code <ca>-delta.crl} */
  private CrlAnswer crlAnswer(final String path) {
    final String name = path.endsWith(".crl") ? path.substring(0, path.length() - 4) : path;
    final boolean delta = name.endsWith("-delta");
    final Ca ca = cas.get(delta ? name.substring(0, name.length() - "-delta".length()) : name);
    if (ca == null) {
      return new CrlAnswer(404, new byte[0]);
    }
    ca.countCrlRequest();
    return switch (ca.crlBehaviour()) {
      case DOWN -> new CrlAnswer(503, new byte[0]);
      case MALFORMED -> new CrlAnswer(200, "not a crl".getBytes(StandardCharsets.UTF_8));
      default -> new CrlAnswer(200, delta ? ca.deltaCrl() : ca.crl());
    };
  }

  // ---------------------------------------------------------------- HTTP handlers

  private void handleOcsp(final HttpExchange ex) throws IOException {
    try (ex) {
      final String rest = ex.getRequestURI().getRawPath().substring("/ocsp/".length());
      final int slash = rest.indexOf('/');
      final Ca ca = ocspCa(rest);
      if (ca == null) {
        send(ex, 404, "text/plain", "no such CA".getBytes(StandardCharsets.UTF_8));
        return;
      }
      final byte[] request;
      if ("POST".equals(ex.getRequestMethod())) {
        request = readAll(ex.getRequestBody());
      } else if ("GET".equals(ex.getRequestMethod()) && slash >= 0) {
        // RFC 6960 appendix A.1: GET {url}/{url-encoding of base-64 encoding of the DER OCSPRequest}
        final String b64 = URLDecoder.decode(rest.substring(slash + 1), StandardCharsets.UTF_8);
        try {
          request = Base64.getDecoder().decode(b64);
        } catch (IllegalArgumentException e) {
          send(ex, 400, "text/plain", "bad base64".getBytes(StandardCharsets.UTF_8));
          return;
        }
      } else {
        send(ex, 405, "text/plain", new byte[0]);
        return;
      }
      final OcspAnswer a = ocspAnswer(ca, request, ex.getRequestMethod());
      if (a == OcspAnswer.HANG) {
        awaitClose();
        send(ex, 503, "text/plain", new byte[0]);
      } else {
        send(ex, a.status(), a.contentType(), a.body());
      }
    } catch (RuntimeException e) {
      // A bug in the test PKI must be visible, not look like a network failure.
      log.error("test PKI OCSP handler failed", e);
      throw e;
    }
  }

  private void handleCrl(final HttpExchange ex) throws IOException {
    try (ex) {
      if (!"GET".equals(ex.getRequestMethod())) {
        send(ex, 404, "text/plain", new byte[0]);
        return;
      }
      final CrlAnswer a = crlAnswer(ex.getRequestURI().getRawPath().substring("/crl/".length()));
      send(ex, a.status(), a.status() == 200 ? "application/pkix-crl" : "text/plain", a.body());
    }
  }

  private void handleTsa(final HttpExchange ex) throws IOException {
    try (ex) {
      final Tsa tsa = tsas.get(ex.getRequestURI().getRawPath().substring("/tsa/".length()));
      if (tsa == null || !"POST".equals(ex.getRequestMethod())) {
        send(ex, 404, "text/plain", new byte[0]);
        return;
      }
      final byte[] resp = tsa.respond(readAll(ex.getRequestBody()));
      if (resp == null) {
        send(ex, 503, "text/plain", new byte[0]);
      } else {
        send(ex, 200, "application/timestamp-reply", resp);
      }
    }
  }

  private void awaitClose() {
    try {
      closing.await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static byte[] readAll(final InputStream in) throws IOException {
    return in.readNBytes(1 << 20);
  }

  private static void send(final HttpExchange ex, final int status, final String type, final byte[] body)
      throws IOException {
    ex.getResponseHeaders().set("Content-Type", type);
    ex.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
    if (body.length > 0) {
      try (OutputStream out = ex.getResponseBody()) {
        out.write(body);
      }
    }
  }
}
