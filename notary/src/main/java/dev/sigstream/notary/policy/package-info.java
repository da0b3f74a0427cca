/**
 * Notary Project trust policy documents, version 1.0 (SPEC-NOTES section 8): parsing and validation exactly as
 * notation-go does, statement selection by registry scope (OCI) or name (blob), verification levels with their
 * default actions, and trusted-identity matching by distinguished name. An invalid document is a configuration error
 * ({@link dev.sigstream.notary.policy.TrustPolicyException}) reported at startup. Entry point: {@link
 * dev.sigstream.notary.policy.TrustPolicyDocument#parse}.
 */
package dev.sigstream.notary.policy;
