package dev.sigstream.schemas;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.apache.avro.Schema;
import org.apache.avro.SchemaCompatibility;

/**
 * Every released version of each public schema, kept as full (self-contained) schema documents under
 * {@code /avro-history/<Name>/v<N>.avsc} on the classpath. A release adds a file; files are never edited.
 * {@code SchemaCompatibilityTest} fails the build when the current schema cannot read an old one or an old one
 * cannot read the current.
 */
public final class SchemaHistory {

  /** Released versions per record name, oldest first. Add an entry when a schema changes in a release. */
  static final int ARTIFACT_PUSHED_VERSIONS = 1;
  static final int VERDICT_VERSIONS = 2;

  private SchemaHistory() {}

  /** The released schemas of a top-level record, oldest first. */
  public static List<Schema> released(final String recordName) {
    final int versions = switch (recordName) {
      case "ArtifactPushed" -> ARTIFACT_PUSHED_VERSIONS;
      case "Verdict" -> VERDICT_VERSIONS;
      default -> 0;
    };
    final List<Schema> schemas = new ArrayList<>(versions);
    for (int v = 1; v <= versions; v++) {
      schemas.add(load(recordName, v));
    }
    return List.copyOf(schemas);
  }

  /**
   * Every way in which {@code candidate} breaks compatibility with a released schema: the candidate must read data
   * written with each released version (backward) and each released version must read data written with the
   * candidate (forward). Empty when fully compatible.
   */
  public static List<String> incompatibilities(final Schema candidate, final List<Schema> released) {
    final List<String> problems = new ArrayList<>();
    for (int i = 0; i < released.size(); i++) {
      final Schema old = released.get(i);
      final String version = candidate.getName() + " v" + (i + 1);
      describe(SchemaCompatibility.checkReaderWriterCompatibility(candidate, old), "backward: current cannot read " + version, problems);
      describe(SchemaCompatibility.checkReaderWriterCompatibility(old, candidate), "forward: " + version + " cannot read current", problems);
    }
    return List.copyOf(problems);
  }

  private static void describe(final SchemaCompatibility.SchemaPairCompatibility result, final String what, final List<String> out) {
    if (result.getType() != SchemaCompatibility.SchemaCompatibilityType.COMPATIBLE) {
      for (final SchemaCompatibility.Incompatibility inc : result.getResult().getIncompatibilities()) {
        out.add(what + ": " + inc.getType() + " at " + inc.getLocation() + " (" + inc.getMessage() + ")");
      }
    }
  }

  static Schema load(final String recordName, final int version) {
    final String path = "/avro-history/" + recordName + "/v" + version + ".avsc";
    try (InputStream in = SchemaHistory.class.getResourceAsStream(path)) {
      if (in == null) {
        throw new IllegalStateException("missing released schema " + path);
      }
      return new Schema.Parser().parse(new String(in.readAllBytes(), StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
