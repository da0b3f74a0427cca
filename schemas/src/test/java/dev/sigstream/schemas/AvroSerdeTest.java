package dev.sigstream.schemas;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sigstream.schemas.avro.ArtifactPushed;
import dev.sigstream.schemas.avro.Verdict;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.List;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.message.BinaryMessageEncoder;
import org.apache.kafka.common.errors.SerializationException;
import org.junit.jupiter.api.Test;

class AvroSerdeTest {

  @Test
  void roundTripsEveryField_forBothContracts() {
    final var events = AvroSerde.of(ArtifactPushed.class);
    final var verdicts = AvroSerde.of(Verdict.class);

    final ArtifactPushed pushed = Samples.pushed("e-1");
    final Verdict verdict = Samples.verdict("e-1");

    assertThat(events.decode(events.encode(pushed))).isEqualTo(pushed);
    assertThat(verdicts.decode(verdicts.encode(verdict))).isEqualTo(verdict);
  }

  @Test
  void everyValueCarriesSingleObjectHeaderAndFingerprint() {
    final byte[] bytes = AvroSerde.of(ArtifactPushed.class).encode(Samples.pushed("e-1"));

    assertThat(bytes[0]).isEqualTo((byte) 0xC3);
    assertThat(bytes[1]).isEqualTo((byte) 0x01);
    final long fingerprint = ByteBuffer.wrap(bytes, 2, 8).order(java.nio.ByteOrder.LITTLE_ENDIAN).getLong();
    assertThat(fingerprint).isEqualTo(org.apache.avro.SchemaNormalization.parsingFingerprint64(ArtifactPushed.getClassSchema()));
  }

  @Test
  void readsRecordsWrittenWithAnOlderSchema_whenItIsInTheStore() throws IOException {
    // Given: a writer schema from "before" the optional actor field and the attributes map existed
    final Schema current = ArtifactPushed.getClassSchema();
    final Schema older = SchemaEdits.withoutFields(current, "actor", "attributes");
    assertThat(older.getField("actor")).isNull();
    assertThat(older.getField("attributes")).isNull();
    final GenericRecord old = new GenericData.Record(older);
    final ArtifactPushed sample = Samples.pushed("old-1");
    old.put("eventId", "old-1");
    old.put("source", "harbor");
    old.put("artifact", toGeneric(older.getField("artifact").schema(), sample));
    old.put("occurredAt", 1L);
    old.put("receivedAt", 2L);
    final ByteBuffer written = new BinaryMessageEncoder<GenericRecord>(GenericData.get(), older).encode(old);
    final byte[] bytes = new byte[written.remaining()];
    written.get(bytes);

    // When
    final var serde = new AvroSerde<>(ArtifactPushed.class, current, List.of(older));
    final ArtifactPushed read = serde.decode(bytes);

    // Then: missing fields take their defaults
    assertThat(read.getEventId()).isEqualTo("old-1");
    assertThat(read.getActor()).isNull();
    assertThat(read.getAttributes()).isEmpty();
    assertThat(read.getArtifact().getDigest()).isEqualTo(Samples.DIGEST);
  }

  @Test
  void rejectsUnknownWriterSchema_withNamedError() throws IOException {
    final Schema stranger = new Schema.Parser().parse(
        "{\"type\":\"record\",\"name\":\"ArtifactPushed\",\"namespace\":\"x\",\"fields\":[{\"name\":\"a\",\"type\":\"int\"}]}");
    final GenericRecord r = new GenericData.Record(stranger);
    r.put("a", 1);
    final ByteBuffer buf = new BinaryMessageEncoder<GenericRecord>(GenericData.get(), stranger).encode(r);
    final byte[] bytes = new byte[buf.remaining()];
    buf.get(bytes);

    assertThatThrownBy(() -> AvroSerde.of(ArtifactPushed.class).decode(bytes))
        .isInstanceOf(SerializationException.class)
        .hasMessageContaining("unknown schema");
  }

  @Test
  void rejectsBytesWithoutSingleObjectHeader() {
    assertThatThrownBy(() -> AvroSerde.of(Verdict.class).decode("{\"outcome\":\"PASS\"}".getBytes(java.nio.charset.StandardCharsets.UTF_8)))
        .isInstanceOf(SerializationException.class)
        .hasMessageContaining("bad header");
  }

  @Test
  void rejectsTruncatedRecord() {
    final byte[] bytes = AvroSerde.of(Verdict.class).encode(Samples.verdict("e"));
    final byte[] truncated = java.util.Arrays.copyOf(bytes, bytes.length / 2);

    assertThatThrownBy(() -> AvroSerde.of(Verdict.class).decode(truncated))
        .isInstanceOf(SerializationException.class)
        .hasMessageContaining("malformed Verdict");
  }

  private static GenericRecord toGeneric(final Schema schema, final ArtifactPushed sample) {
    final GenericRecord ref = new GenericData.Record(schema);
    ref.put("registry", sample.getArtifact().getRegistry());
    ref.put("repository", sample.getArtifact().getRepository());
    ref.put("digest", sample.getArtifact().getDigest());
    ref.put("tag", null);
    ref.put("mediaType", null);
    ref.put("size", null);
    return ref;
  }
}
