package dev.sigstream.ingest.source;

import com.azure.core.models.CloudEvent;
import com.azure.core.util.BinaryData;
import com.azure.messaging.eventgrid.EventGridEvent;
import com.azure.messaging.eventgrid.systemevents.ContainerRegistryArtifactEventData;
import com.azure.messaging.eventgrid.systemevents.ContainerRegistryArtifactEventTarget;
import com.azure.messaging.eventgrid.systemevents.ContainerRegistryChartPushedEventData;
import com.azure.messaging.eventgrid.systemevents.ContainerRegistryEventData;
import com.azure.messaging.eventgrid.systemevents.ContainerRegistryEventTarget;
import com.azure.messaging.eventgrid.systemevents.ContainerRegistryImagePushedEventData;
import com.azure.messaging.eventgrid.systemevents.SubscriptionValidationEventData;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * Azure Container Registry events delivered by Event Grid, in the Event Grid schema (JSON array) or CloudEvents
 * 1.0 (structured, single or batched), parsed with the Azure Event Grid SDK. Answers the
 * {@code SubscriptionValidationEvent} handshake (200 with {@code validationResponse}); the CloudEvents
 * {@code OPTIONS} handshake is answered by the HTTP layer ({@link #cloudEventsHandshake()}).
 * {@code ImagePushed} and {@code ChartPushed} are published; {@code ImageDeleted} and {@code ChartDeleted} are
 * counted as deletes; other types are ignored.
 */
@SuppressWarnings("deprecation") // the 4.x system-event classes are deprecated in favour of an artifact not served here
final class EventGridParser implements SourceParser {

  static final String IMAGE_PUSHED = "Microsoft.ContainerRegistry.ImagePushed";
  static final String CHART_PUSHED = "Microsoft.ContainerRegistry.ChartPushed";
  static final String IMAGE_DELETED = "Microsoft.ContainerRegistry.ImageDeleted";
  static final String CHART_DELETED = "Microsoft.ContainerRegistry.ChartDeleted";
  static final String VALIDATION = "Microsoft.EventGrid.SubscriptionValidationEvent";

  @Override
  public boolean cloudEventsHandshake() {
    return true;
  }

  @Override
  public Parsed parse(final WebhookRequest request) {
    final String mt = request.mediaType();
    final String body = new String(request.body(), StandardCharsets.UTF_8);
    if (mt.equals(MediaTypes.CE_JSON) || mt.equals(MediaTypes.CE_BATCH)) {
      CloudEventsParser.checkEnvelopes(Json.parse(request.body()));
      return cloudEvents(body);
    }
    if (!mt.equals(MediaTypes.JSON)) {
      throw MediaTypes.unsupported(mt, MediaTypes.JSON + " (Event Grid schema) or " + MediaTypes.CE_JSON);
    }
    // Well-formedness first, with Jackson, so that SDK errors below are about content, not syntax.
    Json.parse(request.body());
    final List<EventGridEvent> events;
    try {
      events = EventGridEvent.fromString(body);
    } catch (RuntimeException e) {
      throw sdkError("Event Grid schema", e);
    }
    if ("SubscriptionValidation".equalsIgnoreCase(request.header("aeg-event-type"))) {
      return validation(events);
    }
    final Parsed out = new Parsed();
    for (int i = 0; i < events.size(); i++) {
      final EventGridEvent e = events.get(i);
      final String path = "[" + i + "]";
      final Instant time = e.getEventTime() == null ? null : e.getEventTime().toInstant();
      acr(out, e.getEventType(), e.getId(), time, e.getData(), path);
    }
    return out;
  }

  private static Parsed validation(final List<EventGridEvent> events) {
    for (final EventGridEvent e : events) {
      if (VALIDATION.equals(e.getEventType())) {
        final SubscriptionValidationEventData d;
        try {
          d = e.getData().toObject(SubscriptionValidationEventData.class);
        } catch (RuntimeException ex) {
          throw sdkError("SubscriptionValidationEvent data", ex);
        }
        if (d == null || d.getValidationCode() == null || d.getValidationCode().isEmpty()) {
          throw Json.missing("[0].data.validationCode");
        }
        final String code = d.getValidationCode();
        if (code.length() > 256) {
          throw new BadInput(SourceResult.Reason.INVALID_FIELD, "data.validationCode is longer than 256 characters");
        }
        final String json = Json.MAPPER.createObjectNode().put("validationResponse", code).toString();
        return Parsed.handshake(new SourceResult.Handshake(200, Map.of(), json));
      }
    }
    throw new BadInput(SourceResult.Reason.MISSING_FIELD,
        "aeg-event-type is SubscriptionValidation but the body holds no " + VALIDATION);
  }

  private static Parsed cloudEvents(final String body) {
    final List<CloudEvent> events;
    try {
      events = CloudEvent.fromString(body);
    } catch (RuntimeException e) {
      throw sdkError("CloudEvents", e);
    }
    final Parsed out = new Parsed();
    for (int i = 0; i < events.size(); i++) {
      final CloudEvent e = events.get(i);
      final Instant time = e.getTime() == null ? null : e.getTime().toInstant();
      acr(out, e.getType(), e.getId(), time, e.getData(), "[" + i + "]");
    }
    return out;
  }

  /** Maps one ACR system event (either envelope) into {@code out}. */
  static void acr(final Parsed out, final String type, final String id, final Instant time, final BinaryData data,
      final String path) {
    switch (type == null ? "" : type) {
      case IMAGE_PUSHED -> {
        final ContainerRegistryEventData d = data(data, ContainerRegistryImagePushedEventData.class, path);
        final ContainerRegistryEventTarget t = d.getTarget();
        if (t == null) {
          throw Json.missing(path + ".data.target");
        }
        final Push p = new Push(path);
        p.id = id;
        p.occurredAt = d.getTimestamp() != null ? d.getTimestamp().toInstant() : time;
        p.repository = t.getRepository();
        p.digest = required(t.getDigest(), path + ".data.target.digest");
        p.tag = t.getTag();
        p.mediaType = t.getMediaType();
        p.size = t.getSize();
        if (d.getRequest() != null) {
          p.registry = d.getRequest().getHost();
          p.attr("requestId", d.getRequest().getId());
          p.attr("userAgent", d.getRequest().getUseragent());
        }
        if (d.getActor() != null) {
          p.actor = d.getActor().getName();
        }
        p.attr("location", d.getLocation());
        if (d.getConnectedRegistry() != null) {
          p.attr("connectedRegistry", d.getConnectedRegistry().getName());
        }
        out.pushes.add(p);
      }
      case CHART_PUSHED -> {
        final ContainerRegistryArtifactEventData d = data(data, ContainerRegistryChartPushedEventData.class, path);
        final ContainerRegistryArtifactEventTarget t = d.getTarget();
        if (t == null) {
          throw Json.missing(path + ".data.target");
        }
        final Push p = new Push(path);
        p.id = id;
        p.occurredAt = d.getTimestamp() != null ? d.getTimestamp().toInstant() : time;
        p.repository = t.getRepository();
        p.digest = required(t.getDigest(), path + ".data.target.digest");
        p.tag = t.getTag();
        p.mediaType = t.getMediaType();
        p.size = t.getSize();
        p.attr("chartName", t.getName()).attr("chartVersion", t.getVersion()).attr("location", d.getLocation());
        if (d.getConnectedRegistry() != null) {
          p.attr("connectedRegistry", d.getConnectedRegistry().getName());
        }
        out.pushes.add(p);
      }
      case IMAGE_DELETED, CHART_DELETED -> out.deleted++;
      default -> out.ignored++;
    }
  }

  private static String required(final String v, final String path) {
    if (v == null || v.isEmpty()) {
      throw Json.missing(path);
    }
    return v;
  }

  private static <T> T data(final BinaryData data, final Class<T> type, final String path) {
    if (data == null) {
      throw Json.missing(path + ".data");
    }
    try {
      final T t = data.toObject(type);
      if (t == null) {
        throw Json.missing(path + ".data");
      }
      return t;
    } catch (BadInput e) {
      throw e;
    } catch (RuntimeException e) {
      throw new BadInput(SourceResult.Reason.INVALID_FIELD, path + ".data does not match " + type.getSimpleName()
          + ": " + Json.clip(e.getMessage()));
    }
  }

  static BadInput sdkError(final String what, final RuntimeException e) {
    final String msg = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    return new BadInput(SourceResult.Reason.INVALID_FIELD, "not a valid " + what + " payload: " + Json.clip(msg));
  }
}
