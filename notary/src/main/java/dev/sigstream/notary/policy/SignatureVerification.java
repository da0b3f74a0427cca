package dev.sigstream.notary.policy;

import java.util.EnumMap;
import java.util.Map;
import java.util.Objects;

/**
 * A statement's {@code signatureVerification}: level, overrides and timestamp mode, already validated.
 *
 * @param level the verification level
 * @param overrides validated overrides (never for integrity; skip only for revocation; none for level skip)
 * @param verifyTimestamp when to verify a timestamp countersignature
 */
public record SignatureVerification(
    VerificationLevel level, Map<ValidationType, ValidationAction> overrides, VerifyTimestamp verifyTimestamp) {

  public SignatureVerification {
    Objects.requireNonNull(level, "level");
    Objects.requireNonNull(verifyTimestamp, "verifyTimestamp");
    final EnumMap<ValidationType, ValidationAction> copy = new EnumMap<>(ValidationType.class);
    copy.putAll(overrides);
    overrides = java.util.Collections.unmodifiableMap(copy);
  }

  /** The effective action for a validation type: the override if present, else the level's default. */
  public ValidationAction action(final ValidationType type) {
    final ValidationAction o = overrides.get(type);
    return o != null ? o : level.defaultAction(type);
  }
}
