package dev.sigstream.app.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.sigstream.oci.Reference;
import dev.sigstream.oci.RegistryReader;
import dev.sigstream.oci.sbom.SbomPolicy;
import dev.sigstream.schemas.AvroJson;
import dev.sigstream.verdict.VerdictMapper;
import dev.sigstream.verifier.core.ArtifactReport;
import dev.sigstream.verifier.core.ArtifactVerifier;
import dev.sigstream.verifier.core.CheckReport;
import dev.sigstream.verifier.core.DiscoveryPlan;
import dev.sigstream.verifier.core.Reason;
import dev.sigstream.verifier.core.SignatureReport;
import dev.sigstream.verifier.core.RegistrySettings;
import dev.sigstream.verifier.core.SettingsException;
import dev.sigstream.verifier.core.TrustSettings;
import dev.sigstream.verifier.core.VerifierFactory;
import dev.sigstream.verifier.core.VerifierSettings;
import dev.sigstream.verifier.core.VerifyLimits;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Semaphore;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code sigstream verify}: verify the Notary Project signatures of one artifact, like {@code notation verify}, or
 * of many in one call ({@code REF...}, {@code --from-file}, {@code --from-manifests}): concurrently in this JVM, with
 * one registry client (connections and tokens) and one set of trust material, each artifact within its own deadline;
 * one line each, a summary, and the worst exit code ({@link ExitCodes#worst}).
 */
@Command(name = "verify", mixinStandardHelpOptions = true, sortOptions = false,
    description = {"Verify the Notary Project signatures of one or more artifacts.",
        "Against a Notation trust policy and trust store.",
        "Tags are resolved to a digest once; verification is always by digest.",
        "Several references (arguments, --from-file, --from-manifests) are verified concurrently: one line each and",
        "a summary (JSON Lines with -o json); the exit code is the worst one, in the order 1, 2, 3, 0."},
    exitCodeListHeading = "%nExit codes:%n",
    exitCodeList = {"0:verified (or the policy level is skip)", "1:verification failed",
        "2:usage or configuration error", "3:registry or network error (inconclusive)"})
public final class VerifyCommand extends CliCommand {

  @Parameters(arity = "0..*", paramLabel = "REFERENCE",
      description = "registry/repository@digest or registry/repository:tag (several allowed)")
  List<String> references = new ArrayList<>();

  @Option(names = "--from-file", paramLabel = "FILE",
      description = "Also verify the references in FILE, one per line ('#' comments; '-' reads stdin). Repeatable.")
  List<String> fromFiles = new ArrayList<>();

  @Option(names = "--from-manifests", paramLabel = "PATH",
      description = "Also verify every image: in the YAML at PATH (Kubernetes manifests, Helm-rendered output,"
          + " Compose files; a file, a directory of .yaml/.yml/.json, or '-' for stdin). Repeatable.")
  List<String> fromManifests = new ArrayList<>();

  @Option(names = "--parallel", paramLabel = "N", defaultValue = "16",
      description = "Artifacts verified at once when there are several (default: ${DEFAULT-VALUE}).")
  int parallel;

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
    final boolean json = OutputFormat.json(output);
    if (maxSignatures < 1) {
      throw CliException.usage("--max-signatures must be at least 1");
    }
    if (references.size() != 1 || !fromFiles.isEmpty() || !fromManifests.isEmpty()) {
      return verifyMany(json);
    }
    final Reference ref = parseReference(references.get(0));
    final TrustSettings trustSettings = trust.settings(this);
    final RegistrySettings registrySettings = registry.settings(ref, this);
    final VerifyLimits limits = VerifyLimits.DEFAULTS.withMaxSignatures(maxSignatures)
        .withDeadline(registry.artifactDeadline());
    StartupTiming.mark("trust and registry settings read");
    final ExecutorService pool = VerifierFactory.boundedExecutor("sigstream-verify", 2, 64);
    try {
      final ArtifactVerifier verifier;
      try {
        // The client is bound to the command's deadline (counted from its start): the sooner of the two wins.
        final RegistryReader client = StartupTiming.registry(registry.client(registrySettings, this));
        // The first requests go out now, so their round trip overlaps the loading of the trust material.
        final RegistryReader prefetching = Prewarm.enabled(env)
            ? PrefetchingRegistry.start(client, ref, DiscoveryPlan.VERIFY.artifactType()) : client;
        StartupTiming.mark(prefetching == client ? "registry client built"
            : "registry client built, first requests sent");
        verifier = VerifierFactory.verifier(new VerifierSettings(trustSettings, registrySettings, limits,
            SbomPolicy.NONE, pool, clock), prefetching);
      } catch (final SettingsException e) {
        throw CliException.usage(e.getMessage(), e);
      }
      StartupTiming.mark("verifier built (trust material loaded, notary verifier)");
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
    StartupTiming.mark("verified: " + report.outcome());
    if (json) {
      final ObjectMapper om = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
      out().println(om.writeValueAsString(AvroJson.toJson(VerdictMapper.toVerdict(report,
          "cli-" + UUID.randomUUID(), Version.current()))));
    } else {
      printText(report, out());
    }
    out().flush();
    StartupTiming.mark("output written");
    return exitCode(report);
  }

  /**
   * Several references in one call: parsed and checked before any registry is contacted, then verified with one
   * verifier (trust material loaded once) over one registry client (connections, tokens), at most {@code --parallel}
   * at once. Each artifact has its own deadline ({@code --deadline}), counted from the start of its verification.
   */
  private int verifyMany(final boolean json) throws Exception {
    if (parallel < 1 || parallel > 256) {
      throw CliException.usage("--parallel must be between 1 and 256");
    }
    final ReferenceSources sources = new ReferenceSources(this);
    references.forEach(sources::argument);
    fromFiles.forEach(sources::file);
    fromManifests.forEach(sources::manifests);
    final List<Reference> refs = sources.references();
    final TrustSettings trustSettings = trust.settings(this);
    final RegistrySettings registrySettings = registry.settings(refs, this);
    final VerifyLimits limits = VerifyLimits.DEFAULTS.withMaxSignatures(maxSignatures)
        .withDeadline(registry.artifactDeadline());
    final ExecutorService pool = VerifierFactory.boundedExecutor("sigstream-verify", 2, 256);
    try {
      final ArtifactVerifier verifier;
      try {
        // One client for every artifact, not bound to one command deadline: each artifact's deadline bounds its
        // own requests (ArtifactVerifier), so a long list is not cut short by the first artifact's budget.
        verifier = VerifierFactory.verifier(new VerifierSettings(trustSettings, registrySettings, limits,
            SbomPolicy.NONE, pool, clock), VerifierFactory.registry(registrySettings, clock));
      } catch (final SettingsException e) {
        throw CliException.usage(e.getMessage(), e);
      }
      final long tags = refs.stream().filter(r -> !r.isDigest()).count();
      if (tags > 0) {
        err().println("Warning: resolving " + tags + " tag reference" + (tags == 1 ? "" : "s") + " to digests;"
            + " tags are mutable, prefer verifying by digest.");
        err().flush();
      }
      final List<CompletableFuture<ArtifactReport>> reports = new ArrayList<>(refs.size());
      final Semaphore slots = new Semaphore(parallel);
      for (final Reference ref : refs) {
        slots.acquire();
        reports.add(verifier.verify(ref, userMetadata).whenComplete((r, e) -> slots.release()));
      }
      final Summary summary = new Summary();
      final ObjectMapper om = json ? new ObjectMapper() : null;
      final String batch = "cli-" + UUID.randomUUID();
      int i = 0;
      for (final CompletableFuture<ArtifactReport> f : reports) {
        final ArtifactReport report = f.join();
        summary.add(report);
        if (json) {
          out().println(om.writeValueAsString(AvroJson.toJson(VerdictMapper.toVerdict(report, batch + "-" + i++,
              Version.current()))));
        } else {
          out().println(TerminalSafe.line(oneLine(report)));
        }
      }
      if (json) {
        err().println(summary.line());
      } else {
        out().println(summary.line());
      }
      return summary.exit;
    } finally {
      pool.shutdownNow();
    }
  }

  /** The outcome counts and the worst exit code of a many-reference call. */
  private static final class Summary {
    int pass;
    int fail;
    int error;
    int skipped;
    int exit = ExitCodes.OK;

    void add(final ArtifactReport r) {
      switch (r.outcome()) {
        case PASS -> pass++;
        case FAIL -> fail++;
        case ERROR -> error++;
        case SKIPPED -> skipped++;
        default -> throw new IllegalStateException();
      }
      exit = ExitCodes.worst(exit, exitCode(r));
    }

    String line() {
      final int total = pass + fail + error + skipped;
      return total + " reference" + (total == 1 ? "" : "s") + ": " + pass + " passed, " + fail + " failed, "
          + error + " inconclusive, " + skipped + " skipped; exit " + exit;
    }
  }

  /**
   * One line for one artifact of a many-reference call: outcome, reference (with the digest a tag resolved to),
   * and the signer or the reason code with its detail.
   */
  static String oneLine(final ArtifactReport r) {
    final String what = r.artifact().tag() != null && r.artifact().digest() != null
        ? r.artifact().registry() + "/" + r.artifact().repository() + ":" + r.artifact().tag() + "@"
            + r.artifact().digest()
        : r.artifact().display();
    return switch (r.outcome()) {
      case PASS -> {
        final SignatureReport s = r.signatures().stream().filter(SignatureReport::verified).findFirst()
            .orElse(null);
        yield "PASS     " + what + (s == null ? "" : "  signed by " + s.signerSubject())
            + (r.policy() == null ? "" : "  (statement \"" + r.policy().statement() + "\")")
            + (r.warnings().isEmpty() ? "" : "  " + r.warnings().size() + " warning"
                + (r.warnings().size() == 1 ? "" : "s"));
      }
      case SKIPPED -> "SKIPPED  " + what + "  " + r.detail();
      case FAIL -> "FAIL     " + what + "  " + r.reason() + ": " + r.detail();
      case ERROR -> "ERROR    " + what + "  " + r.reason() + ": " + r.detail();
    };
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
