package dev.sigstream.schemas;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.Objects;
import org.apache.avro.Schema;
import org.apache.avro.data.TimeConversions;
import org.apache.avro.message.BadHeaderException;
import org.apache.avro.message.BinaryMessageDecoder;
import org.apache.avro.message.BinaryMessageEncoder;
import org.apache.avro.message.MissingSchemaException;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serializer;

/**
 * Kafka serde for an Avro specific record using Avro single-object encoding: every value starts with the
 * two-byte marker {@code C3 01} and the 8-byte CRC-64-AVRO fingerprint of its writer schema.
 *
 * <p>The decoder knows the current schema and every released schema in {@link SchemaHistory}, so records written
 * by older producers stay readable and are resolved to the current reader schema. A value whose fingerprint is
 * unknown, or whose bytes do not parse, raises {@link SerializationException}; the Kafka consumer wraps it in a
 * {@code RecordDeserializationException} that names the topic, partition and offset. Nothing is swallowed.
 *
 * <p>Instances are immutable and thread-safe (Avro's encoder and decoder keep per-thread buffers).
 */
public final class AvroSerde<T extends SpecificRecord> implements Serde<T> {

  static {
    AvroTrust.ensure();
  }

  private final Class<T> type;
  private final BinaryMessageEncoder<T> encoder;
  private final BinaryMessageDecoder<T> decoder;

  AvroSerde(final Class<T> type, final Schema current, final List<Schema> history) {
    this.type = type;
    // A model of our own with every logical-type conversion the contracts use: the generated classes register
    // conversions per class only, which misses timestamps nested in unions of other records.
    final SpecificData model = new SpecificData(type.getClassLoader());
    model.addLogicalTypeConversion(new TimeConversions.TimestampMillisConversion());
    this.encoder = new BinaryMessageEncoder<>(model, current);
    this.decoder = new BinaryMessageDecoder<>(model, current);
    for (final Schema old : history) {
      decoder.addSchema(old);
    }
  }

  /** A serde for {@code type}, reading every released version of its schema. */
  public static <T extends SpecificRecord> AvroSerde<T> of(final Class<T> type) {
    final Schema current = SpecificData.get().getSchema(Objects.requireNonNull(type, "type"));
    return new AvroSerde<>(type, current, SchemaHistory.released(current.getName()));
  }

  /** Encodes a value as single-object bytes. */
  public byte[] encode(final T value) {
    try {
      final ByteBuffer buffer = encoder.encode(value);
      final byte[] bytes = new byte[buffer.remaining()];
      buffer.get(bytes);
      return bytes;
    } catch (IOException | RuntimeException e) {
      throw new SerializationException("cannot encode " + type.getSimpleName() + ": " + e.getMessage(), e);
    }
  }

  /** Decodes single-object bytes written with the current or any released schema. */
  public T decode(final byte[] bytes) {
    try {
      return decoder.decode(bytes);
    } catch (MissingSchemaException e) {
      throw new SerializationException(
          type.getSimpleName() + " written with an unknown schema (fingerprint not in the schema store)", e);
    } catch (BadHeaderException e) {
      throw new SerializationException(
          "not an Avro single-object encoded " + type.getSimpleName() + " (bad header)", e);
    } catch (IOException | RuntimeException e) {
      throw new SerializationException("malformed " + type.getSimpleName() + ": " + e.getMessage(), e);
    }
  }

  @Override
  public Serializer<T> serializer() {
    return (topic, value) -> value == null ? null : encode(value);
  }

  @Override
  public Deserializer<T> deserializer() {
    return (topic, bytes) -> bytes == null ? null : decode(bytes);
  }
}
