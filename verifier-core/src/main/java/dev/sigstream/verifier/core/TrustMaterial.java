package dev.sigstream.verifier.core;

import dev.sigstream.notary.policy.TrustPolicyDocument;
import dev.sigstream.notary.policy.TrustPolicyException;
import dev.sigstream.notary.truststore.TrustStore;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Stream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Objects;

/**
 * A Notation trust policy and trust store, loaded once, offline, from files in Notation's layout. Reload by loading
 * again and building a new verifier (sigstore-java's {@code TrustedRootProvider} idea).
 *
 * @param policyFile where the policy came from, for messages
 * @param version {@code sha256:<hex>} over the policy file and every file of the trust store, so every verdict can
 *     name the trust material that decided it and a change is noticed without a restart
 */
public record TrustMaterial(TrustPolicyDocument policy, TrustStore store, Path policyFile, String version) {

  public TrustMaterial {
    Objects.requireNonNull(policy, "policy");
    Objects.requireNonNull(store, "store");
    Objects.requireNonNull(version, "version");
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
    // The version first: should the files change while they are loaded, the next poll sees another version.
    final String version = version(settings);
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
      return new TrustMaterial(policy, TrustStore.load(storeRoot), policyFile, version);
    } catch (final IOException e) {
      throw new SettingsException("cannot load trust store " + storeRoot + ": " + e.getMessage(), e);
    }
  }

  /**
   * The version of the trust material {@code settings} name, read from the files without parsing them: cheap enough
   * to poll. Paths are hashed with their contents, relative to the store, in sorted order.
   *
   * @throws SettingsException when the files cannot be read
   */
  public static String version(final TrustSettings settings) {
    try {
      final MessageDigest sha = MessageDigest.getInstance("SHA-256");
      sha.update(Files.readAllBytes(settings.trustPolicy()));
      Path root = settings.trustStore();
      if (settings.storeNamed()) {
        try {
          root = storeRoot(root);
        } catch (final SettingsException e) {
          // Loading reports the layout problem, after the policy's own: the version only needs what is there.
        }
      }
      final Path x509 = root.resolve("truststore").resolve("x509");
      if (Files.isDirectory(x509)) {
        final List<Path> files;
        try (Stream<Path> walk = Files.walk(x509)) {
          files = walk.filter(Files::isRegularFile).sorted().toList();
        }
        for (final Path f : files) {
          sha.update((byte) 0);
          sha.update(x509.relativize(f).toString().getBytes(StandardCharsets.UTF_8));
          sha.update((byte) 0);
          sha.update(Files.readAllBytes(f));
        }
      }
      return "sha256:" + HexFormat.of().formatHex(sha.digest());
    } catch (final IOException e) {
      throw new SettingsException("cannot read trust material: " + e.getMessage(), e);
    } catch (final NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
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
