package dev.sigstream.signing.azure;

import com.azure.core.http.HttpHeaderName;
import com.azure.core.http.HttpMethod;
import com.azure.core.http.HttpPipeline;
import com.azure.core.http.HttpPipelineBuilder;
import com.azure.core.http.HttpRequest;
import com.azure.core.http.HttpResponse;
import com.azure.core.http.policy.BearerTokenAuthenticationPolicy;
import com.azure.core.http.policy.RetryPolicy;
import com.azure.core.util.Context;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sigstream.notary.envelope.SignatureAlgorithm;
import dev.sigstream.notary.sign.DigestSigningKey;
import dev.sigstream.notary.sign.SigningKeyException;
import dev.sigstream.notary.sign.SigningKeyException.Reason;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Objects;

/**
 * A Trusted Signing certificate profile through its data-plane REST API: submit {@code POST
 * {endpoint}/codesigningaccounts/{account}/certificateprofiles/{profile}/sign?api-version=2022-06-15-preview} with
 * {@code {"signatureAlgorithm":"PS384","digest":"<base64>"}}, poll {@code GET .../sign/{operationId}} until the
 * operation has {@code "status":"Succeeded"}, then read {@code signature} and {@code signingCertificate} (base64 of
 * the short-lived leaf with its chain, PKCS#7 or DER). Bearer token for {@code https://codesigning.azure.net/.default}
 * from the shared azure-identity credential; retries honour {@code Retry-After} (azure-core's {@link RetryPolicy}).
 *
 * <p>The envelope's {@code x5c} and algorithm must be known before signing, so {@link #open} reads the profile's
 * current chain first ({@code GET .../sign/certchain}, PKCS#7); where the service does not offer that, it signs a
 * fixed probe digest once and takes the chain that comes back. Trusted Signing issues a new certificate every few
 * days, so each signature must come back with that same leaf, else signing fails and asks to sign again. The certificates outlive their
 * signatures only with an RFC 3161 timestamp: {@link #requiresTimestamp()} is true, so {@code NotarySigner} refuses
 * to sign without one.
 *
 * <p>The API has no Java SDK; this is the one hand-written client, on azure-core's pipeline (auth, retries) and
 * Jackson, kept to the four fields it needs.
 */
public final class TrustedSigningKey extends DigestSigningKey {

  public static final String API_VERSION = "2022-06-15-preview";
  static final String SCOPE = "https://codesigning.azure.net/.default";
  static final String ROLE = "Trusted Signing Certificate Profile Signer";
  /** Largest answer read: a status with a signature and a PKCS#7 chain is a few kilobytes. */
  static final int MAX_BODY = 256 * 1024;
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final byte[] PROBE = "sigstream: which certificate does this profile sign with now?"
      .getBytes(StandardCharsets.US_ASCII);

  private final Service service;

  private TrustedSigningKey(final List<X509Certificate> chain, final Service service) {
    super(chain);
    this.service = service;
  }

