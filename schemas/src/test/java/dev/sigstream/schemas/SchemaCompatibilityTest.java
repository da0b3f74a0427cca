package dev.sigstream.schemas;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sigstream.schemas.avro.ArtifactPushed;
import dev.sigstream.schemas.avro.Verdict;
import java.util.List;
import org.apache.avro.Schema;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.Test;

/**
 * Fails the build when the current schemas break backward or forward compatibility with any released version in
 * {@code src/main/resources/avro-history}. To release a schema change, add the new version's file there.
 */
class SchemaCompatibilityTest {

  static List<Schema> currentSchemas() {
    return List.of(ArtifactPushed.getClassSchema(), Verdict.getClassSchema());
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("currentSchemas")
  void currentSchema_isCompatibleWithEveryReleasedVersion(final Schema current) {
    final List<Schema> released = SchemaHistory.released(current.getName());

    assertThat(released).as("released versions of %s", current.getName()).isNotEmpty();
    assertThat(SchemaHistory.incompatibilities(current, released)).isEmpty();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("currentSchemas")
  void newestReleasedVersion_equalsCurrentSchema_soEveryChangeIsReleasedExplicitly(final Schema current) {
    final List<Schema> released = SchemaHistory.released(current.getName());

    assertThat(released.get(released.size() - 1)).isEqualTo(current);
  }

  @Test
  void detectsAddedFieldWithoutDefault() {
    final Schema broken = mutate(Verdict.getClassSchema(),
        "\"fields\":[", "\"fields\":[{\"name\":\"tenant\",\"type\":\"string\"},");

    assertThat(SchemaHistory.incompatibilities(broken, SchemaHistory.released("Verdict")))
        .anySatisfy(p -> assertThat(p).startsWith("backward").contains("tenant"));
  }

  @Test
  void detectsRemovedFieldWithoutDefault() {
    final Schema broken = SchemaEdits.withoutFields(ArtifactPushed.getClassSchema(), "source");

    assertThat(broken.getField("source")).isNull();
    assertThat(SchemaHistory.incompatibilities(broken, SchemaHistory.released("ArtifactPushed")))
        .anySatisfy(p -> assertThat(p).startsWith("forward").contains("source"));
  }

  @Test
  void detectsRemovedEnumSymbolAndTypeChange() {
    final Schema noFail = mutate(Verdict.getClassSchema(), "\"PASS\",\"FAIL\",", "\"PASS\",");
    final Schema sizeAsString = mutate(ArtifactPushed.getClassSchema(),
        "{\"name\":\"size\",\"type\":[\"null\",\"long\"]", "{\"name\":\"size\",\"type\":[\"null\",\"string\"]");

    assertThat(SchemaHistory.incompatibilities(noFail, SchemaHistory.released("Verdict"))).isNotEmpty();
    assertThat(SchemaHistory.incompatibilities(sizeAsString, SchemaHistory.released("ArtifactPushed"))).isNotEmpty();
  }

  private static Schema mutate(final Schema schema, final String from, final String to) {
    final String json = schema.toString();
    assertThat(json).as("mutation anchor").contains(from);
    return new Schema.Parser().parse(json.replaceFirst(java.util.regex.Pattern.quote(from), java.util.regex.Matcher.quoteReplacement(to)));
  }
}
