package dev.sigstream.notary.truststore;

import java.util.Optional;

/** Notation trust store types; the folder names under {@code truststore/x509/}. */
public enum TrustStoreType {
  /** Certificate authorities for the {@code notary.x509} scheme. */
  CA("ca"),
  /** Signing authorities for the {@code notary.x509.signingAuthority} scheme. */
  SIGNING_AUTHORITY("signingAuthority"),
  /** Timestamping authority roots. */
  TSA("tsa");

  private final String id;

  TrustStoreType(final String id) {
    this.id = id;
  }

  /** The folder / policy name: {@code ca}, {@code signingAuthority} or {@code tsa}. */
  public String id() {
    return id;
  }

  /** Exact, case-sensitive lookup (notation compares the strings exactly). */
  public static Optional<TrustStoreType> fromId(final String id) {
    for (final TrustStoreType t : values()) {
      if (t.id.equals(id)) {
        return Optional.of(t);
      }
    }
    return Optional.empty();
  }
}
