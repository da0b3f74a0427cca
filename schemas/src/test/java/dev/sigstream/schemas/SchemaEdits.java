package dev.sigstream.schemas;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.apache.avro.Schema;

/** Builds modified copies of record schemas for compatibility tests. */
final class SchemaEdits {

  private SchemaEdits() {}

  static Schema withoutFields(final Schema record, final String... names) {
    final Set<String> drop = Set.of(names);
    final List<Schema.Field> fields = new ArrayList<>();
    for (final Schema.Field f : record.getFields()) {
      if (!drop.contains(f.name())) {
        fields.add(new Schema.Field(f, f.schema()));
      }
    }
    return Schema.createRecord(record.getName(), record.getDoc(), record.getNamespace(), false, fields);
  }
}