  /**
   * Opens the profile and learns its current certificate chain with one probe signature.
   *
   * @param endpoint the account's regional endpoint, e.g. {@code https://weu.codesigning.azure.net}
   * @param pollInterval wait between status polls when the service sends no {@code Retry-After}
   */
  public static TrustedSigningKey open(final URI endpoint, final String account, final String profile,
      final AzureConnection connection, final Duration pollInterval) throws SigningKeyException {
    final Service service = new Service(endpoint, account, profile, connection, pollInterval);
    final List<X509Certificate> current = service.certificateChain();
    if (current != null) {
      return new TrustedSigningKey(current, service);
    }
    final byte[] probeDigest;
    try {
      probeDigest = MessageDigest.getInstance("SHA-256").digest(PROBE);
    } catch (final NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
    // Trusted Signing keys are RSA; PS256 over a SHA-256 digest is valid for every RSA size.
    final Result probe = service.sign(probeDigest, "PS256");
    return new TrustedSigningKey(probe.chain(), service);
  }

  @Override
  protected byte[] signDigest(final byte[] digest, final SignatureAlgorithm algorithm) throws IOException {
    final Result r = service.sign(digest, algorithm.jwsName());
    if (!r.chain().get(0).equals(certificateChain().get(0))) {
      throw new SigningKeyException(Reason.SERVICE_ERROR, service.what + " switched to a new certificate while"
          + " signing; sign again");
    }
    return r.signature();
  }

  /** Trusted Signing certificates live for days: a signature without a timestamp stops verifying with them. */
  @Override
  public boolean requiresTimestamp() {
    return true;
  }

  @Override
  public String toString() {
    return service.what;
  }

  record Result(byte[] signature, List<X509Certificate> chain) {}

  /** The REST calls. */
  static final class Service {

    private final String base;
    private final String what;
    private final HttpPipeline pipeline;
    private final AzureConnection connection;
    private final Duration pollInterval;

    Service(final URI endpoint, final String account, final String profile, final AzureConnection connection,
        final Duration pollInterval) throws SigningKeyException {
      this.connection = Objects.requireNonNull(connection, "connection");
      this.pollInterval = Objects.requireNonNull(pollInterval, "pollInterval");
      if (endpoint == null || !"https".equalsIgnoreCase(endpoint.getScheme()) || endpoint.getHost() == null
          || endpoint.getRawQuery() != null) {
        throw new SigningKeyException(Reason.CONFIGURATION, "the Trusted Signing endpoint must be an https URL such as"
            + " https://weu.codesigning.azure.net, not '" + endpoint + "'");
      }
      if (!name(account, 3, 24) || !name(profile, 5, 100)) {
        throw new SigningKeyException(Reason.CONFIGURATION, "Trusted Signing account and certificate profile names"
            + " are letters, digits and hyphens (account 3-24, profile 5-100 characters)");
      }
      final String ep = endpoint.toString().replaceAll("/+$", "");
      this.base = ep + "/codesigningaccounts/" + enc(account) + "/certificateprofiles/" + enc(profile);
      this.what = "Trusted Signing profile " + account + "/" + profile + " at " + ep;
      this.pipeline = new HttpPipelineBuilder()
          .httpClient(connection.httpClient())
          .policies(new RetryPolicy(connection.retryOptions()),
              new BearerTokenAuthenticationPolicy(connection.credential(), SCOPE))
          .build();
    }

    Result sign(final byte[] digest, final String algorithm) throws SigningKeyException {
      final long deadline = System.nanoTime() + connection.operationTimeout().toNanos();
      final String body = "{\"signatureAlgorithm\":\"" + algorithm + "\",\"digest\":\""
          + Base64.getEncoder().encodeToString(digest) + "\"}";
      final HttpRequest submit = new HttpRequest(HttpMethod.POST, base + "/sign?api-version=" + API_VERSION)
          .setHeader(HttpHeaderName.CONTENT_TYPE, "application/json")
          .setHeader(HttpHeaderName.ACCEPT, "application/json")
          .setBody(body);
      JsonNode status = call(submit, deadline, 202, 200);
      final String operationId = text(status, "operationId");
      if (operationId == null || !operationId.matches("[0-9A-Za-z._-]{1,128}")) {
        throw new SigningKeyException(Reason.SERVICE_ERROR, what + ": the sign request returned no operation id");
      }
      final String poll = base + "/sign/" + operationId + "?api-version=" + API_VERSION;
      Duration wait = retryAfter;
      while (true) {
        final String s = text(status, "status");
        if ("Succeeded".equalsIgnoreCase(s)) {
          return result(status);
        }
        if ("Failed".equalsIgnoreCase(s) || "Canceled".equalsIgnoreCase(s) || "NotFound".equalsIgnoreCase(s)) {
          throw new SigningKeyException(Reason.SERVICE_ERROR, what + ": the signing operation " + s.toLowerCase()
              + errorCode(status));
        }
        if ("TimedOut".equalsIgnoreCase(s)) {
          throw new SigningKeyException(Reason.TIMED_OUT, what + ": the signing operation timed out at the service");
        }
        final Duration pause = wait != null ? wait : pollInterval;
        if (System.nanoTime() + pause.toNanos() >= deadline) {
          throw new SigningKeyException(Reason.TIMED_OUT, what + ": the signing operation did not finish within "
              + AzureFailures.seconds(connection.operationTimeout()));
        }
        try {
          Thread.sleep(pause.toMillis());
        } catch (final InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new SigningKeyException(Reason.TIMED_OUT, what + ": interrupted while waiting for the signature", e);
        }
        status = call(new HttpRequest(HttpMethod.GET, poll).setHeader(HttpHeaderName.ACCEPT, "application/json"),
            deadline, 200);
        wait = retryAfter;
      }
    }

    /**
     * The profile's current chain from {@code GET .../sign/certchain}, or null when the service does not offer it
     * (404, 405, 501): then the caller learns the chain from a probe signature.
     */
    List<X509Certificate> certificateChain() throws SigningKeyException {
      final long deadline = System.nanoTime() + connection.operationTimeout().toNanos();
      final HttpRequest get = new HttpRequest(HttpMethod.GET, base + "/sign/certchain?api-version=" + API_VERSION)
          .setHeader(HttpHeaderName.ACCEPT, "application/pkcs7-mime, application/x-x509-ca-cert, application/json");
      final byte[] body = send(get, deadline, new int[] {200}, new int[] {404, 405, 501});
      if (body == null) {
        return null;
      }
      try {
        return orderChain(body);
      } catch (final CertificateException e) {
        throw new SigningKeyException(Reason.SERVICE_ERROR, what + ": unreadable certificate chain (" + e.getMessage()
            + ")", e);
      }
    }

    /** Retry-After of the last answer (the service's poll hint), capped at 10 s; null when absent. */
    private Duration retryAfter;

    private JsonNode call(final HttpRequest request, final long deadline, final int... ok)
        throws SigningKeyException {
      final byte[] bytes = send(request, deadline, ok, new int[0]);
      try {
        final JsonNode n = JSON.readTree(bytes);
        if (n == null || !n.isObject()) {
          throw new IOException("not a JSON object");
        }
        return n;
      } catch (final IOException e) {
        throw new SigningKeyException(Reason.SERVICE_ERROR, what + ": unreadable answer (" + e.getClass()
            .getSimpleName() + ")", e);
      }
    }

    /** The body of an answer with a status in {@code ok}; null for one in {@code absent}; else the mapped failure. */
    private byte[] send(final HttpRequest request, final long deadline, final int[] ok, final int[] absent)
        throws SigningKeyException {
      final long left = deadline - System.nanoTime();
      if (left <= 0) {
        throw new SigningKeyException(Reason.TIMED_OUT, what + ": no answer within "
            + AzureFailures.seconds(connection.operationTimeout()));
      }
      final HttpResponse response;
      final byte[] bytes;
      try {
        response = pipeline.send(request, Context.NONE).block(Duration.ofNanos(left));
        if (response == null) {
          throw new SigningKeyException(Reason.SERVICE_ERROR, what + ": no response");
        }
        final String length = response.getHeaderValue(HttpHeaderName.CONTENT_LENGTH);
        if (length != null && (length.length() > 9 || !length.matches("\\d+") || Long.parseLong(length) > MAX_BODY)) {
          response.close();
          throw new SigningKeyException(Reason.SERVICE_ERROR, what + ": answer larger than " + MAX_BODY + " bytes");
        }
        bytes = response.getBodyAsByteArray().switchIfEmpty(reactor.core.publisher.Mono.just(new byte[0]))
            .block(Duration.ofNanos(Math.max(1, deadline - System.nanoTime())));
      } catch (final RuntimeException e) {
        throw AzureFailures.map(e, what, ROLE, connection);
      }
      retryAfter = retryAfter(response.getHeaderValue(HttpHeaderName.RETRY_AFTER));
      final int status = response.getStatusCode();
      for (final int a : absent) {
        if (a == status) {
          return null;
        }
      }
      boolean accepted = false;
      for (final int o : ok) {
        accepted |= o == status;
      }
      if (!accepted) {
        throw AzureFailures.forStatus(status, null, what, ROLE, connection, null);
      }
      if (bytes == null || bytes.length == 0 || bytes.length > MAX_BODY) {
        throw new SigningKeyException(Reason.SERVICE_ERROR, what + ": answer empty or larger than " + MAX_BODY
            + " bytes");
      }
      return bytes;
    }

    private Result result(final JsonNode status) throws SigningKeyException {
      final String sig = text(status, "signature");
      final String cert = text(status, "signingCertificate");
      if (sig == null || cert == null) {
        throw new SigningKeyException(Reason.SERVICE_ERROR, what + ": the operation succeeded without a signature"
            + " or signing certificate");
      }
      try {
        return new Result(Base64.getMimeDecoder().decode(sig), orderChain(Base64.getMimeDecoder().decode(cert)));
      } catch (final IllegalArgumentException | CertificateException e) {
        throw new SigningKeyException(Reason.SERVICE_ERROR, what + ": unreadable signature or certificate chain ("
            + e.getMessage() + ")", e);
      }
    }

    private static String errorCode(final JsonNode status) {
      final JsonNode e = status.get("error");
      final String code = e == null ? null : text(e, "code");
      return code == null ? "" : " (" + AzureFailures.oneLine(code, 64) + ")";
    }
  }

  /**
   * The certificates of {@code bundle} (PKCS#7 certs-only or concatenated DER) as a chain, leaf first: the one
   * certificate that issued no other, then its issuers in turn. Throws when they do not form one chain.
   */
  static List<X509Certificate> orderChain(final byte[] bundle) throws CertificateException {
    final List<X509Certificate> all = new ArrayList<>();
    for (final var c : CertificateFactory.getInstance("X.509").generateCertificates(new ByteArrayInputStream(bundle))) {
      all.add((X509Certificate) c);
    }
    if (all.isEmpty() || all.size() > 10) {
      throw new CertificateException("expected 1 to 10 certificates, got " + all.size());
    }
    X509Certificate leaf = null;
    for (final X509Certificate c : all) {
      boolean issuedAnother = false;
      for (final X509Certificate o : all) {
        issuedAnother |= o != c && o.getIssuerX500Principal().equals(c.getSubjectX500Principal());
      }
      if (!issuedAnother) {
        if (leaf != null) {
          throw new CertificateException("the certificates do not form one chain");
        }
        leaf = c;
      }
    }
    if (leaf == null) {
      throw new CertificateException("the certificates do not form one chain");
    }
    final List<X509Certificate> chain = new ArrayList<>();
    chain.add(leaf);
    X509Certificate cur = leaf;
    while (chain.size() < all.size() && !cur.getIssuerX500Principal().equals(cur.getSubjectX500Principal())) {
      X509Certificate next = null;
      for (final X509Certificate o : all) {
        if (!chain.contains(o) && o.getSubjectX500Principal().equals(cur.getIssuerX500Principal())) {
          next = o;
        }
      }
      if (next == null) {
        break;
      }
      chain.add(next);
      cur = next;
    }
    if (chain.size() != all.size()) {
      throw new CertificateException("the certificates do not form one chain");
    }
    return chain;
  }

  private static Duration retryAfter(final String header) {
    if (header == null || !header.trim().matches("\\d{1,4}")) {
      return null;
    }
    final long s = Long.parseLong(header.trim());
    return Duration.ofSeconds(Math.min(s, 10));
  }

  private static boolean name(final String s, final int min, final int max) {
    return s != null && s.length() >= min && s.length() <= max && s.matches("[A-Za-z][A-Za-z0-9]*(-[A-Za-z0-9]+)*");
  }

  private static String enc(final String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8);
  }

  private static String text(final JsonNode n, final String field) {
    final JsonNode v = n.get(field);
    return v == null || !v.isTextual() ? null : v.asText();
  }
}
