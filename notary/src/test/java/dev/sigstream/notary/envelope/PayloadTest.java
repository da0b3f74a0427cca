package dev.sigstream.notary.envelope;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sigstream.notary.ReasonCode;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

class PayloadTest {

  private static final String D = "\"sha256:abababababababababababababababababababababababababababababababab\"";

  private static Payload parse(final String json) throws EnvelopeException {
    return Payload.parse(json.getBytes(StandardCharsets.UTF_8));
  }

  @Test
  void readsTheDescriptorAndIgnoresUnknownMembers() throws EnvelopeException {
    final Payload p = parse("{\"x\":[1,{\"y\":2}],\"targetArtifact\":{\"mediaType\":\"m\",\"digest\":" + D
        + ",\"size\":9007199254740993,\"artifactType\":\"a\",\"urls\":[\"u\"],"
        + "\"annotations\":{\"k\":\"v\",\"k2\":\"\"}}}");
    assertThat(p).isEqualTo(new Payload("m", "sha256:" + "ab".repeat(32), 9007199254740993L, "a",
        Map.of("k", "v", "k2", "")));
    assertThat(parse("{\"targetArtifact\":{\"mediaType\":\"m\",\"digest\":" + D + ",\"size\":0,\"annotations\":null}}")
        .annotations()).isEmpty();
  }

  @Test
  void roundTripsItsOwnSerialisation() throws EnvelopeException {
    final Payload p = new Payload("application/vnd.oci.image.manifest.v1+json", "sha256:" + "cd".repeat(32), 1234,
        null, Map.of("io.cncf.notary.x", "y"));
    assertThat(Payload.parse(p.toJson())).isEqualTo(p);
  }

  @ParameterizedTest
  @ValueSource(strings = {
      "",
      "[]",
      "{}",
      "{\"targetArtifact\":[]}",
      "{\"targetArtifact\":{\"digest\":" + D + ",\"size\":1}}",
      "{\"targetArtifact\":{\"mediaType\":1,\"digest\":" + D + ",\"size\":1}}",
      "{\"targetArtifact\":{\"mediaType\":\"m\",\"size\":1}}",
      "{\"targetArtifact\":{\"mediaType\":\"m\",\"digest\":" + D + "}}",
      "{\"targetArtifact\":{\"mediaType\":\"m\",\"digest\":" + D + ",\"size\":1.0}}",
      "{\"targetArtifact\":{\"mediaType\":\"m\",\"digest\":" + D + ",\"size\":-1}}",
      "{\"targetArtifact\":{\"mediaType\":\"m\",\"digest\":" + D + ",\"size\":\"1\"}}",
      "{\"targetArtifact\":{\"mediaType\":\"m\",\"digest\":" + D + ",\"size\":99999999999999999999}}",
      "{\"targetArtifact\":{\"mediaType\":\"m\",\"digest\":" + D + ",\"size\":1,\"artifactType\":2}}",
      "{\"targetArtifact\":{\"mediaType\":\"m\",\"digest\":" + D + ",\"size\":1,\"annotations\":[]}}",
      "{\"targetArtifact\":{\"mediaType\":\"m\",\"digest\":" + D + ",\"size\":1,\"annotations\":{\"k\":1}}}",
      "{\"targetArtifact\":{\"mediaType\":\"m\",\"mediaType\":\"n\",\"digest\":" + D + ",\"size\":1}}",
      "{\"targetArtifact\":{\"mediaType\":\"m\",\"digest\":" + D + ",\"size\":1},\"targetArtifact\":{}}",
      "{\"targetArtifact\":{\"mediaType\":\"m\",\"digest\":" + D + ",\"size\":1}} {}",
      "{\"targetArtifact\":{\"mediaType\":\"m\",\"digest\":" + D + ",\"size\":1}",
  })
  void rejectsMalformedPayloads(final String json) {
    assertThatThrownBy(() -> parse(json)).isInstanceOfSatisfying(EnvelopeException.class,
        e -> assertThat(e.reason()).isEqualTo(ReasonCode.PAYLOAD_MALFORMED));
  }
}
