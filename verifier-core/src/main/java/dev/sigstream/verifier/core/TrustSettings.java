package dev.sigstream.verifier.core;

import dev.sigstream.notary.NotationConfig;
import java.nio.file.Path;
import java.util.Objects;
import java.util.Optional;

/**
 * Where trust material lives.
 *
 * @param trustPolicy the Notation trust policy file ({@code trustpolicy.oci.json} or the legacy
 *     {@code trustpolicy.json}, version 1.0)
 * @param trustStore the directory holding {@code truststore/x509}, or one of the other layouts an operator may name
 *     (see {@link TrustMaterial#storeRoot})
 * @param storeNamed the operator named {@code trustStore}, so it must exist in one of those layouts; a Notation
 *     configuration directory's default store may be absent (verification then reports TRUST_STORE_MISSING)
 */
public record TrustSettings(Path trustPolicy, Path trustStore, boolean storeNamed) {

  public TrustSettings {
    Objects.requireNonNull(trustPolicy, "trustPolicy");
    Objects.requireNonNull(trustStore, "trustStore");
  }

  /** A policy file and a trust store directory named by the operator. */
  public TrustSettings(final Path trustPolicy, final Path trustStore) {
    this(trustPolicy, trustStore, true);
  }

  /**
   * The files of a Notation configuration directory, each overridable; empty when the directory holds no OCI trust
   * policy and none was given.
   */
  public static Optional<TrustSettings> of(final NotationConfig config, final Optional<Path> trustPolicy,
      final Optional<Path> trustStore) {
    final Optional<Path> policy = trustPolicy.isPresent() ? trustPolicy : config.ociTrustPolicy();
    return policy.map(p -> trustStore.isPresent() ? new TrustSettings(p, trustStore.get(), true)
        : new TrustSettings(p, config.trustStoreRoot(), false));
  }
}
