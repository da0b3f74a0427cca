package dev.sigstream.app.cli;

import dev.sigstream.notary.NotationConfig;
import dev.sigstream.notary.policy.TrustPolicyDocument;
import dev.sigstream.notary.policy.TrustPolicyException;
import dev.sigstream.notary.truststore.TrustStore;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/**
 * Where trust comes from, as Notation users expect: {@code --trust-policy} and {@code --trust-store}, or a Notation
 * configuration directory ({@code --notation-config}, else {@code $NOTATION_CONFIG}, else
 * {@code $XDG_CONFIG_HOME/notation}, else {@code ~/.config/notation}) holding {@code trustpolicy.oci.json} (or the
 * legacy {@code trustpolicy.json}) and {@code truststore/x509/...}.
 */
final class TrustOptions {

  @Option(names = "--trust-policy", paramLabel = "FILE",
      description = "Notation trust policy (trustpolicy.json, version 1.0). Default: from the Notation configuration.")
  Path trustPolicy;

  @Option(names = "--trust-store", paramLabel = "DIR",
      description = "Trust store: a Notation 'truststore' directory (holding x509/{ca,signingAuthority,tsa}/NAME/)"
          + " or a directory containing one. Default: the Notation configuration's.")
  Path trustStore;

  @Option(names = "--notation-config", paramLabel = "DIR",
      description = "Notation configuration directory (default: $NOTATION_CONFIG, else ~/.config/notation).")
  Path notationConfig;

  record Trust(TrustPolicyDocument policy, TrustStore store, Path policyFile) {}

  Trust load(final CliCommand ctx) {
    final NotationConfig config = notationConfig != null ? NotationConfig.at(notationConfig)
        : NotationConfig.locate(ctx.env, ctx.userHome);
    if (notationConfig != null && !Files.isDirectory(notationConfig)) {
      throw CliException.usage("Notation configuration directory " + notationConfig + " does not exist");
    }
    final Path policyFile = trustPolicy != null ? trustPolicy : config.ociTrustPolicy().orElseThrow(() ->
        CliException.usage("no trust policy: pass --trust-policy FILE, or create trustpolicy.oci.json in "
            + config.directory() + " (--notation-config or $NOTATION_CONFIG select another directory)"));
    if (!Files.isRegularFile(policyFile)) {
      throw CliException.usage("trust policy " + policyFile + " does not exist");
    }
    final TrustPolicyDocument policy;
    try {
      policy = TrustPolicyDocument.load(policyFile);
    } catch (final TrustPolicyException e) {
      // notary's message names the statement and the field.
      throw CliException.usage("invalid trust policy " + policyFile + ": " + e.getMessage(), e);
    } catch (final IOException e) {
      throw CliException.usage("cannot read trust policy " + policyFile + ": " + e.getMessage(), e);
    }
    final Path storeRoot = trustStore != null ? storeRoot(trustStore) : config.trustStoreRoot();
    try {
      return new Trust(policy, TrustStore.load(storeRoot), policyFile);
    } catch (final IOException e) {
      throw CliException.usage("cannot load trust store " + storeRoot + ": " + e.getMessage(), e);
    }
  }

  /**
   * notary loads {@code ROOT/truststore/x509}; accept the {@code truststore} directory itself, its parent, or the
   * {@code x509} directory.
   */
  static Path storeRoot(final Path dir) {
    if (!Files.isDirectory(dir)) {
      throw CliException.usage("trust store directory " + dir + " does not exist");
    }
    final Path abs = dir.toAbsolutePath().normalize();
    if (Files.isDirectory(abs.resolve("truststore").resolve("x509"))) {
      return abs;
    }
    if (Files.isDirectory(abs.resolve("x509")) && abs.getFileName() != null
        && abs.getFileName().toString().equals("truststore")) {
      return abs.getParent();
    }
    if (abs.getFileName() != null && abs.getFileName().toString().equals("x509") && abs.getParent() != null
        && abs.getParent().getFileName() != null && abs.getParent().getFileName().toString().equals("truststore")) {
      return abs.getParent().getParent();
    }
    throw CliException.usage("trust store " + dir + " is not in Notation's layout: expected truststore/x509/"
        + "{ca,signingAuthority,tsa}/NAME/ with PEM or DER certificates");
  }
}
