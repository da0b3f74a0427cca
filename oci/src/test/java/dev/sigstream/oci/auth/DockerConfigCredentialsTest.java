package dev.sigstream.oci.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import org.junit.jupiter.api.Test;

class DockerConfigCredentialsTest {

  private static byte[] b(final String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  @Test
  void readsBase64AuthUsernamePasswordAndIdentityTokens() {
    final String auth = Base64.getEncoder().encodeToString(b("alice:pa:ss"));
    final DockerConfigCredentials c = DockerConfigCredentials.parse(b("{\"auths\":{"
        + "\"https://index.docker.io/v1/\":{\"auth\":\"" + auth + "\"},"
        + "\"Registry.Example.com:5000\":{\"username\":\"bob\",\"password\":\"pw\"},"
        + "\"myreg.azurecr.io\":{\"identitytoken\":\"refresh-abc\"},"
        + "\"empty.example.com\":{}},"
        + "\"credHelpers\":{\"gcr.io\":\"gcloud\"},\"credsStore\":\"desktop\"}"));
    assertThat(c.forHost("index.docker.io")).isEqualTo(new Credentials.Basic("alice", Secret.of("pa:ss")));
    assertThat(c.forHost("registry.example.com:5000")).isEqualTo(new Credentials.Basic("bob", Secret.of("pw")));
    assertThat(c.forHost("myreg.azurecr.io")).isInstanceOf(Credentials.RefreshToken.class);
    assertThat(c.forHost("empty.example.com")).isEqualTo(Credentials.ANONYMOUS);
    assertThat(c.unsupported()).hasSize(2).anyMatch(s -> s.contains("gcr.io")).anyMatch(s -> s.contains("desktop"));
  }

  @Test
  void neverPrintsSecrets() {
    final String auth = Base64.getEncoder().encodeToString(b("alice:topsecret"));
    final DockerConfigCredentials c = DockerConfigCredentials.parse(b("{\"auths\":{\"r.example.com\":{\"auth\":\""
        + auth + "\"}}}"));
    assertThat(c.toString() + c.byHost()).doesNotContain("topsecret").doesNotContain(auth);
  }

  @Test
  void malformedEntries_failWithoutQuotingTheSecret() {
    assertThatThrownBy(() -> DockerConfigCredentials.parse(b("{\"auths\":{\"r.example.com\":{\"auth\":\"!!notb64-secret\"}}}")))
        .hasMessageContaining("r.example.com").hasMessageNotContaining("notb64-secret");
    final String noColon = Base64.getEncoder().encodeToString(b("nocolonsecret"));
    assertThatThrownBy(() -> DockerConfigCredentials.parse(b("{\"auths\":{\"r.example.com\":{\"auth\":\"" + noColon
        + "\"}}}"))).hasMessageNotContaining("nocolonsecret");
    assertThatThrownBy(() -> DockerConfigCredentials.parse(b("{\"auths\": {\"x\": \"secret-in-broken-json"))) 
        .hasMessageNotContaining("secret-in-broken-json");
  }
}
