package dev.sigstream.notary.timestamp;

import java.io.IOException;

/** Network port to an RFC 3161 timestamp authority, used when signing. Bounded by a timeout. */
public interface TsaClient {

  /**
   * Requests a timestamp token over {@code messageImprint} (the hash of the raw signature bytes).
   *
   * @param hashAlgorithm JCA name of the hash: SHA-256, SHA-384 or SHA-512
   * @return the DER-encoded {@code TimeStampToken} (CMS ContentInfo), validated against the request
   */
  byte[] timestamp(byte[] messageImprint, String hashAlgorithm) throws IOException;
}
