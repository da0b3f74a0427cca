package dev.sigstream.notifier.route;

import java.time.Instant;
import java.util.Optional;

/**
 * The part of a verdict the notifier routes and renders on: a plain value, mapped from the Avro {@code Verdict} at
 * the consumer's edge so routing stays free of Avro and Kafka.
 *
 * @param key the artifact key, {@code registry/repository@digest}
 * @param policy the trust-policy statement that applied; empty when none did
 * @param signer the RFC 4514 subject of the first signature's leaf certificate, when any
 */
public record VerdictView(
    String key,
    String eventId,
    String registry,
    String repository,
    Optional<String> digest,
    Optional<String> tag,
    String artifactClass,
    Outcome outcome,
    String reasonCode,
    String detail,
    Optional<String> policy,
    Optional<String> signer,
    Instant decidedAt) {

  /** Verdict outcomes, as in {@code docs/verdicts.md}. */
  public enum Outcome { PASS, FAIL, ERROR, SKIPPED }

  /** {@code registry/repository}, the string repository globs match. */
  public String location() {
    return registry + "/" + repository;
  }

  /** {@code registry/repository@digest}, or {@code :tag} when the digest is unknown; for humans. */
  public String artifact() {
    return location() + digest.map(d -> "@" + d).orElseGet(() -> tag.map(t -> ":" + t).orElse(""));
  }

  /** FAIL and ERROR are failures; their reason code is the failure class that tickets are deduplicated on. */
  public boolean failing() {
    return outcome == Outcome.FAIL || outcome == Outcome.ERROR;
  }
}
