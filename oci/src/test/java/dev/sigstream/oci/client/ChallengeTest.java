package dev.sigstream.oci.client;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ChallengeTest {

  @Test
  void parsesBearerWithQuotedParamsContainingCommasAndSpaces() {
    final Challenge c = Challenge.parse("Bearer realm=\"https://auth.example.com/token\",service=\"registry.example.com\","
        + "scope=\"repository:a/b:pull,push repository:c:pull\"").orElseThrow();
    assertThat(c.scheme()).isEqualTo("bearer");
    assertThat(c.params()).containsEntry("realm", "https://auth.example.com/token")
        .containsEntry("service", "registry.example.com")
        .containsEntry("scope", "repository:a/b:pull,push repository:c:pull");
  }

  @Test
  void parsesBasicAndRejectsUnknownSchemes() {
    assertThat(Challenge.parse("Basic realm=\"Registry Realm\"").orElseThrow().scheme()).isEqualTo("basic");
    assertThat(Challenge.parse("Negotiate abc")).isEmpty();
    assertThat(Challenge.parse("")).isEmpty();
  }
}
