package dev.sigstream.signing.azure;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.matching;
import static com.github.tomakehurst.wiremock.client.WireMock.matchingJsonPath;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.extension.ResponseTransformerV2;
import com.github.tomakehurst.wiremock.http.HttpHeader;
import com.github.tomakehurst.wiremock.http.HttpHeaders;
import com.github.tomakehurst.wiremock.http.Response;
import com.github.tomakehurst.wiremock.stubbing.ServeEvent;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.bouncycastle.cert.jcajce.JcaCertStore;
import org.bouncycastle.cms.CMSAbsentContent;
import org.bouncycastle.cms.CMSSignedDataGenerator;

/**
 * A Trusted Signing account on loopback https answering the data-plane shapes: {@code POST
 * /codesigningaccounts/{account}/certificateprofiles/{profile}/sign?api-version=2022-06-15-preview} with {@code
 * signatureAlgorithm} and {@code digest} (base64) answers 202 with an {@code operationId}; {@code GET .../sign/{id}}
 * answers {@code InProgress} for the first {@link #pollsBeforeDone} polls, then {@code Succeeded} with a real
 * signature over the digest and {@code signingCertificate}: the chain as a PKCS#7 certs-only bundle, in scrambled
 * order as a bundle may be. {@code GET .../sign/certchain} answers the current chain the same way (DER, {@code
 * application/pkcs7-mime}) unless {@link #certchainSupported} is off (404). Calls without {@code Bearer <token>} or
 * the api-version match nothing (404).
 */
public final class FakeTrustedSigning implements AutoCloseable {

  public static final String TOKEN = "ts-test-token";
  public static final String ACCOUNT = "sigstream-acct";
  public static final String PROFILE = "release-profile";
  private static final ObjectMapper JSON = new ObjectMapper();

  public final WireMockServer server;
  public final String base = "/codesigningaccounts/" + ACCOUNT + "/certificateprofiles/" + PROFILE + "/sign";
  volatile PrivateKey key;
  volatile List<X509Certificate> chain;
  public volatile int pollsBeforeDone = 1;
  public volatile boolean certchainSupported = true;
  public final AtomicInteger submits = new AtomicInteger();
  private final Map<String, ObjectNode> operations = new ConcurrentHashMap<>();
  private final Map<String, AtomicInteger> polls = new ConcurrentHashMap<>();

  public FakeTrustedSigning(final LoopbackTls tls) {
    server = new WireMockServer(wireMockConfig().httpDisabled(true).dynamicHttpsPort()
        .keystorePath(tls.keyStore().toString()).keystorePassword(LoopbackTls.PASSWORD)
        .keyManagerPassword(LoopbackTls.PASSWORD).keystoreType("PKCS12")
        .extensions(new Transformer()));
    server.start();
    server.stubFor(post(urlPathEqualTo(base)).atPriority(5)
        .withHeader("Authorization", equalTo("Bearer " + TOKEN))
        .withQueryParam("api-version", equalTo("2022-06-15-preview"))
        .withHeader("Content-Type", matching("application/json.*"))
        .withRequestBody(matchingJsonPath("$.signatureAlgorithm", matching("PS(256|384|512)")))
        .withRequestBody(matchingJsonPath("$.digest", matching("[A-Za-z0-9+/]{43,86}={0,2}")))
        .willReturn(aResponse().withStatus(202).withHeader("Content-Type", "application/json")
            .withTransformers(Transformer.NAME)));
    server.stubFor(get(urlPathEqualTo(base + "/certchain")).atPriority(5)
        .withHeader("Authorization", equalTo("Bearer " + TOKEN))
        .withQueryParam("api-version", equalTo("2022-06-15-preview"))
        .withHeader("Accept", matching(".*application/pkcs7-mime.*"))
        .willReturn(aResponse().withStatus(200).withHeader("Content-Type", "application/pkcs7-mime")
            .withTransformers(Transformer.NAME)));
    server.stubFor(get(urlPathMatching(base + "/[0-9a-f-]{36}")).atPriority(5)
        .withHeader("Authorization", equalTo("Bearer " + TOKEN))
        .withQueryParam("api-version", equalTo("2022-06-15-preview"))
        .willReturn(aResponse().withStatus(200).withHeader("Content-Type", "application/json")
            .withTransformers(Transformer.NAME)));
  }

  public void profile(final PrivateKey privateKey, final List<X509Certificate> certificates) {
    this.key = privateKey;
    this.chain = certificates;
  }

  public java.net.URI endpoint() {
    return java.net.URI.create("https://localhost:" + server.httpsPort());
  }

  @Override
  public void close() {
    server.stop();
  }

  static String pkcs7(final List<X509Certificate> certs) throws Exception {
    final List<X509Certificate> scrambled = new ArrayList<>(certs);
    Collections.reverse(scrambled);
    if (scrambled.size() > 2) {
      Collections.swap(scrambled, 0, 1);
    }
    final CMSSignedDataGenerator g = new CMSSignedDataGenerator();
    g.addCertificates(new JcaCertStore(scrambled));
    return Base64.getEncoder().encodeToString(g.generate(new CMSAbsentContent()).getEncoded());
  }

  final class Transformer implements ResponseTransformerV2 {
    static final String NAME = "ts-sign";

    @Override
    public Response transform(final Response response, final ServeEvent event) {
      try {
        final String path = event.getRequest().getUrl().replaceAll("\\?.*", "");
        if (event.getRequest().getMethod().getName().equals("POST")) {
          submits.incrementAndGet();
          final JsonNode body = JSON.readTree(event.getRequest().getBodyAsString());
          final byte[] digest = Base64.getDecoder().decode(body.get("digest").asText());
          final String id = UUID.randomUUID().toString();
          final ObjectNode done = JSON.createObjectNode();
          done.put("operationId", id);
          done.put("status", "Succeeded");
          done.put("signature", Base64.getEncoder().encodeToString(
              DigestSigner.sign(key, body.get("signatureAlgorithm").asText(), digest)));
          done.put("signingCertificate", pkcs7(chain));
          operations.put(id, done);
          polls.put(id, new AtomicInteger());
          final ObjectNode accepted = JSON.createObjectNode();
          accepted.put("operationId", id);
          accepted.put("status", "InProgress");
          return Response.Builder.like(response).but().body(accepted.toString())
              .headers(new HttpHeaders(new HttpHeader("Content-Type", "application/json"),
                  new HttpHeader("Operation-Location", "https://localhost" + base + "/" + id)))
              .build();
        }
        if (path.endsWith("/certchain")) {
          return certchainSupported
              ? Response.Builder.like(response).but().body(Base64.getDecoder().decode(pkcs7(chain))).build()
              : Response.Builder.like(response).but().status(404).body("{\"error\":{\"code\":\"NotFound\"}}")
                  .build();
        }
        final String id = path.substring(path.lastIndexOf('/') + 1);
        final ObjectNode done = operations.get(id);
        if (done == null) {
          return Response.Builder.like(response).but().status(404).body("{\"status\":\"NotFound\"}").build();
        }
        if (polls.get(id).incrementAndGet() <= pollsBeforeDone) {
          return Response.Builder.like(response).but()
              .body("{\"operationId\":\"" + id + "\",\"status\":\"InProgress\"}").build();
        }
        return Response.Builder.like(response).but().body(done.toString()).build();
      } catch (final Exception e) {
        return Response.Builder.like(response).but().status(500).body("{\"error\":{\"code\":\"FakeFailure\"}}").build();
      }
    }

    @Override
    public boolean applyGlobally() {
      return false;
    }

    @Override
    public String getName() {
      return NAME;
    }
  }
}
