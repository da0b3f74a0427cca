package dev.sigstream.oci.auth;

import java.util.Objects;

/**
 * A password or token. {@link #toString()} is masked so a secret cannot leak through logging, string
 * concatenation or a record's generated {@code toString}; only {@link #reveal()} gives the value, at the point of use.
 */
public final class Secret {
  private final String value;

  private Secret(final String value) {
    this.value = Objects.requireNonNull(value, "secret");
  }

  public static Secret of(final String value) {
    return new Secret(value);
  }

  public String reveal() {
    return value;
  }

  public boolean isEmpty() {
    return value.isEmpty();
  }

  @Override
  public boolean equals(final Object o) {
    return o instanceof Secret s && java.security.MessageDigest.isEqual(
        value.getBytes(java.nio.charset.StandardCharsets.UTF_8), s.value.getBytes(java.nio.charset.StandardCharsets.UTF_8));
  }

  @Override
  public int hashCode() {
    return 0; // no information about the value
  }

  @Override
  public String toString() {
    return "****";
  }
}
