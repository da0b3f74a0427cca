package dev.sigstream.notary.policy;

import java.util.List;
import java.util.Objects;

/**
 * One validated trust policy statement.
 *
 * @param name unique statement name
 * @param registryScopes OCI scopes ({@code *} or {@code registry/repository}); empty for blob statements
 * @param signatureVerification level, overrides, timestamp mode
 * @param trustStores deduplicated store references (empty for level skip)
 * @param trustedIdentities the raw identity strings as written
 * @param wildcardIdentity true when the identities are exactly {@code *}
 * @param x509Identities parsed {@code x509.subject:} identities (other prefixes are ignored)
 * @param globalPolicy blob documents only: the statement used when none is named
 */
public record TrustPolicyStatement(
    String name,
    List<String> registryScopes,
    SignatureVerification signatureVerification,
    List<TrustStoreRef> trustStores,
    List<String> trustedIdentities,
    boolean wildcardIdentity,
    List<DistinguishedName> x509Identities,
    boolean globalPolicy) {

  public TrustPolicyStatement {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(signatureVerification, "signatureVerification");
    registryScopes = List.copyOf(registryScopes);
    trustStores = List.copyOf(trustStores);
    trustedIdentities = List.copyOf(trustedIdentities);
    x509Identities = List.copyOf(x509Identities);
  }

  public VerificationLevel level() {
    return signatureVerification.level();
  }

  /** The effective action for a validation type. */
  public ValidationAction action(final ValidationType type) {
    return signatureVerification.action(type);
  }

  /**
   * Empty when the leaf subject satisfies the trusted identities ({@code *}, or some {@code x509.subject} identity
   * whose attributes are a subset of the leaf's); else why not. Only the leaf is matched.
   *
   * @param leafSubject the leaf subject, or null when it could not be parsed
   */
  public java.util.Optional<String> identityMismatch(final DistinguishedName leafSubject) {
    if (wildcardIdentity) {
      return java.util.Optional.empty();
    }
    if (x509Identities.isEmpty()) {
      return java.util.Optional.of("trust policy statement \"" + name + "\" has no x509.subject trusted identity");
    }
    if (leafSubject == null) {
      return java.util.Optional.of("the signing certificate subject cannot be matched against x509.subject identities");
    }
    for (final DistinguishedName id : x509Identities) {
      if (id.isSubsetOf(leafSubject)) {
        return java.util.Optional.empty();
      }
    }
    return java.util.Optional.of("signing certificate from the digital signature does not match the X.509 trusted"
        + " identities of trust policy statement \"" + name + "\"");
  }
}
