package dev.sigstream.signing.azure;

import static com.github.tomakehurst.wiremock.client.WireMock.absent;
import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.matching;
import static com.github.tomakehurst.wiremock.client.WireMock.matchingJsonPath;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.extension.ResponseTransformerV2;
import com.github.tomakehurst.wiremock.http.Response;
import com.github.tomakehurst.wiremock.stubbing.ServeEvent;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.security.interfaces.ECPublicKey;
import java.security.interfaces.RSAPublicKey;
import java.util.Base64;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A Key Vault on loopback https that answers the documented REST shapes (Key Vault REST API 7.x) and signs for real:
 * {@code GET /keys/{name}/{version}} (the public JWK), {@code POST /keys/{name}/{version}/sign} ({@code alg},
 * {@code value}: the digest, base64url) answered with a signature the test key makes over that digest, and {@code GET
 * /certificates/{name}/{version}} ({@code cer}). Like the real vault it first answers 401 with a bearer challenge;
 * authorised calls must carry {@code Bearer <token>} and an {@code api-version} 7.x, else nothing matches (404).
 */
public final class FakeKeyVault implements AutoCloseable {

  public static final String TOKEN = "kv-test-token";
  static final String API_VERSION = "7\\.[0-9]+(-preview(\\.[0-9]+)?)?";
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Base64.Encoder B64URL = Base64.getUrlEncoder().withoutPadding();

  public final WireMockServer server;
  private final Map<String, PrivateKey> keys = new ConcurrentHashMap<>();

  public FakeKeyVault(final LoopbackTls tls) {
    server = new WireMockServer(wireMockConfig().httpDisabled(true).dynamicHttpsPort()
        .keystorePath(tls.keyStore().toString()).keystorePassword(LoopbackTls.PASSWORD)
        .keyManagerPassword(LoopbackTls.PASSWORD).keystoreType("PKCS12")
        .extensions(new SignTransformer()));
    server.start();
    // The Key Vault challenge: an unauthenticated request gets 401 and where to get a token for which resource.
    server.stubFor(any(anyUrl()).atPriority(1).withHeader("Authorization", absent())
        .willReturn(aResponse().withStatus(401).withHeader("WWW-Authenticate",
            "Bearer authorization=\"https://login.microsoftonline.com/00000000-0000-0000-0000-000000000001\","
                + " resource=\"https://vault.azure.net\"")));
  }

  public String url() {
    return "https://localhost:" + server.httpsPort();
  }

  public String keyId(final String name, final String version) {
    return url() + "/keys/" + name + "/" + version;
  }

  /** Serves key {@code name/version} (the leaf's public key, signing with {@code privateKey}) and its certificate. */
  public void addKey(final String name, final String version, final PrivateKey privateKey, final X509Certificate leaf,
      final String expectedAlg) throws Exception {
    keys.put(name + "/" + version, privateKey);
    server.stubFor(get(urlPathEqualTo("/keys/" + name + "/" + version)).atPriority(5)
        .withHeader("Authorization", equalTo("Bearer " + TOKEN)).withQueryParam("api-version", matching(API_VERSION))
        .willReturn(json(200, keyBundle(keyId(name, version), leaf))));
    server.stubFor(post(urlPathEqualTo("/keys/" + name + "/" + version + "/sign")).atPriority(5)
        .withHeader("Authorization", equalTo("Bearer " + TOKEN)).withQueryParam("api-version", matching(API_VERSION))
        .withRequestBody(matchingJsonPath("$.alg", equalTo(expectedAlg)))
        .withRequestBody(matchingJsonPath("$.value", matching("[A-Za-z0-9_-]{43,86}")))
        .willReturn(aResponse().withStatus(200).withHeader("Content-Type", "application/json")
            .withTransformers(SignTransformer.NAME)));
    final ObjectNode cert = JSON.createObjectNode();
    cert.put("id", url() + "/certificates/" + name + "/" + version);
    cert.put("kid", keyId(name, version));
    cert.put("cer", Base64.getEncoder().encodeToString(leaf.getEncoded()));
    cert.putObject("attributes").put("enabled", true);
    server.stubFor(get(urlPathEqualTo("/certificates/" + name + "/" + version)).atPriority(5)
        .withHeader("Authorization", equalTo("Bearer " + TOKEN)).withQueryParam("api-version", matching(API_VERSION))
        .willReturn(json(200, cert.toString())));
  }

  public static com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder json(final int status, final String body) {
    return aResponse().withStatus(status).withHeader("Content-Type", "application/json").withBody(body);
  }

  static String keyBundle(final String kid, final X509Certificate leaf) {
    final ObjectNode root = JSON.createObjectNode();
    final ObjectNode k = root.putObject("key");
    k.put("kid", kid);
    if (leaf.getPublicKey() instanceof RSAPublicKey rsa) {
      k.put("kty", "RSA-HSM");
      k.put("n", B64URL.encodeToString(DigestSigner.fixed(rsa.getModulus(), (rsa.getModulus().bitLength() + 7) / 8)));
      k.put("e", B64URL.encodeToString(rsa.getPublicExponent().toByteArray()));
    } else {
      final ECPublicKey ec = (ECPublicKey) leaf.getPublicKey();
      final int bits = ec.getParams().getCurve().getField().getFieldSize();
      final int len = (bits + 7) / 8;
      k.put("kty", "EC-HSM");
      k.put("crv", bits == 256 ? "P-256" : bits == 384 ? "P-384" : "P-521");
      k.put("x", B64URL.encodeToString(DigestSigner.fixed(ec.getW().getAffineX(), len)));
      k.put("y", B64URL.encodeToString(DigestSigner.fixed(ec.getW().getAffineY(), len)));
    }
    k.putArray("key_ops").add("sign").add("verify");
    root.putObject("attributes").put("enabled", true);
    return root.toString();
  }

  @Override
  public void close() {
    server.stop();
  }

  /** Signs the request's digest with the key named in the path, as the vault's HSM would. */
  final class SignTransformer implements ResponseTransformerV2 {
    static final String NAME = "kv-sign";

    @Override
    public Response transform(final Response response, final ServeEvent event) {
      try {
        final String path = event.getRequest().getUrl().replaceAll("\\?.*", "");
        final String[] p = path.split("/");
        final PrivateKey key = keys.get(p[2] + "/" + p[3]);
        final JsonNode body = JSON.readTree(event.getRequest().getBodyAsString());
        final byte[] digest = Base64.getUrlDecoder().decode(body.get("value").asText());
        final byte[] sig = DigestSigner.sign(key, body.get("alg").asText(), digest);
        final ObjectNode out = JSON.createObjectNode();
        out.put("kid", keyId(p[2], p[3]));
        out.put("value", B64URL.encodeToString(sig));
        return Response.Builder.like(response).but().body(out.toString()).build();
      } catch (final Exception e) {
        return Response.Builder.like(response).but().status(500).body("{\"error\":{\"code\":\"FakeFailure\"}}")
            .build();
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
