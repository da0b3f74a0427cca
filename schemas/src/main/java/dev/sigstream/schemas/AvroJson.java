package dev.sigstream.schemas;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.avro.LogicalTypes;
import org.apache.avro.Schema;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificRecord;

/**
 * Plain JSON rendering of the public contracts, for people and tools outside Kafka ({@code sigstream verify --output
 * json}, the query API). Field names and nesting are the Avro schema's; optional values are {@code null} rather than
 * Avro's {@code {"string": …}} union wrappers; enums are their symbol; {@code timestamp-millis} fields are ISO-8601
 * UTC strings; other numbers are numbers.
 *
 * <p>Hand-written because Avro's own JSON encoding wraps every union branch, which no jq user wants, and Jackson's
 * bean mapping of generated classes leaks Avro internals ({@code schema}, {@code specificData}).
 * {@link #fromJson} is the exact inverse and rejects documents that do not fit the schema, which is how tests
 * check that a rendering matches the contract.
 */
public final class AvroJson {

  private static final JsonNodeFactory F = JsonNodeFactory.instance;

  static {
    AvroTrust.ensure();
  }

  private AvroJson() {}

  public static ObjectNode toJson(final SpecificRecord record) {
    return (ObjectNode) write(record.getSchema(), record);
  }

  /** Parses a rendering back into the record type; throws {@link IllegalArgumentException} naming the bad path. */
  public static <T extends SpecificRecord> T fromJson(final JsonNode json, final Class<T> type) {
    final Schema schema = SpecificData.get().getSchema(type);
    return type.cast(read(schema, json, "$"));
  }

  private static JsonNode write(final Schema schema, final Object value) {
    if (value == null) {
      return F.nullNode();
    }
    switch (schema.getType()) {
      case RECORD -> {
        final SpecificRecord r = (SpecificRecord) value;
        final ObjectNode o = F.objectNode();
        for (final Schema.Field f : schema.getFields()) {
          o.set(f.name(), write(f.schema(), r.get(f.pos())));
        }
        return o;
      }
      case UNION -> {
        return write(nonNull(schema), value);
      }
      case ENUM, STRING -> {
        return F.textNode(value.toString());
      }
      case LONG -> {
        if (value instanceof Instant i) {
          return F.textNode(i.toString());
        }
        return F.numberNode((Long) value);
      }
      case INT -> {
        return F.numberNode((Integer) value);
      }
      case BOOLEAN -> {
        return F.booleanNode((Boolean) value);
      }
      case DOUBLE -> {
        return F.numberNode((Double) value);
      }
      case ARRAY -> {
        final ArrayNode a = F.arrayNode();
        for (final Object item : (Collection<?>) value) {
          a.add(write(schema.getElementType(), item));
        }
        return a;
      }
      case MAP -> {
        final ObjectNode o = F.objectNode();
        for (final Map.Entry<?, ?> e : ((Map<?, ?>) value).entrySet()) {
          o.set(e.getKey().toString(), write(schema.getValueType(), e.getValue()));
        }
        return o;
      }
      default -> throw new IllegalArgumentException("unsupported Avro type " + schema.getType());
    }
  }

  private static Object read(final Schema schema, final JsonNode node, final String path) {
    if (schema.getType() == Schema.Type.UNION) {
      if (node == null || node.isNull()) {
        if (schema.getTypes().stream().noneMatch(s -> s.getType() == Schema.Type.NULL)) {
          throw new IllegalArgumentException(path + ": must not be null");
        }
        return null;
      }
      return read(nonNull(schema), node, path);
    }
    if (node == null || node.isNull()) {
      throw new IllegalArgumentException(path + ": required " + schema.getType().getName() + " is missing");
    }
    switch (schema.getType()) {
      case RECORD -> {
        if (!node.isObject()) {
          throw new IllegalArgumentException(path + ": expected an object");
        }
        final SpecificRecord r = (SpecificRecord) SpecificData.get().newRecord(null, schema);
        for (final Schema.Field f : schema.getFields()) {
          final JsonNode child = node.get(f.name());
          if (child == null && f.hasDefaultValue()) {
            r.put(f.pos(), SpecificData.get().deepCopy(f.schema(), SpecificData.get().getDefaultValue(f)));
          } else {
            r.put(f.pos(), read(f.schema(), child, path + "." + f.name()));
          }
        }
        final Iterator<String> names = node.fieldNames();
        while (names.hasNext()) {
          final String n = names.next();
          if (schema.getField(n) == null) {
            throw new IllegalArgumentException(path + ": unknown field '" + n + "'");
          }
        }
        return r;
      }
      case ENUM -> {
        if (!node.isTextual() || !schema.getEnumSymbols().contains(node.asText())) {
          throw new IllegalArgumentException(path + ": expected one of " + schema.getEnumSymbols());
        }
        return SpecificData.get().createEnum(node.asText(), schema);
      }
      case STRING -> {
        if (!node.isTextual()) {
          throw new IllegalArgumentException(path + ": expected a string");
        }
        return node.asText();
      }
      case LONG -> {
        if (schema.getLogicalType() instanceof LogicalTypes.TimestampMillis) {
          try {
            return Instant.parse(node.asText());
          } catch (DateTimeParseException e) {
            throw new IllegalArgumentException(path + ": expected an ISO-8601 UTC timestamp");
          }
        }
        if (!node.isIntegralNumber()) {
          throw new IllegalArgumentException(path + ": expected an integer");
        }
        return node.asLong();
      }
      case INT -> {
        if (!node.isInt()) {
          throw new IllegalArgumentException(path + ": expected an int");
        }
        return node.asInt();
      }
      case BOOLEAN -> {
        if (!node.isBoolean()) {
          throw new IllegalArgumentException(path + ": expected true or false");
        }
        return node.asBoolean();
      }
      case DOUBLE -> {
        if (!node.isNumber()) {
          throw new IllegalArgumentException(path + ": expected a number");
        }
        return node.asDouble();
      }
      case ARRAY -> {
        if (!node.isArray()) {
          throw new IllegalArgumentException(path + ": expected an array");
        }
        final List<Object> out = new ArrayList<>();
        for (int i = 0; i < node.size(); i++) {
          out.add(read(schema.getElementType(), node.get(i), path + "[" + i + "]"));
        }
        return out;
      }
      case MAP -> {
        if (!node.isObject()) {
          throw new IllegalArgumentException(path + ": expected an object");
        }
        final Map<String, Object> out = new LinkedHashMap<>();
        node.fields().forEachRemaining(e -> out.put(e.getKey(), read(schema.getValueType(), e.getValue(), path + "." + e.getKey())));
        return out;
      }
      default -> throw new IllegalArgumentException(path + ": unsupported Avro type " + schema.getType());
    }
  }

  private static Schema nonNull(final Schema union) {
    return union.getTypes().stream().filter(s -> s.getType() != Schema.Type.NULL).findFirst()
        .orElseThrow(() -> new IllegalArgumentException("union without a non-null branch"));
  }
}
