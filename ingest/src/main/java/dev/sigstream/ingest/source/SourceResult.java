package dev.sigstream.ingest.source;

import dev.sigstream.schemas.avro.ArtifactPushed;
import java.util.List;
import java.util.Map;

/** What a source made of one request: events to publish, a handshake answer, or a typed rejection. */
public sealed interface SourceResult permits SourceResult.Accepted, SourceResult.Handshake, SourceResult.Rejected {

  /**
   * An authenticated, well-formed delivery.
   *
   * @param events manifest pushes to publish, all or none
   * @param ignored events that are not manifest pushes (blobs, layers, pulls, mounts, scans, pings)
   * @param deleted delete events: recorded in metrics and logs, never published (they are not to be verified)
   * @param deliveryId the sender's delivery id when it has one beside per-event ids (GitHub), else null
   */
  record Accepted(List<ArtifactPushed> events, int ignored, int deleted, String deliveryId) implements SourceResult {
    public Accepted {
      events = List.copyOf(events);
    }
  }

  /** A handshake to answer as is; nothing is published. */
  record Handshake(int status, Map<String, String> headers, String jsonBody) implements SourceResult {
    public Handshake {
      headers = Map.copyOf(headers);
    }
  }

  /**
   * A refused request; nothing is published.
   *
   * @param status HTTP status (400, 401, 403, 413, 415)
   * @param reason stable UPPER_SNAKE reason code, also the metrics tag
   * @param message human text naming the problem; never echoes secrets
   */
  record Rejected(int status, Reason reason, String message) implements SourceResult {}

  /** Rejection reasons, each with its HTTP status. */
  enum Reason {
    UNAUTHENTICATED(401),
    BAD_SIGNATURE(401),
    REGISTRY_NOT_ALLOWED(403),
    PAYLOAD_TOO_LARGE(413),
    UNSUPPORTED_MEDIA_TYPE(415),
    MALFORMED_JSON(400),
    MISSING_FIELD(400),
    INVALID_FIELD(400),
    INVALID_NAME(400),
    INVALID_DIGEST(400),
    TOO_MANY_EVENTS(400);

    private final int status;

    Reason(final int status) {
      this.status = status;
    }

    public int status() {
      return status;
    }

    public Rejected reject(final String message) {
      return new Rejected(status, this, message);
    }
  }
}
