package dev.sigstream.ingest.source;

import com.azure.core.models.CloudEvent;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;

/**
 * CloudEvents 1.0 over HTTP in all three modes: structured ({@code application/cloudevents+json}), batched
 * ({@code application/cloudevents-batch+json}) and binary ({@code ce-*} headers, the body is {@code data}).
 * Structured and batched envelopes are parsed with the Azure SDK's {@link CloudEvent}; binary mode is read from
 * the headers here (the SDK has no HTTP binding for it).
 *
 * <p>Known event types are mapped; every other type is ignored and counted:
 * <ul>
 *   <li>{@code dev.sigstream.artifact.pushed}: {@code data.{registry?, repository, digest?, tag?, mediaType?,
 *       artifactType?, subject?, size?}}, the generic contract for any sender;
 *   <li>{@code Microsoft.ContainerRegistry.*} (Event Grid CloudEvents output);
 *   <li>{@code harbor.artifact.pushed|deleted} (Harbor's CloudEvents format);
 *   <li>{@code zotregistry.image.updated|deleted} (Zot).
 * </ul>
 */
final class CloudEventsParser implements SourceParser {

  static final String GENERIC_PUSHED = "dev.sigstream.artifact.pushed";
  static final int MAX_EVENTS = 1000;

  @Override
  public boolean cloudEventsHandshake() {
    return true;
  }

  @Override
  public Parsed parse(final WebhookRequest request) {
    final String mt = request.mediaType();
    if (mt.equals(MediaTypes.CE_JSON) || mt.equals(MediaTypes.CE_BATCH)) {
      return structured(request);
    }
    if (request.header("ce-specversion") != null) {
      return binary(request);
    }
    throw MediaTypes.unsupported(mt, MediaTypes.CE_JSON + ", " + MediaTypes.CE_BATCH
        + " or a binary-mode CloudEvent (ce-* headers with a JSON body)");
  }

  static Parsed structured(final WebhookRequest request) {
    // The SDK accepts one object or an array; the batch media type requires an array.
    final JsonNode shape = Json.parse(request.body());
    final boolean batch = request.mediaType().equals(MediaTypes.CE_BATCH);
    if (batch && !shape.isArray()) {
      throw Json.wrongType("body", "a JSON array of CloudEvents (" + MediaTypes.CE_BATCH + ")", shape);
    }
    if (!batch && !shape.isObject()) {
      throw Json.wrongType("body", "one CloudEvent object (" + MediaTypes.CE_JSON + ")", shape);
    }
    if (shape.size() > MAX_EVENTS && batch) {
      throw new BadInput(SourceResult.Reason.TOO_MANY_EVENTS, "batch has " + shape.size() + " events; at most " + MAX_EVENTS);
    }
    checkEnvelopes(shape);
    final List<CloudEvent> events;
    try {
      events = CloudEvent.fromString(new String(request.body(), StandardCharsets.UTF_8));
    } catch (RuntimeException e) {
      throw EventGridParser.sdkError("CloudEvents 1.0", e);
    }
    final Parsed out = new Parsed();
    for (int i = 0; i < events.size(); i++) {
      final CloudEvent e = events.get(i);
      final String path = batch ? "[" + i + "]" : "event";
      final Instant time = e.getTime() == null ? null : e.getTime().toInstant();
      final Object operator = e.getExtensionAttributes() == null ? null : e.getExtensionAttributes().get("operator");
      map(out, e.getType(), e.getId(), e.getSource(), time, operator == null ? null : operator.toString(), path,
          () -> e.getData() == null ? null : Json.parse(e.getData().toBytes()), e);
    }
    return out;
  }

  /**
   * The SDK tolerates a missing or mis-spelt {@code specversion}; the CloudEvents spec does not, so each envelope
   * must carry {@code "specversion": "1.0"}.
   */
  static void checkEnvelopes(final JsonNode shape) {
    if (shape.isObject()) {
      checkEnvelope(shape, "event");
    } else if (shape.isArray()) {
      for (int i = 0; i < shape.size(); i++) {
        if (!shape.get(i).isObject()) {
          throw Json.wrongType("[" + i + "]", "a CloudEvent object", shape.get(i));
        }
        checkEnvelope(shape.get(i), "[" + i + "]");
      }
    } else {
      throw Json.wrongType("body", "a CloudEvent object or an array of them", shape);
    }
  }

  private static void checkEnvelope(final JsonNode e, final String path) {
    final String spec = Json.text(e, "specversion", path);
    if (!"1.0".equals(spec)) {
      throw new BadInput(SourceResult.Reason.INVALID_FIELD, path + ".specversion must be \"1.0\", got '" + Json.clip(spec) + "'");
    }
  }

