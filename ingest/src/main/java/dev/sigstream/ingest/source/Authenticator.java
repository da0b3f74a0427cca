package dev.sigstream.ingest.source;

/**
 * Authenticates one delivery before its body is parsed. Implementations compare secrets in constant time and
 * never put a secret, token or signature in the rejection message.
 */
public interface Authenticator {

  /** Null when the request is authentic, else the rejection (401). Never throws. */
  SourceResult.Rejected check(WebhookRequest request);

  /** What kind of check this is, for logs and the masked config ({@code header}, {@code hmac-sha256}...). */
  String kind();
}
