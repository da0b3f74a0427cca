package dev.sigstream.schemas;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sigstream.schemas.avro.ArtifactPushed;
import dev.sigstream.schemas.avro.Verdict;
import org.junit.jupiter.api.Test;

class AvroJsonTest {

  private final ObjectMapper mapper = new ObjectMapper();

  @Test
  void verdict_rendersPlainJson_andParsesBackEqual() throws Exception {
    final Verdict verdict = Samples.verdict("e-1");

    final ObjectNode json = AvroJson.toJson(verdict);

    assertThat(json.get("outcome").asText()).isEqualTo("PASS");
    assertThat(json.get("artifact").get("digest").asText()).isEqualTo(Samples.DIGEST);
    assertThat(json.get("decidedAt").asText()).isEqualTo("2026-01-01T00:00:02Z");
    assertThat(json.get("policy").get("level").asText()).isEqualTo("PERMISSIVE");
    assertThat(json.get("signatures").get(0).get("checks").get(1).get("reasonCode").asText()).isEqualTo("REVOCATION_UNKNOWN");
    assertThat(mapper.writeValueAsString(json)).doesNotContain("{\"string\"");
    assertThat(AvroJson.fromJson(mapper.readTree(mapper.writeValueAsString(json)), Verdict.class)).isEqualTo(verdict);
  }

  @Test
  void artifactPushed_roundTrips_withNullsAndMaps() {
    final ArtifactPushed pushed = Samples.pushed("e-2");
    pushed.setActor(null);

    final ObjectNode json = AvroJson.toJson(pushed);

    assertThat(json.get("actor").isNull()).isTrue();
    assertThat(json.get("attributes").get("requestId").asText()).isEqualTo("r-1");
    assertThat(AvroJson.fromJson(json, ArtifactPushed.class)).isEqualTo(pushed);
  }

  @Test
  void rejectsDocumentsThatDoNotFitTheSchema_namingThePath() {
    final ObjectNode json = AvroJson.toJson(Samples.verdict("e-3"));
    ((ObjectNode) json.get("signatures").get(0)).put("verified", "yes");
    final ObjectNode badEnum = AvroJson.toJson(Samples.verdict("e-3")).put("outcome", "MAYBE");
    final ObjectNode extra = AvroJson.toJson(Samples.verdict("e-3")).put("surprise", 1);

    assertThatThrownBy(() -> AvroJson.fromJson(json, Verdict.class)).hasMessageContaining("$.signatures[0].verified");
    assertThatThrownBy(() -> AvroJson.fromJson(badEnum, Verdict.class)).hasMessageContaining("$.outcome");
    assertThatThrownBy(() -> AvroJson.fromJson(extra, Verdict.class)).hasMessageContaining("unknown field 'surprise'");
  }
}
