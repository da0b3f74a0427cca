package dev.sigstream.notary.envelope;

import java.util.Optional;

/** The Notary Project signing schemes. */
public enum SigningScheme {
  /** Any CA; signing time claimed by the signer; optional RFC 3161 timestamp. */
  X509("notary.x509"),
  /** Signing authority; the authentic signing time is asserted by the authority. */
  X509_SIGNING_AUTHORITY("notary.x509.signingAuthority");

  private final String id;

  SigningScheme(final String id) {
    this.id = id;
  }

  public String id() {
    return id;
  }

  public static Optional<SigningScheme> fromId(final String id) {
    for (final SigningScheme s : values()) {
      if (s.id.equals(id)) {
        return Optional.of(s);
      }
    }
    return Optional.empty();
  }
}
