package dev.sigstream.notary.envelope;

/** Notary Project header names, media types and limits shared by both envelope formats. */
public final class Headers {

  private Headers() {}

  public static final String MEDIA_TYPE_JWS = "application/jose+json";
  public static final String MEDIA_TYPE_COSE = "application/cose";
  public static final String PAYLOAD_MEDIA_TYPE = "application/vnd.cncf.notary.payload.v1+json";

  public static final String SIGNING_SCHEME = "io.cncf.notary.signingScheme";
  public static final String SIGNING_TIME = "io.cncf.notary.signingTime";
  public static final String AUTHENTIC_SIGNING_TIME = "io.cncf.notary.authenticSigningTime";
  public static final String EXPIRY = "io.cncf.notary.expiry";
  public static final String VERIFICATION_PLUGIN = "io.cncf.notary.verificationPlugin";
  public static final String VERIFICATION_PLUGIN_MIN_VERSION = "io.cncf.notary.verificationPluginMinVersion";
  public static final String TIMESTAMP_SIGNATURE = "io.cncf.notary.timestampSignature";
  public static final String SIGNING_AGENT = "io.cncf.notary.signingAgent";

  /** Largest certificate chain accepted in an envelope. */
  public static final int MAX_CHAIN_LENGTH = 10;
  /** Largest single certificate accepted in an envelope. */
  public static final int MAX_CERTIFICATE_BYTES = 64 * 1024;
  /** Largest timestamp token accepted in an envelope. */
  public static final int MAX_TIMESTAMP_BYTES = 64 * 1024;
}
