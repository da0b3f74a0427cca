package dev.sigstream.app.cli;

import dev.sigstream.notary.TargetDescriptor;
import dev.sigstream.notary.envelope.SigningScheme;
import dev.sigstream.notary.sign.EnvelopeFormat;
import dev.sigstream.notary.sign.NotarySigner;
import dev.sigstream.notary.sign.Pkcs11SigningKeys;
import dev.sigstream.notary.sign.SignRequest;
import dev.sigstream.notary.sign.SignedEnvelope;
import dev.sigstream.notary.sign.SigningException;
import dev.sigstream.notary.sign.SigningKey;
import dev.sigstream.notary.sign.SigningKeyException;
import dev.sigstream.notary.sign.SigningKeys;
import dev.sigstream.notary.timestamp.HttpTsaClient;
import dev.sigstream.oci.Descriptor;
import dev.sigstream.oci.FetchResult;
import dev.sigstream.oci.Manifest;
import dev.sigstream.oci.Reference;
import dev.sigstream.oci.RegistryClient;
import dev.sigstream.signing.azure.AzureConnection;
import dev.sigstream.signing.azure.KeyVaultSigningKey;
import dev.sigstream.signing.azure.TrustedSigningKey;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.function.BiFunction;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code sigstream sign}: sign an artifact, like {@code notation sign}, and push the signature as a referrer
 * (referrers API where the registry has it, else the tag-schema fallback index). The key comes from a provider: a
 * local PEM or PKCS#12 file, an Azure Key Vault key, a Trusted Signing certificate profile, or a PKCS#11 token; the
 * remote ones sign a digest and never hand out the key. Secrets (key password, token PIN) come from stdin or the
 * environment, never from the command line. Nothing is pushed unless the signature was made.
 */
@Command(name = "sign", mixinStandardHelpOptions = true, sortOptions = false,
    description = {"Sign an artifact and push the signature as a referrer.",
        "Notary Project JWS or COSE envelope; referrers API, or the tag-schema fallback index.",
        "Prints the signature manifest digest on stdout."},
    exitCodeListHeading = "%nExit codes:%n",
    exitCodeList = {"0:signed and pushed", "2:usage or configuration error (key, chain, options, permission on the"
        + " key, unsupported key type)", "3:registry, network, key service (throttled, timed out, failed) or"
        + " timestamp authority error"})
public final class SignCommand extends CliCommand {

  static final String KEY_PASSWORD_ENV = "SIGSTREAM_KEY_PASSWORD";
  /** Trusted Signing: how often the operation is polled when the service gives no Retry-After. */
  static final Duration POLL_INTERVAL = Duration.ofMillis(500);

  @Parameters(index = "0", paramLabel = "REFERENCE",
      description = "registry/repository@digest or registry/repository:tag")
  String reference;

  @Option(names = "--key-provider", paramLabel = "PROVIDER", defaultValue = "local",
      description = "Where the key lives: local (--key file), azure-keyvault (--key-id URL), trusted-signing"
          + " (--trusted-signing-endpoint, -account, -profile) or pkcs11 (--pkcs11-module or --pkcs11-config,"
          + " --key-id alias). Default: ${DEFAULT-VALUE}.")
  String keyProvider;

  @Option(names = {"-k", "--key"}, paramLabel = "FILE",
      description = "local: PEM private key (with --cert-chain), or a PKCS#12 file holding key and chain.")
  Path key;

  @Option(names = "--key-id", paramLabel = "ID",
      description = "azure-keyvault: the key URL, https://VAULT.vault.azure.net/keys/NAME[/VERSION]."
          + " pkcs11: the key's alias (label) in the token; may be omitted when the token holds one key.")
  String keyId;

  @Option(names = "--cert-chain", paramLabel = "FILE",
      description = "PEM certificate chain, leaf first, ending at the root. local: omit for PKCS#12."
          + " azure-keyvault: the issuers of the vault's certificate, or the whole chain (not needed for a"
          + " self-signed certificate). pkcs11: instead of the chain stored in the token.")
  Path certChain;

  @Option(names = "--trusted-signing-endpoint", paramLabel = "URL",
      description = "trusted-signing: the account's regional endpoint, e.g. https://weu.codesigning.azure.net.")
  URI trustedSigningEndpoint;

  @Option(names = "--trusted-signing-account", paramLabel = "NAME", description = "trusted-signing: the account.")
  String trustedSigningAccount;

