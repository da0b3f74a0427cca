package dev.sigstream.app.cli;

import dev.sigstream.notary.NotationConfig;
import dev.sigstream.verifier.core.SettingsException;
import dev.sigstream.verifier.core.TrustSettings;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
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

  /** The options as settings; throws {@link CliException} (usage) when no trust policy can be found. */
  TrustSettings settings(final CliCommand ctx) {
    final NotationConfig config = notationConfig != null ? NotationConfig.at(notationConfig)
        : NotationConfig.locate(ctx.env, ctx.userHome);
    if (notationConfig != null && !Files.isDirectory(notationConfig)) {
      throw CliException.usage("Notation configuration directory " + notationConfig + " does not exist");
    }
    try {
      return TrustSettings.of(config, Optional.ofNullable(trustPolicy), Optional.ofNullable(trustStore))
          .orElseThrow(() -> CliException.usage("no trust policy: pass --trust-policy FILE, or create"
              + " trustpolicy.oci.json in " + config.directory() + " (--notation-config or $NOTATION_CONFIG select"
              + " another directory)"));
    } catch (final SettingsException e) {
      throw CliException.usage(e.getMessage(), e);
    }
  }
}
