package dev.sigstream.notary.policy;

/** Validation types a trust policy level and override speak about. */
public enum ValidationType {
  INTEGRITY("integrity"),
  AUTHENTICITY("authenticity"),
  AUTHENTIC_TIMESTAMP("authenticTimestamp"),
  EXPIRY("expiry"),
  REVOCATION("revocation");

  private final String id;

  ValidationType(final String id) {
    this.id = id;
  }

  public String id() {
    return id;
  }

  public static java.util.Optional<ValidationType> fromId(final String id) {
    for (final ValidationType t : values()) {
      if (t.id.equals(id)) {
        return java.util.Optional.of(t);
      }
    }
    return java.util.Optional.empty();
  }
}
