package dev.sigstream.ingest.source;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A manifest push as a parser read it, before validation. Mutable builder-style holder, local to one request.
 * {@code registry} is null when the payload does not name the host (the source's configured registry is used).
 */
final class Push {
  String id;
  String registry;
  String repository;
  String digest;
  String tag;
  String mediaType;
  Long size;
  Instant occurredAt;
  String actor;
  final Map<String, String> attributes = new LinkedHashMap<>();

  /** Where in the payload this push came from, for error messages ({@code events[1]}). */
  final String path;

  Push(final String path) {
    this.path = path;
  }

  Push attr(final String key, final String value) {
    if (value != null && !value.isEmpty()) {
      attributes.put(key, value);
    }
    return this;
  }
}
