package dev.sigstream.verifier.core;

import dev.sigstream.notary.policy.TrustPolicyDocument;
import dev.sigstream.notary.policy.TrustPolicyException;
import dev.sigstream.notary.truststore.TrustStore;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Objects;

/**
 * A Notation trust policy and trust store, loaded once, offline, from files in Notation's layout. Reload by loading
 * again and building a new verifier (sigstore-java's {@code TrustedRootProvider} idea).
 *
 * @param policyFile where the policy came from, for messages
 */
public record TrustMaterial(TrustPolicyDocument policy, TrustStore store, Path policyFile) {

  public TrustMaterial {
    Objects.requireNonNull(policy, "policy");
    Objects.requireNonNull(store, "store");
  }

  /**
   * Loads {@code settings}' policy file and trust store.
   *
   * @throws SettingsException naming the file and the problem
   */
  public static TrustMaterial load(final TrustSettings settings) {
    final Path policyFile = settings.trustPolicy();
    if (!Files.isRegularFile(policyFile)) {
      throw new SettingsException("trust policy " + policyFile + " does not exist");
    }
    final TrustPolicyDocument policy;
    try {
      policy = TrustPolicyDocument.load(policyFile);
    } catch (final TrustPolicyException e) {
      // notary's message names the statement and the field.
      throw new SettingsException("invalid trust policy " + policyFile + ": " + e.getMessage(), e);
    } catch (final IOException e) {
      throw new SettingsException("cannot read trust policy " + policyFile + ": " + e.getMessage(), e);
    }
    final Path storeRoot = settings.storeNamed() ? storeRoot(settings.trustStore()) : settings.trustStore();
    try {
      return new TrustMaterial(policy, TrustStore.load(storeRoot), policyFile);
    } catch (final IOException e) {
      throw new SettingsException("cannot load trust store " + storeRoot + ": " + e.getMessage(), e);
    }
  }

  /**
   * notary loads {@code ROOT/truststore/x509}; accept the {@code truststore} directory itself, its parent, or the
   * {@code x509} directory, as operators point at any of the three.
   *
   * @throws SettingsException when {@code dir} is none of them
   */
  public static Path storeRoot(final Path dir) {
    if (!Files.isDirectory(dir)) {
      throw new SettingsException("trust store directory " + dir + " does not exist");
    }
    final Path abs = dir.toAbsolutePath().normalize();
    if (Files.isDirectory(abs.resolve("truststore").resolve("x509"))) {
      return abs;
    }
    if (Files.isDirectory(abs.resolve("x509")) && named(abs, "truststore")) {
      return abs.getParent();
    }
    if (named(abs, "x509") && abs.getParent() != null && named(abs.getParent(), "truststore")) {
      return abs.getParent().getParent();
    }
    throw new SettingsException("trust store " + dir + " is not in Notation's layout: expected truststore/x509/"
        + "{ca,signingAuthority,tsa}/NAME/ with PEM or DER certificates");
  }

  private static boolean named(final Path p, final String name) {
    return p.getFileName() != null && p.getFileName().toString().equals(name);
  }
}