  static Parsed binary(final WebhookRequest request) {
    final String spec = decode(request.header("ce-specversion"), "ce-specversion");
    if (!"1.0".equals(spec)) {
      throw new BadInput(SourceResult.Reason.INVALID_FIELD, "ce-specversion must be 1.0, got '" + Json.clip(spec) + "'");
    }
    final String id = requiredHeader(request, "ce-id");
    final String source = requiredHeader(request, "ce-source");
    final String type = requiredHeader(request, "ce-type");
    final String timeHeader = request.header("ce-time");
    final Instant time = timeHeader == null ? null : Json.time(decode(timeHeader, "ce-time"), "ce-time");
    final String mt = request.mediaType();
    if (!mt.isEmpty() && !MediaTypes.isJson(mt)) {
      throw MediaTypes.unsupported(mt, "a JSON data content type (application/json) in binary mode");
    }
    final Parsed out = new Parsed();
    map(out, type, id, source, time, null, "event", () -> Json.parse(request.body()), null);
    return out;
  }

  interface DataSupplier {
    JsonNode get();
  }

  private static void map(final Parsed out, final String type, final String id, final String source, final Instant time,
      final String operator, final String path, final DataSupplier data, final CloudEvent sdkEvent) {
    final String eventId = id + "@" + shortHash(source == null ? "" : source);
    final String t = type == null ? "" : type;
    if (t.startsWith("Microsoft.ContainerRegistry.")) {
      EventGridParser.acr(out, t, id, time,
          sdkEvent != null ? sdkEvent.getData() : com.azure.core.util.BinaryData.fromString(data.get().toString()), path);
      return;
    }
    switch (t) {
      case GENERIC_PUSHED -> out.pushes.add(generic(data.get(), eventId, time, path));
      case "harbor.artifact.pushed" -> HarborParser.eventData(out, requireData(data.get(), path), eventId, time, operator, path + ".data");
      case "harbor.artifact.deleted", "zotregistry.image.deleted" -> out.deleted++;
      case "zotregistry.image.updated" -> out.pushes.add(ZotParser.data(requireData(data.get(), path), eventId, time, path + ".data"));
      default -> out.ignored++;
    }
  }

  private static JsonNode requireData(final JsonNode d, final String path) {
    if (d == null || d.isNull()) {
      throw Json.missing(path + ".data");
    }
    if (!d.isObject()) {
      throw Json.wrongType(path + ".data", "an object", d);
    }
    return d;
  }

  private static Push generic(final JsonNode raw, final String id, final Instant time, final String path) {
    final JsonNode d = requireData(raw, path);
    final String dp = path + ".data";
    final Push p = new Push(path);
    p.id = id;
    p.occurredAt = time;
    p.registry = Json.optText(d, "registry", dp);
    p.repository = Json.text(d, "repository", dp);
    p.digest = Json.optText(d, "digest", dp);
    p.tag = Json.optText(d, "tag", dp);
    p.mediaType = Json.optText(d, "mediaType", dp);
    p.size = Json.optLong(d, "size", dp);
    p.attr("artifactType", Json.optText(d, "artifactType", dp));
    final JsonNode subject = d.get("subject");
    if (subject != null && subject.isObject()) {
      p.attr("subject", Json.optText(subject, "digest", dp + ".subject"));
    } else if (subject != null && !subject.isNull()) {
      p.attr("subject", Json.optText(d, "subject", dp));
    }
    p.actor = Json.optText(d, "actor", dp);
    return p;
  }

  private static String requiredHeader(final WebhookRequest r, final String name) {
    final String v = r.header(name);
    if (v == null || v.isEmpty()) {
      throw new BadInput(SourceResult.Reason.MISSING_FIELD, "header " + name + " is required in binary mode");
    }
    return decode(v, name);
  }

  /**
   * CloudEvents HTTP binding, 3.1.3.2: header values are percent-encoded (and may be double-quoted). Hand-written
   * because {@code URLDecoder} would also turn '+' into a space, which the binding does not.
   */
  static String decode(final String raw, final String name) {
    String v = raw.trim();
    if (v.length() >= 2 && v.charAt(0) == '"' && v.charAt(v.length() - 1) == '"') {
      v = v.substring(1, v.length() - 1);
    }
    if (v.indexOf('%') < 0) {
      return v;
    }
    final ByteArrayOutputStream b = new ByteArrayOutputStream(v.length());
    for (int i = 0; i < v.length(); i++) {
      final char c = v.charAt(i);
      if (c == '%') {
        if (i + 2 >= v.length()) {
          throw new BadInput(SourceResult.Reason.INVALID_FIELD, "header " + name + " has a truncated %-escape");
        }
        final int hi = Character.digit(v.charAt(i + 1), 16);
        final int lo = Character.digit(v.charAt(i + 2), 16);
        if (hi < 0 || lo < 0) {
          throw new BadInput(SourceResult.Reason.INVALID_FIELD, "header " + name + " has an invalid %-escape");
        }
        b.write(hi << 4 | lo);
        i += 2;
      } else {
        final byte[] bytes = String.valueOf(c).getBytes(StandardCharsets.UTF_8);
        b.write(bytes, 0, bytes.length);
      }
    }
    return b.toString(StandardCharsets.UTF_8);
  }

  static String shortHash(final String s) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8)), 0, 6);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
