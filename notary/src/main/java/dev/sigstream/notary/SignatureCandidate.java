package dev.sigstream.notary;

import java.util.Objects;

/**
 * One signature to try: the envelope blob as fetched from the signature manifest's single layer.
 *
 * @param envelopeMediaType the layer media type: {@code application/jose+json} or {@code application/cose}
 * @param envelope the envelope bytes (copied on construction and on access)
 * @param manifestDigest digest of the signature manifest, or null when unknown (blob signatures)
 */
public record SignatureCandidate(String envelopeMediaType, byte[] envelope, String manifestDigest) {

  public SignatureCandidate {
    Objects.requireNonNull(envelopeMediaType, "envelopeMediaType");
    Objects.requireNonNull(envelope, "envelope");
    envelope = envelope.clone();
  }

  public SignatureCandidate(final String envelopeMediaType, final byte[] envelope) {
    this(envelopeMediaType, envelope, null);
  }

  @Override
  public byte[] envelope() {
    return envelope.clone();
  }

  /** The bytes without a copy, for this package only. */
  byte[] envelopeUnsafe() {
    return envelope;
  }

  @Override
  public String toString() {
    // Never print signature blobs.
    return "SignatureCandidate[" + envelopeMediaType + ", " + envelope.length + " bytes, manifest=" + manifestDigest + "]";
  }

  @Override
  public boolean equals(final Object o) {
    return o instanceof SignatureCandidate c
        && envelopeMediaType.equals(c.envelopeMediaType)
        && java.util.Arrays.equals(envelope, c.envelope)
        && Objects.equals(manifestDigest, c.manifestDigest);
  }

  @Override
  public int hashCode() {
    return Objects.hash(envelopeMediaType, java.util.Arrays.hashCode(envelope), manifestDigest);
  }
}