  @Option(names = "--trusted-signing-profile", paramLabel = "NAME",
      description = "trusted-signing: the certificate profile.")
  String trustedSigningProfile;

  @Option(names = "--pkcs11-module", paramLabel = "FILE",
      description = "pkcs11: the token's PKCS#11 library, e.g. /usr/lib/softhsm/libsofthsm2.so.")
  Path pkcs11Module;

  @Option(names = "--pkcs11-slot", paramLabel = "ID",
      description = "pkcs11: the slot id (default: the first slot).")
  Long pkcs11Slot;

  @Option(names = "--pkcs11-config", paramLabel = "FILE",
      description = "pkcs11: a SunPKCS11 configuration file, instead of --pkcs11-module and --pkcs11-slot.")
  Path pkcs11Config;

  @Option(names = "--signing-timeout", paramLabel = "DURATION", defaultValue = "60s",
      description = "azure-keyvault, trusted-signing: time for one signature, retries and polling included"
          + " (default: ${DEFAULT-VALUE}).")
  String signingTimeout;

  @Option(names = "--key-password-stdin",
      description = "Read the PKCS#12 / encrypted-key password or the PKCS#11 PIN from stdin (else $"
          + KEY_PASSWORD_ENV + ").")
  boolean keyPasswordStdin;

  @Option(names = "--signature-format", paramLabel = "FORMAT", defaultValue = "jws",
      description = "jws or cose (default: ${DEFAULT-VALUE}).")
  String signatureFormat;

  @Option(names = "--timestamp-url", paramLabel = "URL",
      description = "RFC 3161 timestamp authority to countersign the signature (required for trusted-signing).")
  URI timestampUrl;

  @Option(names = {"-e", "--expiry"}, paramLabel = "DURATION",
      description = "Signature lifetime, e.g. 24h, 30d (default: no expiry).")
  String expiry;

  @Option(names = {"-m", "--user-metadata"}, paramLabel = "KEY=VALUE",
      description = "Metadata added to the signed payload. Repeatable.")
  Map<String, String> userMetadata = new LinkedHashMap<>();

  @Mixin
  RegistryOptions registry = new RegistryOptions();

  /**
   * The Azure identity and transport for the azure-keyvault and trusted-signing providers; null means
   * DefaultAzureCredential from the environment (linked only when used, so other commands load no Azure class).
   * In-process tests set it (a loopback TLS trust and a fixed token).
   */
  BiFunction<Map<String, String>, Duration, AzureConnection> azure;

  @Override
  int run() {
    final Reference ref = parseReference(reference);
    final EnvelopeFormat format = switch (signatureFormat.toLowerCase(Locale.ROOT)) {
      case "jws" -> EnvelopeFormat.JWS;
      case "cose" -> EnvelopeFormat.COSE;
      default -> throw CliException.usage("--signature-format must be jws or cose, not '" + signatureFormat + "'");
    };
    final Duration lifetime = expiry == null ? null : Durations.parse("--expiry", expiry);
    if (keyPasswordStdin && registry.passwordStdin) {
      throw CliException.usage("--key-password-stdin and --password-stdin cannot both read stdin");
    }
    final SigningKey signingKey = openKey();
    // A key with short-lived certificates (Trusted Signing) is always timestamped.
    final boolean timestamp = timestampUrl != null || signingKey.requiresTimestamp();
    final NotarySigner signer;
    try {
      signer = NotarySigner.create(signingKey, clock, timestampUrl == null ? null
          : new HttpTsaClient(timestampUrl, Duration.ofSeconds(15)), NotarySigner.DEFAULT_SIGNING_AGENT);
    } catch (final SigningException e) {
      throw CliException.usage(e.getMessage(), e);
    } catch (final IllegalArgumentException e) {
      throw CliException.usage("--timestamp-url: " + e.getMessage(), e);
    }
    final RegistryClient client = registry.client(ref, this);
    final Reference repo = Reference.repository(ref.registry(), ref.repository());

    // Resolve once, then sign exactly the bytes behind that digest (media type and size come from them too).
    if (!ref.isDigest()) {
      err().println("Warning: resolving tag '" + ref.tag() + "' to a digest; the signature covers that digest.");
      err().flush();
    }
    final Descriptor resolved = ref.isDigest() ? null : value(client.resolve(ref).join(), "resolving " + ref);
    final Reference byDigest = repo.withDigest(ref.isDigest() ? ref.digest() : resolved.digest());
    final Manifest manifest = value(client.manifest(byDigest).join(), "fetching " + byDigest);
    final TargetDescriptor target = new TargetDescriptor(manifest.mediaType(), byDigest.digest().toString(),
        manifest.bytes().length);

    final SignedEnvelope env;
    try {
      env = signer.sign(new SignRequest(target, format, SigningScheme.X509, lifetime, userMetadata, timestamp));
    } catch (final SigningException e) {
      // A remote key says whether it was configuration (permission, key type) or a service fault; the rest here
      // is the TSA (a service) or, without a TSA, a key problem.
      final SigningKeyException k = SigningKeyException.find(e);
      final int code = k != null ? (k.reason().configuration() ? ExitCodes.USAGE : ExitCodes.REGISTRY)
          : timestampUrl != null ? ExitCodes.REGISTRY : ExitCodes.USAGE;
      throw new CliException(code, "signing failed: " + (k != null ? k.getMessage() : e.getMessage()), e);
    }
    final Descriptor pushed = value(SignaturePush.push(client, repo, target, env), "pushing the signature");
    err().println("Signed " + byDigest + " (" + format.name().toLowerCase(Locale.ROOT) + ", "
        + signer.algorithm() + (timestamp ? ", timestamped" : "") + ", key from " + signingKey + ")");
    out().println(pushed.digest());
    return ExitCodes.OK;
  }

