package dev.sigstream.notary;

import dev.sigstream.notary.envelope.ParsedEnvelope;
import dev.sigstream.notary.envelope.Payload;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.List;

/**
 * What an envelope says, without any verification (for {@code sigstream inspect}). Nothing here is trusted.
 *
 * @param parsed true when the envelope is structurally valid
 * @param reason OK, or why parsing failed
 * @param detail one human sentence
 * @param envelope the parsed envelope, or null
 * @param payload the decoded payload, or null when it is not a valid payload
 * @param certificates the parsed chain (leaf first), empty when unparseable
 */
public record EnvelopeInspection(
    boolean parsed, ReasonCode reason, String detail, ParsedEnvelope envelope, Payload payload,
    List<X509Certificate> certificates) {

  public EnvelopeInspection {
    certificates = List.copyOf(certificates);
  }

  /**
   * The genTime of the envelope's timestamp countersignature, read without verifying it (for display only); null
   * when there is no envelope, no token, or the token does not parse. Keeps BouncyCastle out of callers.
   */
  public Instant unverifiedTimestampGenTime() {
    return envelope == null || envelope.timestampToken() == null ? null
        : Timestamps.unverifiedGenTime(envelope.timestampToken());
  }
}
