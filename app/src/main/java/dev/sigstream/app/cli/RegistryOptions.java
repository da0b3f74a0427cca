package dev.sigstream.app.cli;

import dev.sigstream.oci.Deadline;
import dev.sigstream.oci.Reference;
import dev.sigstream.oci.RegistryClient;
import dev.sigstream.oci.auth.Credentials;
import dev.sigstream.oci.auth.DockerConfigCredentials;
import dev.sigstream.oci.auth.Secret;
import dev.sigstream.oci.client.RegistryEntry;
import dev.sigstream.signing.azure.AzureConnection;
import dev.sigstream.signing.azure.AzureIdentityTokenSource;
import dev.sigstream.verifier.core.RegistrySettings;
import dev.sigstream.verifier.core.SettingsException;
import dev.sigstream.verifier.core.VerifierFactory;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import picocli.CommandLine.Option;

/**
 * Registry access options shared by every command. The allowlist is exactly the registry named in the reference
 * plus {@code --allow-registry} hosts: nothing read from the registry (redirects, token realms, referrers) can make
 * the CLI contact another host.
 */
final class RegistryOptions {

  @Option(names = "--registry-config", paramLabel = "FILE",
      description = "Docker config.json with registry credentials (default: $DOCKER_CONFIG/config.json, then"
          + " ~/.docker/config.json).")
  Path registryConfig;

  @Option(names = {"-u", "--username"}, paramLabel = "USER",
      description = "Registry user name for the reference's registry (password from --password-stdin).")
  String username;

  @Option(names = "--password-stdin", description = "Read the registry password or token from stdin.")
  boolean passwordStdin;

  @Option(names = "--registry-auth", paramLabel = "MODE", defaultValue = "docker",
      description = "docker: --username or the Docker config (default). azure: Microsoft Entra ID through"
          + " DefaultAzureCredential (workload identity, managed identity, AZURE_* environment, Azure CLI),"
          + " exchanged at the registry for an ACR token.")
  String registryAuth = "docker";

  @Option(names = "--insecure-registry", paramLabel = "HOST[:PORT]",
      description = "Use plain HTTP for this registry (loopback test registries). Repeatable.")
  List<String> insecureRegistries = new ArrayList<>();

  @Option(names = "--allow-registry", paramLabel = "HOST[:PORT]",
      description = "Also allow this host: another registry, a blob-storage redirect target or a token realm."
          + " Repeatable.")
  List<String> allowRegistries = new ArrayList<>();

  @Option(names = "--registry-timeout", paramLabel = "DURATION", defaultValue = "30s",
      description = "Per-request timeout, e.g. 10s, 1m (default: ${DEFAULT-VALUE}); the whole artifact gets three"
          + " times it.")
  String registryTimeout;

  /** The per-artifact deadline the CLI documents: this many per-request timeouts. */
  static final int DEADLINE_FACTOR = 3;

  /**
   * Time kept back at the end of the deadline (at most a tenth of it) for reporting and JVM exit: measured at about
   * 0.4 s on a loaded 2-core machine, so registry work ends this much before the deadline and the command exits
   * within it.
   */
  static final Duration EXIT_RESERVE = Duration.ofMillis(500);

  /** {@code --registry-timeout}, validated. */
  Duration requestTimeout() {
    return Durations.parse("--registry-timeout", registryTimeout);
  }

  @Option(names = "--deadline", paramLabel = "DURATION",
      description = "Time for the whole artifact, from the command's start: every request, referrers page, token"
          + " fetch and redirect (default: three times --registry-timeout).")
  String deadline;

  /** The per-artifact deadline: {@code --deadline}, else {@value #DEADLINE_FACTOR} times the request timeout. */
  Duration artifactDeadline() {
    return deadline == null ? requestTimeout().multipliedBy(DEADLINE_FACTOR) : Durations.parse("--deadline", deadline);
  }

  /**
   * What registry work may take: the artifact deadline counted from the command's start (start to exit is what the
   * user waits for), less a reserve (at most a tenth of it) so the command can still report its one line and exit
   * in time.
   */
  Deadline commandDeadline(final CliCommand ctx) {
    final Duration budget = artifactDeadline();
    final Duration reserve = budget.dividedBy(10).compareTo(EXIT_RESERVE) < 0 ? budget.dividedBy(10) : EXIT_RESERVE;
    return Deadline.startedAt(ctx.startNanos, budget.minus(reserve));
  }

  /**
   * The registry client for {@code ref}, with credentials resolved; throws {@link CliException} on bad options. A
   * CLI invocation handles one artifact, so the client is bound to that artifact's deadline, counted from the start
   * of the command ({@link CommandStart}): every request (each referrers page, token fetches, redirects, envelopes, SBOMs) ends by then, and one
   * still running when it passes is cancelled.
   */
  RegistryClient client(final Reference ref, final CliCommand ctx) {
    return client(settings(ref, ctx), ctx);
  }

