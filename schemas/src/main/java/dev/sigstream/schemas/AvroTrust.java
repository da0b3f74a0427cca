package dev.sigstream.schemas;

import org.apache.avro.util.ClassSecurityValidator;

/**
 * Avro 1.12 refuses to instantiate specific-record classes it has not been told to trust (a guard against
 * schema-driven class loading). Every entry point of this module that builds records calls {@link #ensure()}, which
 * trusts exactly the generated package {@code dev.sigstream.schemas.avro}, on top of whatever is already trusted.
 */
final class AvroTrust {

  private static boolean installed;

  private AvroTrust() {}

  static synchronized void ensure() {
    if (installed) {
      return;
    }
    final ClassSecurityValidator.ClassSecurityPredicate previous = ClassSecurityValidator.getGlobal();
    ClassSecurityValidator.setGlobal(ClassSecurityValidator.composite(previous,
        c -> c.getName().startsWith("dev.sigstream.schemas.avro.")));
    installed = true;
  }
}
