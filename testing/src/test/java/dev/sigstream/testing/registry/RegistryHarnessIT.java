package dev.sigstream.testing.registry;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.HexFormat;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.TestInfo;

@Tag("integration")
@Timeout(120)
@ExtendWith(RegistryExtension.class)
class RegistryHarnessIT {

  private static final HttpClient HTTP = HttpClient.newHttpClient();
  private static final ObjectMapper JSON = new ObjectMapper();

  @Test
  void pushesAndPullsManifestWithSubject_anonymous(final TestRegistry registry, final TestInfo c)
      throws Exception {
    roundTrip(registry, RegistryExtension.uniqueRepository(c), null);
  }

  @Test
  void pushesAndPullsManifestWithSubject_basic(@WithRegistryAuth(RegistryAuth.BASIC) final TestRegistry registry,
      final TestInfo c) throws Exception {
    final String repo = RegistryExtension.uniqueRepository(c);
    // Given: no credentials are refused
    assertThat(HTTP.send(HttpRequest.newBuilder(URI.create(registry.url() + "/v2/")).build(),
        HttpResponse.BodyHandlers.discarding()).statusCode()).isEqualTo(401);
    roundTrip(registry, repo, "Basic " + b64(registry.username() + ":" + registry.password()));
  }

  @Test
  void pushesAndPullsManifestWithSubject_bearer(@WithRegistryAuth(RegistryAuth.BEARER) final TestRegistry registry,
      final TestInfo c) throws Exception {
    final String repo = RegistryExtension.uniqueRepository(c);
    final HttpResponse<String> challenge = HTTP.send(HttpRequest.newBuilder(URI.create(registry.url() + "/v2/"))
        .build(), HttpResponse.BodyHandlers.ofString());
    assertThat(challenge.statusCode()).isEqualTo(401);
    assertThat(challenge.headers().firstValue("www-authenticate").orElseThrow()).startsWith("Bearer realm=");
    // Wrong password: the token server refuses
    final String scope = "repository:" + repo + ":pull,push";
    final URI tokenUri = URI.create("http://" + registry.tokenRealmHost() + "/token?service="
        + TokenServer.SERVICE + "&scope=" + scope.replace(":", "%3A").replace(",", "%2C"));
    assertThat(HTTP.send(HttpRequest.newBuilder(tokenUri).header("Authorization", "Basic " + b64(
        registry.username() + ":wrong")).build(), HttpResponse.BodyHandlers.discarding()).statusCode())
        .isEqualTo(401);
    final HttpResponse<String> token = HTTP.send(HttpRequest.newBuilder(tokenUri).header("Authorization", "Basic "
        + b64(registry.username() + ":" + registry.password())).build(), HttpResponse.BodyHandlers.ofString());
    assertThat(token.statusCode()).isEqualTo(200);
    roundTrip(registry, repo, "Bearer " + JSON.readTree(token.body()).get("token").asText());
  }

  private static void roundTrip(final TestRegistry r, final String repo, final String auth) throws Exception {
    // Given: an empty config blob and a subject manifest
    final byte[] empty = "{}".getBytes(StandardCharsets.UTF_8);
    final String emptyDigest = pushBlob(r, repo, empty, auth);
    final String subjectJson = "{\"schemaVersion\":2,\"mediaType\":\"application/vnd.oci.image.manifest.v1+json\","
        + "\"config\":{\"mediaType\":\"application/vnd.oci.empty.v1+json\",\"digest\":\"" + emptyDigest
        + "\",\"size\":2},\"layers\":[{\"mediaType\":\"application/vnd.oci.empty.v1+json\",\"digest\":\""
        + emptyDigest + "\",\"size\":2}]}";
    final String subjectDigest = putManifest(r, repo, "v1", subjectJson, auth);
    final String referrer = "{\"schemaVersion\":2,\"mediaType\":\"application/vnd.oci.image.manifest.v1+json\","
        + "\"artifactType\":\"application/vnd.example.test\",\"config\":{\"mediaType\":"
        + "\"application/vnd.oci.empty.v1+json\",\"digest\":\"" + emptyDigest + "\",\"size\":2},\"layers\":[{"
        + "\"mediaType\":\"application/vnd.oci.empty.v1+json\",\"digest\":\"" + emptyDigest + "\",\"size\":2}],"
        + "\"subject\":{\"mediaType\":\"application/vnd.oci.image.manifest.v1+json\",\"digest\":\"" + subjectDigest
        + "\",\"size\":" + subjectJson.length() + "}}";
    // When
    final String refDigest = putManifest(r, repo, sha256(referrer.getBytes(StandardCharsets.UTF_8)), referrer, auth);
    final HttpRequest.Builder get = HttpRequest.newBuilder(URI.create(r.url() + "/v2/" + repo + "/manifests/"
        + refDigest)).header("Accept", "application/vnd.oci.image.manifest.v1+json");
    if (auth != null) {
      get.header("Authorization", auth);
    }
    final HttpResponse<byte[]> pulled = HTTP.send(get.build(), HttpResponse.BodyHandlers.ofByteArray());
    // Then: stored byte-exact, subject intact
    assertThat(pulled.statusCode()).isEqualTo(200);
    assertThat(new String(pulled.body(), StandardCharsets.UTF_8)).isEqualTo(referrer);
    assertThat(JSON.readTree(pulled.body()).get("subject").get("digest").asText()).isEqualTo(subjectDigest);
    assertThat(pulled.headers().firstValue("docker-content-digest")).contains(refDigest);
  }

  private static String pushBlob(final TestRegistry r, final String repo, final byte[] data, final String auth)
      throws Exception {
    final HttpRequest.Builder post = HttpRequest.newBuilder(URI.create(r.url() + "/v2/" + repo + "/blobs/uploads/"))
        .POST(HttpRequest.BodyPublishers.noBody());
    if (auth != null) {
      post.header("Authorization", auth);
    }
    final HttpResponse<String> started = HTTP.send(post.build(), HttpResponse.BodyHandlers.ofString());
    assertThat(started.statusCode()).as(started.body()).isEqualTo(202);
    final String digest = sha256(data);
    final URI loc = URI.create(r.url()).resolve(started.headers().firstValue("location").orElseThrow());
    final HttpRequest.Builder put = HttpRequest.newBuilder(URI.create(loc + (loc.getQuery() == null ? "?" : "&")
        + "digest=" + digest)).PUT(HttpRequest.BodyPublishers.ofByteArray(data))
        .header("Content-Type", "application/octet-stream");
    if (auth != null) {
      put.header("Authorization", auth);
    }
    assertThat(HTTP.send(put.build(), HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(201);
    return digest;
  }

  private static String putManifest(final TestRegistry r, final String repo, final String ref, final String json,
      final String auth) throws Exception {
    final HttpRequest.Builder put = HttpRequest.newBuilder(URI.create(r.url() + "/v2/" + repo + "/manifests/" + ref))
        .PUT(HttpRequest.BodyPublishers.ofString(json))
        .header("Content-Type", "application/vnd.oci.image.manifest.v1+json");
    if (auth != null) {
      put.header("Authorization", auth);
    }
    final HttpResponse<String> res = HTTP.send(put.build(), HttpResponse.BodyHandlers.ofString());
    assertThat(res.statusCode()).as(res.body()).isEqualTo(201);
    return res.headers().firstValue("docker-content-digest").orElseThrow();
  }

  private static String sha256(final byte[] b) throws Exception {
    return "sha256:" + HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(b));
  }

  private static String b64(final String s) {
    return Base64.getEncoder().encodeToString(s.getBytes(StandardCharsets.UTF_8));
  }
}