  /** The client for settings already read (credentials from stdin are read once). */
  RegistryClient client(final RegistrySettings settings, final CliCommand ctx) {
    try {
      return VerifierFactory.registry(settings, ctx.clock).within(commandDeadline(ctx));
    } catch (final SettingsException e) {
      throw CliException.usage(e.getMessage(), e);
    }
  }

  /** The allowlist for {@code ref}, with credentials resolved; throws {@link CliException} on bad options. */
  RegistrySettings settings(final Reference ref, final CliCommand ctx) {
    return settings(List.of(ref), ctx);
  }

  /**
   * The allowlist for several references (one {@code verify} call): every registry they name, plus
   * {@code --allow-registry} hosts, each with its credentials. {@code --username} applies only when they all name
   * the same registry.
   */
  RegistrySettings settings(final List<Reference> refs, final CliCommand ctx) {
    final Duration timeout = requestTimeout();
    final Set<String> named = new LinkedHashSet<>();
    for (final Reference r : refs) {
      named.add(r.registry());
    }
    final boolean azure = "azure".equalsIgnoreCase(registryAuth);
    if (!azure && !"docker".equalsIgnoreCase(registryAuth)) {
      throw CliException.usage("--registry-auth must be docker or azure, not '" + registryAuth + "'");
    }
    if (azure && (username != null || passwordStdin)) {
      throw CliException.usage("--registry-auth azure takes no --username or --password-stdin");
    }
    final DockerConfigCredentials docker = dockerConfig(ctx);
    Credentials basic = null;
    if (username != null) {
      if (!passwordStdin) {
        throw CliException.usage("--username needs --password-stdin (passwords are never taken as arguments)");
      }
      if (named.size() > 1) {
        throw CliException.usage("--username applies to one registry, and the references name " + named.size()
            + "; give credentials for several registries with --registry-config");
      }
      basic = new Credentials.Basic(username, Secret.of(readStdinSecret(ctx)));
    } else if (passwordStdin) {
      throw CliException.usage("--password-stdin needs --username");
    }
    final Set<String> insecure = new LinkedHashSet<>();
    for (final String h : insecureRegistries) {
      insecure.add(host("--insecure-registry", h));
    }
    final Set<String> extra = new LinkedHashSet<>();
    for (final String h : allowRegistries) {
      extra.add(host("--allow-registry", h));
    }
    extra.removeAll(named);
    final List<RegistryEntry> entries = new ArrayList<>();
    try {
      for (final String h : named) {
        entries.add(new RegistryEntry(h, insecure.contains(h), basic != null ? basic : docker.forHost(h), extra));
      }
      for (final String h : extra) {
        entries.add(new RegistryEntry(h, insecure.contains(h), docker.forHost(h), Set.of()));
      }
    } catch (final IllegalArgumentException e) {
      throw CliException.usage("invalid registry host: " + e.getMessage());
    }
    final RegistrySettings settings = RegistrySettings.of(entries, timeout);
    return azure ? settings.withEntraExchange(named, AzureIdentityTokenSource.forAcr(
        AzureConnection.fromEnvironment(ctx.env, timeout))) : settings;
  }

  /** {@code HOST[:PORT]} checked with the reference grammar (labels, length, port 1..65535); a usage error if not. */
  private static String host(final String option, final String h) {
    try {
      return Reference.repository(h, "x").registry();
    } catch (final IllegalArgumentException e) {
      throw CliException.usage(option + ": " + e.getMessage());
    }
  }

  private DockerConfigCredentials dockerConfig(final CliCommand ctx) {
    Path file = registryConfig;
    if (file == null) {
      final String dc = ctx.env.get("DOCKER_CONFIG");
      file = dc != null && !dc.isBlank() ? Path.of(dc, "config.json") : ctx.userHome.resolve(".docker/config.json");
      if (!Files.isRegularFile(file)) {
        return new DockerConfigCredentials(java.util.Map.of(), List.of());
      }
    } else if (!Files.isRegularFile(file)) {
      throw CliException.usage("registry config " + file + " does not exist");
    }
    try {
      return DockerConfigCredentials.load(file);
    } catch (final IllegalArgumentException e) {
      throw CliException.usage(e.getMessage());
    }
  }

  static String readStdinSecret(final CliCommand ctx) {
    try {
      final byte[] b = ctx.stdin.readNBytes(64 * 1024);
      String s = new String(b, StandardCharsets.UTF_8);
      // Like `docker login --password-stdin`: the trailing newline of `echo` is not part of the secret.
      while (s.endsWith("\n") || s.endsWith("\r")) {
        s = s.substring(0, s.length() - 1);
      }
      if (s.isEmpty()) {
        throw CliException.usage("nothing was read from stdin");
      }
      return s;
    } catch (final IOException e) {
      throw CliException.usage("cannot read stdin: " + e.getMessage());
    }
  }
}
