package dev.sigstream.ingest.source;

import dev.sigstream.schemas.avro.ArtifactPushed;
import dev.sigstream.schemas.avro.ArtifactRef;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Turns parsed pushes into {@code ArtifactPushed}: validates every name at the edge, checks the registry against
 * the source's allowlist, and fixes a stable {@code eventId}. All or nothing: one bad push refuses the request.
 */
final class Normalizer {

  static final int MAX_ATTRIBUTE = 512;
  static final int MAX_ATTRIBUTES = 32;

  private final String sourceWireName;
  private final Set<String> allowedRegistries;
  private final String defaultRegistry;

  Normalizer(final String sourceWireName, final Set<String> allowedRegistries, final String defaultRegistry) {
    this.sourceWireName = sourceWireName;
    this.allowedRegistries = allowedRegistries;
    this.defaultRegistry = defaultRegistry;
  }

  List<ArtifactPushed> normalize(final List<Push> pushes, final Instant receivedAt) {
    final List<ArtifactPushed> out = new ArrayList<>(pushes.size());
    for (final Push p : pushes) {
      out.add(one(p, receivedAt));
    }
    return out;
  }

  private ArtifactPushed one(final Push p, final Instant receivedAt) {
    final String registry = p.registry == null || p.registry.isEmpty()
        ? defaultRegistry : Names.registry(p.registry, p.path + " registry host");
    if (!allowedRegistries.contains(registry)) {
      throw new BadInput(SourceResult.Reason.REGISTRY_NOT_ALLOWED,
          "this source may not report events for registry '" + registry + "' (" + p.path + ")");
    }
    if (p.repository == null || p.repository.isEmpty()) {
      throw Json.missing(p.path + " repository");
    }
    final String repository = Names.repository(p.repository, p.path + " repository");
    final String digest = p.digest == null || p.digest.isEmpty() ? null : Names.digest(p.digest, p.path + " digest");
    final String tag = p.tag == null || p.tag.isEmpty() ? null : Names.tag(p.tag, p.path + " tag");
    if (digest == null && tag == null) {
      throw new BadInput(SourceResult.Reason.MISSING_FIELD, p.path + " names neither a digest nor a tag");
    }
    if (p.size != null && p.size < 0) {
      throw new BadInput(SourceResult.Reason.INVALID_FIELD, p.path + " size must not be negative");
    }
    final Instant occurred = p.occurredAt != null ? p.occurredAt : receivedAt;
    final String eventId = p.id != null && !p.id.isEmpty()
        ? sourceWireName + ":" + clean(p.id, 200)
        : sourceWireName + ":" + derivedId(registry, repository, digest, tag, occurred);
    final Map<String, String> attrs = new LinkedHashMap<>();
    for (final Map.Entry<String, String> e : p.attributes.entrySet()) {
      if (attrs.size() >= MAX_ATTRIBUTES) {
        break;
      }
      attrs.put(e.getKey(), clean(e.getValue(), MAX_ATTRIBUTE));
    }
    final String mediaType = p.mediaType == null || p.mediaType.isEmpty() ? null : clean(p.mediaType, 255);
    if (mediaType != null) {
      attrs.put("mediaType", mediaType);
    }
    return ArtifactPushed.newBuilder()
        .setEventId(eventId)
        .setSource(sourceWireName)
        .setArtifact(ArtifactRef.newBuilder()
            .setRegistry(registry).setRepository(repository).setDigest(digest).setTag(tag)
            .setMediaType(mediaType).setSize(p.size).build())
        .setOccurredAt(occurred)
        .setReceivedAt(receivedAt)
        .setActor(p.actor == null || p.actor.isEmpty() ? null : clean(p.actor, 255))
        .setAttributes(new LinkedHashMap<>(attrs))
        .build();
  }

  /** For sources without an event id: a hash of what identifies the event, so redeliveries get the same id. */
  static String derivedId(final String registry, final String repository, final String digest, final String tag,
      final Instant occurred) {
    try {
      final MessageDigest md = MessageDigest.getInstance("SHA-256");
      final String joined = String.join("\u0000", registry, repository, digest == null ? "" : digest,
          tag == null ? "" : tag, Long.toString(occurred.toEpochMilli()));
      return "sha256-" + HexFormat.of().formatHex(md.digest(joined.getBytes(StandardCharsets.UTF_8)), 0, 16);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is required by the JDK", e);
    }
  }

  /** Attributes are informational: capped and stripped of control characters rather than refused. */
  static String clean(final String s, final int max) {
    final StringBuilder b = new StringBuilder(Math.min(s.length(), max));
    for (int i = 0; i < s.length() && b.length() < max; i++) {
      final char c = s.charAt(i);
      if (c >= 0x20 && c != 0x7f) {
        b.append(c);
      }
    }
    return b.toString();
  }
}
