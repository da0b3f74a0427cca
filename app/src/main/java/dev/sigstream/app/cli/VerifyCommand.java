package dev.sigstream.app.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.sigstream.oci.Reference;
import dev.sigstream.oci.sbom.SbomPolicy;
import dev.sigstream.schemas.AvroJson;
import dev.sigstream.verdict.VerdictMapper;
import dev.sigstream.verifier.core.ArtifactReport;
import dev.sigstream.verifier.core.ArtifactVerifier;
import dev.sigstream.verifier.core.CheckReport;
import dev.sigstream.verifier.core.Reason;
import dev.sigstream.verifier.core.SignatureReport;
import dev.sigstream.verifier.core.RegistrySettings;
import dev.sigstream.verifier.core.SettingsException;
import dev.sigstream.verifier.core.TrustSettings;
import dev.sigstream.verifier.core.VerifierFactory;
import dev.sigstream.verifier.core.VerifierSettings;
import dev.sigstream.verifier.core.VerifyLimits;
import java.io.PrintWriter;
import java.util.concurrent.ExecutorService;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code sigstream verify}: verify the Notary Project signatures of one artifact, like {@code notation verify}. */
@Command(name = "verify", mixinStandardHelpOptions = true, sortOptions = false,
    description = {"Verify an artifact's Notary Project signatures.",
        "Against a Notation trust policy and trust store.",
        "Tags are resolved to a digest once; verification is always by digest."},
    exitCodeListHeading = "%nExit codes:%n",
    exitCodeList = {"0:verified (or the policy level is skip)", "1:verification failed",
        "2:usage or configuration error", "3:registry or network error (inconclusive)"})
public final class VerifyCommand extends CliCommand {

  @Parameters(index = "0", paramLabel = "REFERENCE",
      description = "registry/repository@digest or registry/repository:tag")
  String reference;

  @Mixin
  TrustOptions trust = new TrustOptions();

  @Option(names = {"-m", "--user-metadata"}, paramLabel = "KEY=VALUE",
      description = "Metadata the signed payload must carry. Repeatable.")
  Map<String, String> userMetadata = new LinkedHashMap<>();

  @Option(names = "--max-signatures", paramLabel = "N", defaultValue = "100",
      description = "Most signatures to try (default: ${DEFAULT-VALUE}).")
  int maxSignatures;

  @Option(names = {"-o", "--output"}, paramLabel = "FORMAT", defaultValue = "text",
      description = "text or json (the pipeline's Verdict structure). Default: ${DEFAULT-VALUE}.")
  String output;

  @Mixin
  RegistryOptions registry = new RegistryOptions();

  @Override
  int run() throws Exception {
    final Reference ref = parseReference(reference);
    final boolean json = OutputFormat.json(output);
    if (maxSignatures < 1) {
      throw CliException.usage("--max-signatures must be at least 1");
    }
    final TrustSettings trustSettings = trust.settings(this);
    final RegistrySettings registrySettings = registry.settings(ref, this);
    final VerifyLimits limits = VerifyLimits.DEFAULTS.withMaxSignatures(maxSignatures)
        .withDeadline(registry.artifactDeadline());
    final ExecutorService pool = VerifierFactory.boundedExecutor("sigstream-verify", 2, 64);
    try {
      final ArtifactVerifier verifier;
      try {
        // The client is bound to the command's deadline (counted from its start): the sooner of the two wins.
        verifier = VerifierFactory.verifier(new VerifierSettings(trustSettings, registrySettings, limits,
            SbomPolicy.NONE, pool, clock), registry.client(registrySettings, this));
      } catch (final SettingsException e) {
        throw CliException.usage(e.getMessage(), e);
      }
      return verify(verifier, ref, json);
    } finally {
      pool.shutdownNow();
    }
  }

  private int verify(final ArtifactVerifier verifier, final Reference ref, final boolean json) throws Exception {
    if (!ref.isDigest()) {
      err().println("Warning: resolving tag '" + ref.tag() + "' to a digest; tags are mutable, prefer"
          + " verifying by digest.");
      err().flush();
    }
    final ArtifactReport report = verifier.verify(ref, userMetadata).join();
    if (json) {
      final ObjectMapper om = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
      out().println(om.writeValueAsString(AvroJson.toJson(VerdictMapper.toVerdict(report,
          "cli-" + UUID.randomUUID(), Version.current()))));
    } else {
      printText(report, out());
    }
    return exitCode(report);
  }

  static int exitCode(final ArtifactReport r) {
    return switch (r.outcome()) {
      case PASS, SKIPPED -> ExitCodes.OK;
      // A host outside the allowlist (e.g. a token realm on another host) needs --allow-registry: configuration.
      case FAIL -> r.reason() == Reason.REGISTRY_NOT_ALLOWED ? ExitCodes.USAGE
          : ExitCodes.VERIFICATION_FAILED;
      // Missing trust material or a bad policy is a configuration problem, not the network's.
      case ERROR -> r.reason() == Reason.TRUST_STORE_MISSING || r.reason() == Reason.POLICY_INVALID
          ? ExitCodes.USAGE : ExitCodes.REGISTRY;
    };
  }

  static void printText(final ArtifactReport r, final PrintWriter out) {
    final String what = r.artifact().display();
    switch (r.outcome()) {
      case PASS -> {
        final SignatureReport s = r.signatures().stream().filter(SignatureReport::verified).findFirst().orElse(null);
        out.println("Successfully verified signature for " + what);
        if (s != null) {
          out.println("  signed by " + s.signerSubject() + (s.signingTime() == null ? "" : " at " + s.signingTime())
              + (s.timestamp() == null ? "" : ", timestamped " + s.timestamp()));
        }
        if (r.policy() != null) {
          out.println("  trust policy statement \"" + r.policy().statement() + "\" (" + r.policy().level().id() + ")");
        }
        for (final CheckReport w : r.warnings()) {
          out.println("  warning: " + w.reason() + ": " + w.detail());
        }
      }
      case SKIPPED -> out.println("Skipped verification of " + what + ": " + r.detail());
      case FAIL, ERROR -> {
        out.println((r.outcome() == ArtifactReport.Outcome.FAIL ? "Verification failed for " : "Verification could"
            + " not complete for ") + what);
        out.println("  reason: " + r.reason() + ": " + r.detail());
        out.println("  to fix: " + Remedies.forReport(r));
        if (r.signatures().size() > 1) {
          out.println("  " + r.signatures().size() + " signatures tried; --output json lists each one's checks");
        }
      }
      default -> throw new IllegalStateException();
    }
  }
}
