package dev.sigstream.ingest.source;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sigstream.schemas.ArtifactKey;
import dev.sigstream.schemas.avro.ArtifactPushed;
import java.util.List;

/** Assertions on {@link SourceResult}s. */
final class Results {

  static final String DIGEST_A = "sha256:" + "a".repeat(64);
  static final String DIGEST_B = "sha256:" + "b".repeat(64);

  private Results() {}

  static SourceResult.Accepted accepted(final SourceResult r) {
    assertThat(r).as("expected Accepted, got %s", r).isInstanceOf(SourceResult.Accepted.class);
    return (SourceResult.Accepted) r;
  }

  static ArtifactPushed single(final SourceResult r) {
    final List<ArtifactPushed> events = accepted(r).events();
    assertThat(events).hasSize(1);
    return events.get(0);
  }

  static SourceResult.Rejected rejected(final SourceResult r, final SourceResult.Reason reason) {
    assertThat(r).as("expected Rejected(%s), got %s", reason, r).isInstanceOf(SourceResult.Rejected.class);
    final SourceResult.Rejected rej = (SourceResult.Rejected) r;
    assertThat(rej.reason()).as(rej.message()).isEqualTo(reason);
    assertThat(rej.status()).isEqualTo(reason.status());
    return rej;
  }

  static String key(final ArtifactPushed e) {
    return ArtifactKey.of(e.getArtifact());
  }

  static ObjectNode json(final String s) {
    try {
      return (ObjectNode) Json.MAPPER.readTree(s);
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  static JsonNode tree(final String s) {
    try {
      return Json.MAPPER.readTree(s);
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }
}
