package dev.sigstream.notary.policy;

import java.util.EnumMap;
import java.util.Map;

/** Trust policy verification levels with their default actions (SPEC table, SPEC-NOTES section 9). */
public enum VerificationLevel {
  STRICT("strict", ValidationAction.ENFORCE, ValidationAction.ENFORCE, ValidationAction.ENFORCE, ValidationAction.ENFORCE),
  PERMISSIVE("permissive", ValidationAction.ENFORCE, ValidationAction.LOG, ValidationAction.LOG, ValidationAction.LOG),
  AUDIT("audit", ValidationAction.LOG, ValidationAction.LOG, ValidationAction.LOG, ValidationAction.LOG),
  SKIP("skip", ValidationAction.SKIP, ValidationAction.SKIP, ValidationAction.SKIP, ValidationAction.SKIP);

  private final String id;
  private final Map<ValidationType, ValidationAction> actions = new EnumMap<>(ValidationType.class);

  VerificationLevel(
      final String id,
      final ValidationAction authenticity,
      final ValidationAction authenticTimestamp,
      final ValidationAction expiry,
      final ValidationAction revocation) {
    this.id = id;
    actions.put(ValidationType.INTEGRITY, id.equals("skip") ? ValidationAction.SKIP : ValidationAction.ENFORCE);
    actions.put(ValidationType.AUTHENTICITY, authenticity);
    actions.put(ValidationType.AUTHENTIC_TIMESTAMP, authenticTimestamp);
    actions.put(ValidationType.EXPIRY, expiry);
    actions.put(ValidationType.REVOCATION, revocation);
  }

  public String id() {
    return id;
  }

  /** The default action of this level for a validation type. */
  public ValidationAction defaultAction(final ValidationType type) {
    return actions.get(type);
  }

  /** Exact, case-sensitive lookup as notation does. */
  public static java.util.Optional<VerificationLevel> fromId(final String id) {
    for (final VerificationLevel l : values()) {
      if (l.id.equals(id)) {
        return java.util.Optional.of(l);
      }
    }
    return java.util.Optional.empty();
  }
}
