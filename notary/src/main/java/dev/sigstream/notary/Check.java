package dev.sigstream.notary;

/**
 * The checks a Notary signature verification reports. Names mirror the Avro {@code CheckType} symbols in
 * {@code schemas/src/main/avro/Verdict.avsc}, so the pipeline maps them by name.
 */
public enum Check {
  INTEGRITY,
  AUTHENTICITY,
  /** Trusted-identity matching; notation reports it under authenticity and it takes the authenticity action. */
  TRUSTED_IDENTITY,
  AUTHENTIC_TIMESTAMP,
  EXPIRY,
  REVOCATION,
  /** Verification plugins are not supported: a signature naming one fails here. */
  PLUGIN,
  /** The signed payload must name exactly the artifact's media type, digest and size. */
  TARGET_ARTIFACT,
  USER_METADATA,
  /** Result-level findings (signature cap, policy selection). */
  POLICY
}
