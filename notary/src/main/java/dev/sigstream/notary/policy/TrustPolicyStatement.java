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
}
