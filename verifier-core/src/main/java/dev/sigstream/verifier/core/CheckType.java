package dev.sigstream.verifier.core;

/** What a {@link CheckReport} checked. Names are the Avro {@code CheckType} symbols. */
public enum CheckType {
  INTEGRITY,
  AUTHENTICITY,
  TRUSTED_IDENTITY,
  AUTHENTIC_TIMESTAMP,
  EXPIRY,
  REVOCATION,
  PLUGIN,
  TARGET_ARTIFACT,
  USER_METADATA,
  /** Fetching the artifact, a referrer or an envelope from the registry. */
  REGISTRY,
  POLICY,
  CLASSIFICATION,
  SBOM
}
