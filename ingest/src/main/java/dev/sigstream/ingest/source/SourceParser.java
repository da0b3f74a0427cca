package dev.sigstream.ingest.source;

/**
 * Reads one source type's payloads. Pure: no I/O, no clock, no Kafka. Throws {@link BadInput} (package-private)
 * for anything it must refuse; {@link Source} turns that into a typed rejection.
 */
interface SourceParser {

  Parsed parse(WebhookRequest request);

  /** Whether {@code OPTIONS} should answer the CloudEvents abuse-protection handshake for this type. */
  default boolean cloudEventsHandshake() {
    return false;
  }
}
