package dev.sigstream.notary.policy;

/** What a failure of a validation does: stop the signature, be logged, or the validation is not run. */
public enum ValidationAction {
  ENFORCE("enforce"),
  LOG("log"),
  SKIP("skip");

  private final String id;

  ValidationAction(final String id) {
    this.id = id;
  }

  public String id() {
    return id;
  }

  public static java.util.Optional<ValidationAction> fromId(final String id) {
    for (final ValidationAction a : values()) {
      if (a.id.equals(id)) {
        return java.util.Optional.of(a);
      }
    }
    return java.util.Optional.empty();
  }
}