  /** The key of {@code --key-provider}, opened (remote keys are reached now: nothing is fetched or pushed first). */
  private SigningKey openKey() {
    final String provider = keyProvider.toLowerCase(Locale.ROOT);
    if (certChain != null && !Files.isRegularFile(certChain)) {
      throw CliException.usage("certificate chain file " + certChain + " does not exist");
    }
    only(provider, "local", "--key", key != null);
    only(provider, "azure-keyvault|pkcs11", "--key-id", keyId != null);
    only(provider, "trusted-signing", "--trusted-signing-endpoint", trustedSigningEndpoint != null);
    only(provider, "trusted-signing", "--trusted-signing-account", trustedSigningAccount != null);
    only(provider, "trusted-signing", "--trusted-signing-profile", trustedSigningProfile != null);
    only(provider, "pkcs11", "--pkcs11-module", pkcs11Module != null);
    only(provider, "pkcs11", "--pkcs11-slot", pkcs11Slot != null);
    only(provider, "pkcs11", "--pkcs11-config", pkcs11Config != null);
    only(provider, "local|azure-keyvault|pkcs11", "--cert-chain (the service returns its chain)", certChain != null);
    try {
      return switch (provider) {
        case "local" -> {
          if (key == null) {
            throw CliException.usage("--key-provider local needs --key FILE");
          }
          yield loadKey();
        }
        case "azure-keyvault" -> {
          if (keyId == null) {
            throw CliException.usage("--key-provider azure-keyvault needs --key-id"
                + " https://VAULT.vault.azure.net/keys/NAME[/VERSION]");
          }
          yield KeyVaultSigningKey.open(keyId, certChain, azureConnection());
        }
        case "trusted-signing" -> {
          if (trustedSigningEndpoint == null || trustedSigningAccount == null || trustedSigningProfile == null) {
            throw CliException.usage("--key-provider trusted-signing needs --trusted-signing-endpoint,"
                + " --trusted-signing-account and --trusted-signing-profile");
          }
          if (timestampUrl == null) {
            throw CliException.usage("--key-provider trusted-signing needs --timestamp-url: its certificates live for"
                + " days, so every signature must carry an RFC 3161 timestamp (e.g. http://timestamp.acs.microsoft.com)");
          }
          yield TrustedSigningKey.open(trustedSigningEndpoint, trustedSigningAccount, trustedSigningProfile,
              azureConnection(), POLL_INTERVAL);
        }
        case "pkcs11" -> openPkcs11();
        default -> throw CliException.usage("--key-provider must be local, azure-keyvault, trusted-signing or pkcs11,"
            + " not '" + keyProvider + "'");
      };
    } catch (final SigningKeyException e) {
      throw new CliException(e.reason().configuration() ? ExitCodes.USAGE : ExitCodes.REGISTRY,
          "signing key: " + e.getMessage(), e);
    }
  }

