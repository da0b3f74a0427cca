package dev.sigstream.ingest.source;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.sigstream.net.Rfc3339;
import java.io.IOException;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.OffsetDateTime;

/**
 * Strict, bounded JSON reading for webhook bodies (Jackson streaming underneath, so linear in the input) and
 * field accessors whose errors name the offending path ({@code events[0].target.repository}).
 */
final class Json {

  /** Payloads are nested a few levels deep; anything deeper is hostile. */
  private static final int MAX_DEPTH = 32;

  static final ObjectMapper MAPPER = JsonMapper.builder(JsonFactory.builder()
          .streamReadConstraints(StreamReadConstraints.builder()
              .maxNestingDepth(MAX_DEPTH).maxNumberLength(64).maxStringLength(1 << 20).maxNameLength(1024).build())
          .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
          .build())
      .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
      .build();

  private Json() {}

  static JsonNode parse(final byte[] body) {
    if (body.length == 0) {
      throw new BadInput(SourceResult.Reason.MALFORMED_JSON, "empty body: a JSON payload is required");
    }
    try {
      final JsonNode n = MAPPER.readTree(body);
      if (n == null || n.isMissingNode()) {
        throw new BadInput(SourceResult.Reason.MALFORMED_JSON, "empty body: a JSON payload is required");
      }
      return n;
    } catch (JsonProcessingException e) {
      throw new BadInput(SourceResult.Reason.MALFORMED_JSON, "body is not valid JSON: " + clip(e.getOriginalMessage())
          + (e.getLocation() == null ? "" : " (line " + e.getLocation().getLineNr() + ", column " + e.getLocation().getColumnNr() + ")"));
    } catch (IOException e) {
      throw new BadInput(SourceResult.Reason.MALFORMED_JSON, "body cannot be read as JSON");
    }
  }

  static JsonNode object(final JsonNode parent, final String field, final String path) {
    final JsonNode n = parent.get(field);
    if (n == null || n.isNull()) {
      throw missing(path + "." + field);
    }
    if (!n.isObject()) {
      throw wrongType(path + "." + field, "an object", n);
    }
    return n;
  }

  static JsonNode optObject(final JsonNode parent, final String field, final String path) {
    final JsonNode n = parent.get(field);
    if (n == null || n.isNull()) {
      return null;
    }
    if (!n.isObject()) {
      throw wrongType(path + "." + field, "an object", n);
    }
    return n;
  }

  static JsonNode array(final JsonNode parent, final String field, final String path) {
    final JsonNode n = parent.get(field);
    if (n == null || n.isNull()) {
      throw missing(path + "." + field);
    }
    if (!n.isArray()) {
      throw wrongType(path + "." + field, "an array", n);
    }
    return n;
  }

  static String text(final JsonNode parent, final String field, final String path) {
    final String s = optText(parent, field, path);
    if (s == null || s.isEmpty()) {
      throw missing(path + "." + field);
    }
    return s;
  }

  static String optText(final JsonNode parent, final String field, final String path) {
    final JsonNode n = parent.get(field);
    if (n == null || n.isNull()) {
      return null;
    }
    if (!n.isTextual()) {
      throw wrongType(path + "." + field, "a string", n);
    }
    return n.textValue();
  }

  static Long optLong(final JsonNode parent, final String field, final String path) {
    final JsonNode n = parent.get(field);
    if (n == null || n.isNull()) {
      return null;
    }
    if (!n.isIntegralNumber() || !n.canConvertToLong()) {
      throw wrongType(path + "." + field, "an integer", n);
    }
    return n.longValue();
  }

  /** An RFC 3339 timestamp (any offset), or null when absent. */
  static Instant optTime(final JsonNode parent, final String field, final String path) {
    final String s = optText(parent, field, path);
    if (s == null || s.isEmpty()) {
      return null;
    }
    return time(s, path + "." + field);
  }

  static Instant time(final String s, final String path) {
    final Instant fast = fastTime(s);
    if (fast != null) {
      return fast;
    }
    try {
      return OffsetDateTime.parse(s).toInstant();
    } catch (DateTimeException e) {
      throw new BadInput(SourceResult.Reason.INVALID_FIELD, path + " is not an RFC 3339 timestamp: '" + clip(s) + "'");
    }
  }

  /**
   * The common shape {@code yyyy-MM-ddTHH:mm:ss[.f{1,9}](Z|+HH:MM|-HH:MM)}, exactly as
   * {@link OffsetDateTime#parse} reads it, or null for anything else (which then goes to that parser, so what is
   * accepted and rejected does not change): the project's one strict parser, {@link Rfc3339}, shared with the
   * notary's signing times, because the JDK's formatter was about a tenth of a webhook's parsing CPU;
   * {@code JsonTimeTest} checks it against the JDK parser.
   */
  static Instant fastTime(final String s) {
    return Rfc3339.parse(s);
  }

  static BadInput missing(final String path) {
    return new BadInput(SourceResult.Reason.MISSING_FIELD, path + " is required");
  }

  static BadInput wrongType(final String path, final String expected, final JsonNode got) {
    return new BadInput(SourceResult.Reason.INVALID_FIELD, path + " must be " + expected + ", got " + got.getNodeType().name().toLowerCase(java.util.Locale.ROOT));
  }

  /** Echoes of sender input in error messages are short and printable. */
  static String clip(final String s) {
    if (s == null) {
      return "";
    }
    final StringBuilder b = new StringBuilder(Math.min(s.length(), 120));
    for (int i = 0; i < s.length() && b.length() < 120; i++) {
      final char c = s.charAt(i);
      b.append(c < 0x20 || c == 0x7f ? '?' : c);
    }
    if (s.length() > 120) {
      b.append('…');
    }
    return b.toString();
  }
}
