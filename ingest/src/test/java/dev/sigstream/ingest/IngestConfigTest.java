package dev.sigstream.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sigstream.ingest.source.SourceType;
import dev.sigstream.schemas.Topics;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class IngestConfigTest {

  @Test
  void defaults_withoutSecret_defaultSourceDisabledWithReason() {
    final IngestConfig c = IngestConfig.fromEnv(Map.of());
    assertThat(c.sources()).isEmpty();
    assertThat(c.disabledDefault()).get().asString().contains("SIGSTREAM_INGEST_SOURCE_LOCAL_SECRET");
    assertThat(c.topic()).isEqualTo(Topics.ARTIFACT_EVENTS);
    assertThat(c.maxBodyBytes()).isEqualTo(1 << 20);
    assertThat(c.produceTimeout()).isEqualTo(Duration.ofSeconds(10));
  }

  @Test
  void defaultSource_forALocalDockerRegistry() {
    final IngestConfig c = IngestConfig.fromEnv(Map.of("SIGSTREAM_INGEST_SOURCE_LOCAL_SECRET", "Bearer change-me-now-please"));
    assertThat(c.sources()).singleElement().satisfies(s -> {
      assertThat(s.name()).isEqualTo("local");
      assertThat(s.type()).isEqualTo(SourceType.DISTRIBUTION);
      assertThat(s.registries()).containsExactly("127.0.0.1:5000", "localhost:5000");
      assertThat(s.auth()).isEqualTo(IngestConfig.AuthKind.HEADER);
      assertThat(s.header()).isEqualTo("Authorization");
    });
    assertThat(c.toString()).doesNotContain("change-me").contains("secret=****");
    assertThat(c.buildSources(Clock.systemUTC())).hasSize(1);
  }

  @Test
  void explicitSources_allKinds() {
    final IngestConfig c = IngestConfig.fromEnv(Map.ofEntries(
        Map.entry("SIGSTREAM_INGEST_SOURCES", "gh, acr-prod"),
        Map.entry("SIGSTREAM_INGEST_SOURCE_GH_TYPE", "github"),
        Map.entry("SIGSTREAM_INGEST_SOURCE_GH_REGISTRIES", "ghcr.io"),
        Map.entry("SIGSTREAM_INGEST_SOURCE_GH_AUTH", "hmac-sha256"),
        Map.entry("SIGSTREAM_INGEST_SOURCE_GH_SECRET", "0123456789abcdef-secret"),
        Map.entry("SIGSTREAM_INGEST_SOURCE_ACR_PROD_TYPE", "eventgrid"),
        Map.entry("SIGSTREAM_INGEST_SOURCE_ACR_PROD_REGISTRIES", "Prod.AzureCR.io"),
        Map.entry("SIGSTREAM_INGEST_SOURCE_ACR_PROD_AUTH", "jwt"),
        Map.entry("SIGSTREAM_INGEST_SOURCE_ACR_PROD_JWT_ISSUER", "https://login.microsoftonline.com/t/v2.0"),
        Map.entry("SIGSTREAM_INGEST_SOURCE_ACR_PROD_JWT_AUDIENCE", "api://sigstream"),
        Map.entry("SIGSTREAM_INGEST_SOURCE_ACR_PROD_JWT_JWKS_URL", "https://login.microsoftonline.com/t/discovery/v2.0/keys"),
        Map.entry("SIGSTREAM_INGEST_MAX_BODY_BYTES", "65536")));
    assertThat(c.sources()).extracting(IngestConfig.SourceSettings::name).containsExactly("gh", "acr-prod");
    assertThat(c.sources().get(1).registries()).containsExactly("prod.azurecr.io");
    assertThat(c.maxBodyBytes()).isEqualTo(65536);
    assertThat(c.toString()).doesNotContain("0123456789abcdef-secret");
  }

  @Test
  void everyProblemReportedAtOnce() {
    assertThatThrownBy(() -> IngestConfig.fromEnv(Map.of(
        "SIGSTREAM_INGEST_SOURCES", "a,Bad_Name,b",
        "SIGSTREAM_INGEST_SOURCE_A_TYPE", "nexus",
        "SIGSTREAM_INGEST_SOURCE_A_REGISTRIES", "ok.io,../x",
        "SIGSTREAM_INGEST_SOURCE_A_AUTH", "none",
        "SIGSTREAM_INGEST_SOURCE_B_TYPE", "quay",
        "SIGSTREAM_INGEST_SOURCE_B_REGISTRIES", "quay.io",
        "SIGSTREAM_INGEST_SOURCE_B_AUTH", "query-key",
        "SIGSTREAM_INGEST_SOURCE_B_SECRET", "short",
        "SIGSTREAM_INGEST_MAX_BODY_BYTES", "lots")))
        .isInstanceOfSatisfying(IngestConfig.Invalid.class, e -> assertThat(e.problems()).hasSize(6)
            .anySatisfy(p -> assertThat(p).contains("'Bad_Name' is not a source name"))
            .anySatisfy(p -> assertThat(p).contains("unknown type 'nexus'"))
            .anySatisfy(p -> assertThat(p).contains("'../x' is not a registry"))
            .anySatisfy(p -> assertThat(p).contains("unknown auth 'none'").contains("every source must authenticate"))
            .anySatisfy(p -> assertThat(p).contains("SIGSTREAM_INGEST_SOURCE_B_SECRET: must be at least 16"))
            .anySatisfy(p -> assertThat(p).contains("SIGSTREAM_INGEST_MAX_BODY_BYTES: expected a number")))
        .hasMessageNotContaining("short");
  }

  @Test
  void missingRequiredSettings_named() {
    assertThatThrownBy(() -> IngestConfig.fromEnv(Map.of("SIGSTREAM_INGEST_SOURCES", "x", "SIGSTREAM_INGEST_SOURCE_X_AUTH", "jwt")))
        .hasMessageContaining("SIGSTREAM_INGEST_SOURCE_X_TYPE is required")
        .hasMessageContaining("SIGSTREAM_INGEST_SOURCE_X_REGISTRIES is required")
        .hasMessageContaining("SIGSTREAM_INGEST_SOURCE_X_JWT_ISSUER is required")
        .hasMessageContaining("SIGSTREAM_INGEST_SOURCE_X_JWT_JWKS_URL is required");
  }
}
