package dev.sigstream.notary;

import dev.sigstream.notary.envelope.ParsedEnvelope;
import dev.sigstream.notary.envelope.Payload;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.bouncycastle.cms.CMSSignedData;
import org.bouncycastle.tsp.TimeStampToken;

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
   * The genTime the envelope's RFC 3161 timestamp token claims, read without verifying the token; empty when there
   * is no token or it does not parse. Kept here so callers that only display it need no BouncyCastle of their own.
   */
  public Optional<Instant> claimedTimestamp() {
    final byte[] token = envelope == null ? null : envelope.timestampToken();
    if (token == null) {
      return Optional.empty();
    }
    try {
      return Optional.of(new TimeStampToken(new CMSSignedData(token)).getTimeStampInfo().getGenTime().toInstant());
    } catch (final Exception | StackOverflowError e) {
      // Hostile ASN.1 can nest deeply; a display helper must never take the caller down.
      return Optional.empty();
    }
  }
}
