package dev.sigstream.notary.sign;

import java.time.Instant;
import java.util.List;

/**
 * A produced envelope.
 *
 * @param mediaType {@code application/jose+json} or {@code application/cose} (the manifest layer type)
 * @param envelope the envelope bytes
 * @param thumbprints SHA-256 fingerprints of the chain, leaf first, lower-case hex
 * @param signingTime the signing time written into the envelope (whole seconds)
 */
public record SignedEnvelope(String mediaType, byte[] envelope, List<String> thumbprints, Instant signingTime) {

  public SignedEnvelope {
    envelope = envelope.clone();
    thumbprints = List.copyOf(thumbprints);
  }

  @Override
  public byte[] envelope() {
    return envelope.clone();
  }
}
