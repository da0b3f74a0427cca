package dev.sigstream.notary.policy;

import dev.sigstream.notary.truststore.TrustStoreType;
import java.util.Objects;

/** A {@code type:name} entry of a statement's {@code trustStores}. */
public record TrustStoreRef(TrustStoreType type, String name) {

  public TrustStoreRef {
    Objects.requireNonNull(type, "type");
    Objects.requireNonNull(name, "name");
  }

  @Override
  public String toString() {
    return type.id() + ":" + name;
  }
}
