package dev.sigstream.signing.azure;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.absent;
import static com.github.tomakehurst.wiremock.client.WireMock.containing;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.azure.core.credential.TokenCredential;
import com.azure.identity.WorkloadIdentityCredentialBuilder;
import com.github.tomakehurst.wiremock.WireMockServer;
import dev.sigstream.oci.FetchResult;
import dev.sigstream.oci.Manifest;
import dev.sigstream.oci.Reference;
import dev.sigstream.oci.auth.Credentials;
import dev.sigstream.oci.auth.EntraTokenSource;
import dev.sigstream.oci.client.Limits;
import dev.sigstream.oci.client.OciRegistryHttpClient;
import dev.sigstream.oci.client.RegistryConfig;
import dev.sigstream.oci.client.RegistryEntry;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The azure-identity adapter of oci's {@link EntraTokenSource} with a real azure-identity credential (workload
 * identity: a federated token file exchanged at an Entra token endpoint served by WireMock over https), driving the
 * real ACR exchange in oci's client against a registry stub that accepts nothing but the ACR access token it issued.
 */
@Timeout(60)
class AzureIdentityTokenSourceTest {

  static final String MANIFEST = "{\"schemaVersion\":2,\"mediaType\":\"application/vnd.oci.image.manifest.v1+json\","
      + "\"config\":{\"mediaType\":\"application/vnd.oci.empty.v1+json\",\"digest\":\"sha256:"
      + "44136fa355b3678a1146ad16f7e8649e94fb4fc21fe77e8310c060f61caaff8a\",\"size\":2},\"layers\":[]}";
  static final String FEDERATED = "eyJhbGciOiJSUzI1NiJ9.github-actions-oidc.signature";

  @TempDir
  Path tmp;
  WireMockServer entra;
  WireMockServer registry;
  LoopbackTls tls;
  Path tokenFile;

  @BeforeEach
  void start() throws Exception {
    tls = LoopbackTls.create(tmp);
    entra = new WireMockServer(wireMockConfig().httpDisabled(true).dynamicHttpsPort()
        .keystorePath(tls.keyStore().toString()).keystorePassword(LoopbackTls.PASSWORD)
        .keyManagerPassword(LoopbackTls.PASSWORD).keystoreType("PKCS12"));
    entra.start();
    registry = new WireMockServer(wireMockConfig().dynamicPort());
    registry.start();
    tokenFile = Files.writeString(tmp.resolve("federated-token"), FEDERATED);
  }

  @AfterEach
  void stop() {
    entra.stop();
    registry.stop();
  }

  @Test
  void workloadIdentityToken_isExchangedForAnAcrToken_andPullsTheManifest() throws Exception {
    // Given: Entra issues an access token for the federated credential, for the ACR scope only
    entra.stubFor(post(urlPathEqualTo("/tenant-1/oauth2/v2.0/token"))
        .withRequestBody(containing("client_assertion=" + FEDERATED))
        .withRequestBody(containing("client_id=client-1"))
        .withRequestBody(containing("grant_type=client_credentials"))
        .withRequestBody(containing("https%3A%2F%2Fcontainerregistry.azure.net%2F.default"))
        .willReturn(json("{\"token_type\":\"Bearer\",\"expires_in\":3599,\"access_token\":\"entra-access\"}")));
    final String host = "localhost:" + registry.port();
    final String digest = "sha256:" + sha256(MANIFEST);
    registry.stubFor(get(urlPathEqualTo("/v2/repo/manifests/" + digest)).withHeader("Authorization", absent())
        .willReturn(aResponse().withStatus(401).withHeader("WWW-Authenticate", "Bearer realm=\"http://" + host
            + "/oauth2/token\",service=\"" + host + "\",scope=\"repository:repo:pull\"")));
    registry.stubFor(post(urlPathEqualTo("/oauth2/exchange"))
        .withRequestBody(containing("grant_type=access_token"))
        .withRequestBody(containing("access_token=entra-access"))
        .willReturn(json("{\"refresh_token\":\"acr-refresh\"}")));
    registry.stubFor(post(urlPathEqualTo("/oauth2/token"))
        .withRequestBody(containing("refresh_token=acr-refresh"))
        .willReturn(json("{\"access_token\":\"acr-access\"}")));
    registry.stubFor(get(urlPathEqualTo("/v2/repo/manifests/" + digest))
        .withHeader("Authorization", equalTo("Bearer acr-access"))
        .willReturn(aResponse().withStatus(200).withHeader("Content-Type", "application/vnd.oci.image.manifest.v1+json")
            .withHeader("Docker-Content-Digest", digest).withBody(MANIFEST)));
    final EntraTokenSource source = new AzureIdentityTokenSource(workloadIdentity(), AzureIdentityTokenSource.ACR_SCOPE);
    final OciRegistryHttpClient client = OciRegistryHttpClient.create(RegistryConfig.of(List.of(
        RegistryEntry.insecure(host, new Credentials.AcrEntraExchange(source, "tenant-1"))), Limits.DEFAULTS),
        Clock.systemUTC());

    // When
    final FetchResult<Manifest> r = client.manifest(Reference.parse(host + "/repo@" + digest)).get(30, TimeUnit.SECONDS);

    // Then
    assertThat(r.isFound()).as(r.describe()).isTrue();
    entra.verify(1, postRequestedFor(urlPathEqualTo("/tenant-1/oauth2/v2.0/token")));
    registry.verify(1, postRequestedFor(urlPathEqualTo("/oauth2/exchange")));
  }

  @Test
  void rejectedCredential_failsWithAMessage_withoutTheFederatedToken() {
    entra.stubFor(post(urlPathEqualTo("/tenant-1/oauth2/v2.0/token")).willReturn(aResponse().withStatus(401)
        .withHeader("Content-Type", "application/json").withBody("{\"error\":\"invalid_client\","
            + "\"error_description\":\"AADSTS70021: No matching federated identity record found\"}")));
    final EntraTokenSource source = new AzureIdentityTokenSource(workloadIdentity(), AzureIdentityTokenSource.ACR_SCOPE);
    assertThatThrownBy(() -> source.accessToken().get(30, TimeUnit.SECONDS))
        .isInstanceOf(ExecutionException.class)
        .satisfies(e -> assertThat(e.getCause()).isInstanceOf(IllegalStateException.class)
            .hasMessageContaining("Entra ID token").hasMessageNotContaining(FEDERATED));
  }

  private TokenCredential workloadIdentity() {
    return new WorkloadIdentityCredentialBuilder().tenantId("tenant-1").clientId("client-1")
        .tokenFilePath(tokenFile.toString()).authorityHost("https://localhost:" + entra.httpsPort())
        .disableInstanceDiscovery().httpClient(tls.httpClient(Duration.ofSeconds(10))).maxRetry(0).build();
  }

  private static com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder json(final String body) {
    return aResponse().withStatus(200).withHeader("Content-Type", "application/json").withBody(body);
  }

  private static String sha256(final String s) throws Exception {
    return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8)));
  }
}
