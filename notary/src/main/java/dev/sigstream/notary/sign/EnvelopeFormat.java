package dev.sigstream.notary.sign;

import dev.sigstream.notary.envelope.Headers;

/** Envelope formats the signer produces. */
public enum EnvelopeFormat {
  JWS(Headers.MEDIA_TYPE_JWS),
  COSE(Headers.MEDIA_TYPE_COSE);

  private final String mediaType;

  EnvelopeFormat(final String mediaType) {
    this.mediaType = mediaType;
  }

  public String mediaType() {
    return mediaType;
  }
}
