package dev.sigstream.notary.timestamp;

import dev.sigstream.notary.internal.CappedBody;
import java.io.IOException;
import java.math.BigInteger;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.cmp.PKIStatus;
import org.bouncycastle.asn1.nist.NISTObjectIdentifiers;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cms.jcajce.JcaSimpleSignerInfoVerifierBuilder;
import dev.sigstream.notary.internal.BcProvider;
import org.bouncycastle.tsp.TimeStampRequest;
import org.bouncycastle.tsp.TimeStampRequestGenerator;
import org.bouncycastle.tsp.TimeStampResponse;
import org.bouncycastle.tsp.TimeStampToken;

/**
 * RFC 3161 client over HTTP ({@code application/timestamp-query}), used when signing with {@code notary.x509}.
 *
 * <p>Each request carries a random 64-bit nonce and certReq=true. The response is accepted only if it is granted
 * (or granted with modifications), its token covers exactly the requested hash algorithm and imprint, echoes the
 * nonce, is TSTInfo version 1, includes the TSA certificate named by the token's signer, and that certificate
 * verifies the token's CMS signature. Trust in the TSA (chain to a {@code tsa} root, revocation) is not decided here:
 * the verifier does that. Any failure is an {@link IOException}, which fails signing (spec).
 *
 * <p>Bounded: connect, response and body together within the timeout; responses over 1 MiB are refused. http and
 * https URLs are both allowed (the token is signed; https only adds privacy). Thread-safe.
 */
public final class HttpTsaClient implements TsaClient {

  static final int MAX_RESPONSE_BYTES = 1024 * 1024;

  private static final java.security.Provider BC = BcProvider.get();
  private static final Map<String, ASN1ObjectIdentifier> HASHES = Map.of(
      "SHA-256", NISTObjectIdentifiers.id_sha256,
      "SHA-384", NISTObjectIdentifiers.id_sha384,
      "SHA-512", NISTObjectIdentifiers.id_sha512);
  private static final Map<String, Integer> LENGTHS = Map.of("SHA-256", 32, "SHA-384", 48, "SHA-512", 64);

  private final URI url;
  private final Duration timeout;
  private final HttpClient http;
  private final SecureRandom random = new SecureRandom();

  /**
   * @param url the TSA endpoint (http or https)
   * @param timeout bound for the whole exchange
   */
  public HttpTsaClient(final URI url, final Duration timeout) {
    this.url = Objects.requireNonNull(url, "url");
    final String scheme = url.getScheme() == null ? "" : url.getScheme().toLowerCase(Locale.ROOT);
    if (!scheme.equals("http") && !scheme.equals("https")) {
      throw new IllegalArgumentException("TSA URL must be http or https: " + url);
    }
    if (timeout == null || timeout.isNegative() || timeout.isZero()) {
      throw new IllegalArgumentException("TSA timeout must be positive");
    }
    this.timeout = timeout;
    this.http = HttpClient.newBuilder().connectTimeout(timeout).followRedirects(HttpClient.Redirect.NEVER).build();
  }

  @Override
  public byte[] timestamp(final byte[] messageImprint, final String hashAlgorithm) throws IOException {
    final String hash = hashAlgorithm == null ? "" : hashAlgorithm.toUpperCase(Locale.ROOT);
    final ASN1ObjectIdentifier oid = HASHES.get(hash);
    if (oid == null) {
      throw new IllegalArgumentException("unsupported timestamp hash algorithm " + hashAlgorithm);
    }
    if (messageImprint == null || messageImprint.length != LENGTHS.get(hash)) {
      throw new IllegalArgumentException("message imprint length does not match " + hash);
    }
    final TimeStampRequestGenerator g = new TimeStampRequestGenerator();
    g.setCertReq(true);
    final BigInteger nonce = new BigInteger(64, random);
    final TimeStampRequest req = g.generate(oid, messageImprint, nonce);
    final byte[] body = exchange(req.getEncoded());
    return validate(body, req, messageImprint, oid, nonce);
  }

