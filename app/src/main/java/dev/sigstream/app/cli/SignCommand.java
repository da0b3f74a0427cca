package dev.sigstream.app.cli;

import dev.sigstream.notary.TargetDescriptor;
import dev.sigstream.notary.envelope.SigningScheme;
import dev.sigstream.notary.sign.EnvelopeFormat;
import dev.sigstream.notary.sign.LocalSigningKey;
import dev.sigstream.notary.sign.NotarySigner;
import dev.sigstream.notary.sign.SignRequest;
import dev.sigstream.notary.sign.SignedEnvelope;
import dev.sigstream.notary.sign.SigningException;
import dev.sigstream.notary.sign.SigningKeys;
import dev.sigstream.notary.timestamp.HttpTsaClient;
import dev.sigstream.oci.Descriptor;
import dev.sigstream.oci.FetchResult;
import dev.sigstream.oci.Manifest;
import dev.sigstream.oci.Reference;
import dev.sigstream.oci.RegistryClient;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code sigstream sign}: sign an artifact with a local key, like {@code notation sign}, and push the signature as a
 * referrer (referrers API where the registry has it, else the tag-schema fallback index).
 */
@Command(name = "sign", mixinStandardHelpOptions = true, sortOptions = false,
    description = {"Sign an artifact and push the signature as a referrer.",
        "Notary Project JWS or COSE envelope; referrers API, or the tag-schema fallback index.",
        "Prints the signature manifest digest on stdout."},
    exitCodeListHeading = "%nExit codes:%n",
    exitCodeList = {"0:signed and pushed", "2:usage or configuration error (key, chain, options)",
        "3:registry, network or timestamp authority error"})
public final class SignCommand extends CliCommand {

  static final String KEY_PASSWORD_ENV = "SIGSTREAM_KEY_PASSWORD";

  @Parameters(index = "0", paramLabel = "REFERENCE",
      description = "registry/repository@digest or registry/repository:tag")
  String reference;

  @Option(names = {"-k", "--key"}, paramLabel = "FILE", required = true,
      description = "PEM private key (with --cert-chain), or a PKCS#12 file holding key and chain.")
  Path key;

  @Option(names = "--cert-chain", paramLabel = "FILE",
      description = "PEM certificate chain, leaf first, ending at the root. Omit for PKCS#12.")
  Path certChain;

  @Option(names = "--key-password-stdin",
      description = "Read the PKCS#12 / encrypted-key password from stdin (else $" + KEY_PASSWORD_ENV + ").")
  boolean keyPasswordStdin;

  @Option(names = "--signature-format", paramLabel = "FORMAT", defaultValue = "jws",
      description = "jws or cose (default: ${DEFAULT-VALUE}).")
  String signatureFormat;

  @Option(names = "--timestamp-url", paramLabel = "URL",
      description = "RFC 3161 timestamp authority to countersign the signature.")
  URI timestampUrl;

  @Option(names = {"-e", "--expiry"}, paramLabel = "DURATION",
      description = "Signature lifetime, e.g. 24h, 30d (default: no expiry).")
  String expiry;

  @Option(names = {"-m", "--user-metadata"}, paramLabel = "KEY=VALUE",
      description = "Metadata added to the signed payload. Repeatable.")
  Map<String, String> userMetadata = new LinkedHashMap<>();

  @Mixin
  RegistryOptions registry = new RegistryOptions();

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
    final LocalSigningKey signingKey = loadKey();
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
      env = signer.sign(new SignRequest(target, format, SigningScheme.X509, lifetime, userMetadata,
          timestampUrl != null));
    } catch (final SigningException e) {
      // Key and chain problems were caught at create(); what is left here is mostly the TSA.
      throw new CliException(timestampUrl != null ? ExitCodes.REGISTRY : ExitCodes.USAGE,
          "signing failed: " + e.getMessage(), e);
    }
    final Descriptor pushed = value(SignaturePush.push(client, repo, target, env), "pushing the signature");
    err().println("Signed " + byDigest + " (" + format.name().toLowerCase(Locale.ROOT) + ", "
        + signer.algorithm() + (timestampUrl != null ? ", timestamped" : "") + ")");
    out().println(pushed.digest());
    return ExitCodes.OK;
  }

  private LocalSigningKey loadKey() {
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