  /** A usage error when {@code option} is given for a provider that does not take it. */
  private static void only(final String provider, final String providers, final String option, final boolean given) {
    if (given && !provider.matches(providers) && provider.matches("local|azure-keyvault|trusted-signing|pkcs11")) {
      throw CliException.usage(option + " does not apply to --key-provider " + provider);
    }
  }

  private AzureConnection azureConnection() {
    final Duration timeout = Durations.parse("--signing-timeout", signingTimeout);
    quietAzureLogs(debug());
    final AzureConnection c = azure != null ? azure.apply(env, registry.requestTimeout())
        : AzureConnection.fromEnvironment(env, registry.requestTimeout());
    return c.withOperationTimeout(timeout);
  }

  private SigningKey openPkcs11() throws SigningKeyException {
    final String config;
    if (pkcs11Config != null) {
      if (pkcs11Module != null || pkcs11Slot != null) {
        throw CliException.usage("--pkcs11-config replaces --pkcs11-module and --pkcs11-slot; give one or the other");
      }
      try {
        config = Files.readString(pkcs11Config);
      } catch (final IOException e) {
        throw CliException.usage("cannot read --pkcs11-config " + pkcs11Config + ": " + e.getMessage(), e);
      }
    } else if (pkcs11Module != null) {
      if (!Files.isRegularFile(pkcs11Module)) {
        throw CliException.usage("PKCS#11 module " + pkcs11Module + " does not exist");
      }
      config = Pkcs11SigningKeys.config(pkcs11Module, pkcs11Slot);
    } else {
      throw CliException.usage("--key-provider pkcs11 needs --pkcs11-module FILE (and --pkcs11-slot) or"
          + " --pkcs11-config FILE");
    }
    final char[] pin = password();
    if (pin == null) {
      throw CliException.usage("the PKCS#11 token needs its PIN: pipe it to --key-password-stdin or set $"
          + KEY_PASSWORD_ENV);
    }
    return Pkcs11SigningKeys.open(config, keyId, pin, certChain);
  }

  /**
   * The Azure SDK and MSAL log their own view of every failure (and routine transport notes) at WARN/ERROR; the
   * command reports the failure itself, in one line, so their loggers stay quiet unless {@code --debug}.
   */
  private static void quietAzureLogs(final boolean debug) {
    if (org.slf4j.LoggerFactory.getILoggerFactory() instanceof ch.qos.logback.classic.LoggerContext ctx) {
      final ch.qos.logback.classic.Level level = debug ? ch.qos.logback.classic.Level.DEBUG
          : ch.qos.logback.classic.Level.OFF;
      ctx.getLogger("com.azure").setLevel(level);
      ctx.getLogger("com.microsoft.aad").setLevel(level);
    }
  }

  private SigningKey loadKey() {
    if (!Files.isRegularFile(key)) {
      throw CliException.usage("key file " + key + " does not exist");
    }
    if (certChain != null && !Files.isRegularFile(certChain)) {
      throw CliException.usage("certificate chain file " + certChain + " does not exist");
    }
    final char[] password = password();
    try {
      return certChain != null ? SigningKeys.fromPem(key, certChain, password)
          : SigningKeys.fromPkcs12(key, password == null ? new char[0] : password, null);
    } catch (final IOException | GeneralSecurityException | RuntimeException e) {
      final String hint = certChain == null ? " (without --cert-chain, --key must be a PKCS#12 file)" : "";
      throw CliException.usage("cannot load signing key " + key + ": " + e.getMessage() + hint, e);
    }
  }

  private char[] password() {
    if (keyPasswordStdin) {
      return RegistryOptions.readStdinSecret(this).toCharArray();
    }
    final String p = env.get(KEY_PASSWORD_ENV);
    return p == null ? null : p.toCharArray();
  }

  /**
   * The found value, or a {@link CliException} naming what failed: exit code 2 when the registry sent us to a host
   * that is not allowed (configuration: {@code --allow-registry}, as {@code verify} does), else 3. The message is
   * made terminal-safe when printed.
   */
  static <T> T value(final FetchResult<T> r, final String what) {
    if (r instanceof FetchResult.Found<T> f) {
      return f.value();
    }
    if (r instanceof FetchResult.NotAllowed<T> na) {
      throw CliException.usage(what + ": " + r.describe() + " (allow it with --allow-registry "
          + TerminalSafe.line(na.host()) + ")");
    }
    throw CliException.registry(what + ": " + r.describe());
  }
}