  private byte[] exchange(final byte[] request) throws IOException {
    final HttpRequest httpReq = HttpRequest.newBuilder(url).timeout(timeout)
        .header("Content-Type", "application/timestamp-query")
        .header("Accept", "application/timestamp-reply")
        .POST(HttpRequest.BodyPublishers.ofByteArray(request)).build();
    // The body is collected with a cap, so a misbehaving TSA cannot exhaust memory within the timeout.
    final CompletableFuture<HttpResponse<byte[]>> f =
        http.sendAsync(httpReq, CappedBody.handler(MAX_RESPONSE_BYTES, "TSA response"));
    final HttpResponse<byte[]> resp;
    try {
      resp = f.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      f.cancel(true);
      Thread.currentThread().interrupt();
      throw new IOException("TSA request interrupted", e);
    } catch (TimeoutException e) {
      f.cancel(true);
      throw new IOException("TSA " + url + " did not answer within " + timeout.toMillis() + " ms", e);
    } catch (ExecutionException e) {
      throw new IOException("TSA " + url + " request failed: " + e.getCause(), e.getCause());
    }
    if (resp.statusCode() != 200) {
      throw new IOException("TSA " + url + " returned HTTP " + resp.statusCode());
    }
    return resp.body();
  }

  static byte[] validate(final byte[] body, final TimeStampRequest req, final byte[] imprint,
      final ASN1ObjectIdentifier hashOid, final BigInteger nonce) throws IOException {
    final TimeStampResponse resp;
    try {
      resp = new TimeStampResponse(body);
    } catch (org.bouncycastle.tsp.TSPException | IOException | RuntimeException e) {
      throw new IOException("malformed TSA response: " + e.getMessage(), e);
    }
    final int status = resp.getStatus();
    if (status != PKIStatus.GRANTED && status != PKIStatus.GRANTED_WITH_MODS) {
      throw new IOException("TSA refused the request: status " + status
          + (resp.getStatusString() != null ? " (" + resp.getStatusString() + ")" : ""));
    }
    final TimeStampToken token = resp.getTimeStampToken();
    if (token == null) {
      throw new IOException("TSA granted the request but sent no token");
    }
    final var info = token.getTimeStampInfo();
    if (!BigInteger.ONE.equals(info.toASN1Structure().getVersion().getValue())) {
      throw new IOException("TSA token TSTInfo version is not 1");
    }
    if (!hashOid.equals(info.getMessageImprintAlgOID())
        || !MessageDigest.isEqual(imprint, info.getMessageImprintDigest())) {
      throw new IOException("TSA token covers a different message imprint than requested");
    }
    if (info.getNonce() == null || !nonce.equals(info.getNonce())) {
      throw new IOException("TSA token nonce does not match the request (possible replay)");
    }
    try {
      // BouncyCastle's own request/response consistency checks (status, imprint, nonce, certReq).
      resp.validate(req);
    } catch (org.bouncycastle.tsp.TSPException e) {
      throw new IOException("TSA response does not match the request: " + e.getMessage(), e);
    }
    X509CertificateHolder signer = null;
    for (final X509CertificateHolder h : token.getCertificates().getMatches(null)) {
      if (token.getSID().match(h)) {
        signer = h;
      }
    }
    if (signer == null) {
      throw new IOException("TSA token does not include its signing certificate although certReq was set");
    }
    try {
      // Also checks the ESS signing-certificate hash and the certificate's timeStamping EKU.
      token.validate(new JcaSimpleSignerInfoVerifierBuilder().setProvider(BC).build(signer));
    } catch (Exception e) {
      throw new IOException("TSA token signature does not verify: " + e.getMessage(), e);
    }
    try {
      return token.getEncoded();
    } catch (IOException e) {
      throw new IOException("cannot encode the TSA token", e);
    }
  }
}
