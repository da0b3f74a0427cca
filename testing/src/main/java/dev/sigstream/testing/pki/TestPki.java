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

  private final Clock clock;
  private final HttpServer server;
  private final ExecutorService executor;
  private final URI baseUrl;
  private final CountDownLatch closing = new CountDownLatch(1);
  private final Map<String, Ca> cas = new ConcurrentHashMap<>();
  private final Map<String, Tsa> tsas = new ConcurrentHashMap<>();
  private final AtomicInteger ids = new AtomicInteger();
  private volatile Tsa defaultTsa;

  private TestPki(final Clock clock) throws IOException {
    this.clock = clock;
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
      return new TestPki(clock);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot start the test PKI HTTP server", e);
    }
  }

  public Clock clock() {
    return clock;
  }

  /** http://127.0.0.1:port/ of the loopback server. */
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
    server.stop(0);
    executor.shutdownNow();
  }

  // ---------------------------------------------------------------- HTTP handlers

  private void handleOcsp(final HttpExchange ex) throws IOException {
    try (ex) {
      final String rest = ex.getRequestURI().getRawPath().substring("/ocsp/".length());
      final int slash = rest.indexOf('/');
      final Ca ca = cas.get(slash < 0 ? rest : rest.substring(0, slash));
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
      switch (ca.behaviourFor(request, ex.getRequestMethod())) {
        case DOWN -> send(ex, 503, "text/plain", "responder down".getBytes(StandardCharsets.UTF_8));
        case HANG -> {
          awaitClose();
          send(ex, 503, "text/plain", new byte[0]);
        }
        case MALFORMED -> send(ex, 200, "application/ocsp-response", "not ocsp".getBytes(StandardCharsets.UTF_8));
        case OVERSIZED -> send(ex, 200, "application/ocsp-response", new byte[64 * 1024]);
        default -> send(ex, 200, "application/ocsp-response", ca.ocspResponse(request));
      }
    } catch (RuntimeException e) {
      // A bug in the test PKI must be visible, not look like a network failure.
      log.error("test PKI OCSP handler failed", e);
      throw e;
    }
  }

  private void handleCrl(final HttpExchange ex) throws IOException {
    try (ex) {
      String name = ex.getRequestURI().getRawPath().substring("/crl/".length());
      name = name.endsWith(".crl") ? name.substring(0, name.length() - 4) : name;
      final boolean delta = name.endsWith("-delta");
      final Ca ca = cas.get(delta ? name.substring(0, name.length() - "-delta".length()) : name);
      if (ca == null || !"GET".equals(ex.getRequestMethod())) {
        send(ex, 404, "text/plain", new byte[0]);
        return;
      }
      ca.countCrlRequest();
      switch (ca.crlBehaviour()) {
        case DOWN -> send(ex, 503, "text/plain", new byte[0]);
        case MALFORMED -> send(ex, 200, "application/pkix-crl", "not a crl".getBytes(StandardCharsets.UTF_8));
        default -> send(ex, 200, "application/pkix-crl", delta ? ca.deltaCrl() : ca.crl());
      }
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
