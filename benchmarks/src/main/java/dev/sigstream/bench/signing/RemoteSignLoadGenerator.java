package dev.sigstream.bench.signing;

import dev.sigstream.notary.TargetDescriptor;
import dev.sigstream.notary.envelope.SigningScheme;
import dev.sigstream.notary.sign.EnvelopeFormat;
import dev.sigstream.notary.sign.LocalSigningKey;
import dev.sigstream.notary.sign.NotarySigner;
import dev.sigstream.notary.sign.SignRequest;
import dev.sigstream.notary.sign.SignatureManifest;
import dev.sigstream.notary.sign.SignedEnvelope;
import dev.sigstream.oci.Descriptor;
import dev.sigstream.oci.Digest;
import dev.sigstream.oci.FetchResult;
import dev.sigstream.oci.Manifest;
import dev.sigstream.oci.MediaTypes;
import dev.sigstream.oci.Reference;
import dev.sigstream.oci.auth.Credentials;
import dev.sigstream.oci.client.OciRegistryHttpClient;
import dev.sigstream.oci.client.RegistryConfig;
import dev.sigstream.oci.client.RegistryEntry;
import dev.sigstream.signing.azure.FakeKeyVault;
import dev.sigstream.signing.azure.KeyVaultSigningKey;
import dev.sigstream.signing.azure.LoopbackTls;
import dev.sigstream.testing.pki.CertSpec;
import dev.sigstream.testing.pki.Issued;
import dev.sigstream.testing.pki.KeyType;
import dev.sigstream.testing.pki.TestPki;
import dev.sigstream.testing.registry.Registries;
import dev.sigstream.testing.registry.RegistryAuth;
import dev.sigstream.testing.registry.TestRegistry;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;

/**
 * Does signing through a remote key add anything beyond the provider's own latency? Signs {@code artifacts} images
 * (default 100) one after another exactly as {@code sigstream sign --key-provider azure-keyvault} does (fetch the
 * manifest, sign through the Azure SDK's CryptographyClient against the loopback Key Vault with {@code latency}
 * of injected delay (default 20 ms), push config, envelope and signature manifest to a local docker-registry), and
 * prints the total beside its same-run baseline: for as many other images, a bare JDK HttpClient POST of a digest
 * to the same Key Vault sign endpoint (the provider's latency) plus the same fetch and three pushes of an envelope
 * made beforehand (the push time). Rounds interleave the two, so load on the machine falls on both alike.
 *
 * <pre>java -cp benchmarks/target/benchmarks.jar dev.sigstream.bench.signing.RemoteSignLoadGenerator [artifacts] [latencyMs]</pre>
 *
 * Goal: signed total / (provider latency + push time) ≤ 1.2.
 */
public final class RemoteSignLoadGenerator {

  private RemoteSignLoadGenerator() {}

  public static void main(final String[] args) throws Exception {
    final int artifacts = args.length > 0 ? Integer.parseInt(args[0]) : 100;
    final int latencyMs = args.length > 1 ? Integer.parseInt(args[1]) : 20;
    final int warmup = 10;
    final Path tmp = Files.createTempDirectory("sigstream-bench-sign");
    try (TestRegistry registry = Registries.startDistribution(RegistryAuth.NONE);
        TestPki pki = TestPki.start(Clock.systemUTC())) {
      final Issued leaf = pki.root("CN=Bench Root,O=Sigstream,C=US", KeyType.EC_P384)
          .intermediate("CN=Bench CA,O=Sigstream,C=US", KeyType.EC_P256)
          .leaf(CertSpec.leaf("CN=bench,O=Sigstream,ST=WA,C=US").keyType(KeyType.EC_P256));
      final LoopbackTls tls = LoopbackTls.create(tmp);
      final FakeKeyVault vault = new FakeKeyVault(tls);
      try {
        vault.addKey("bench", "v1", leaf.privateKey(), leaf.certificate(), "ES256");
        vault.server.setGlobalFixedDelay(latencyMs);
        final Path issuers = tmp.resolve("issuers.pem");
        final StringBuilder pem = new StringBuilder();
        for (final var c : leaf.chain().subList(1, leaf.chain().size())) {
          pem.append("-----BEGIN CERTIFICATE-----\n").append(Base64.getMimeEncoder().encodeToString(c.getEncoded()))
              .append("\n-----END CERTIFICATE-----\n");
        }
        Files.writeString(issuers, pem);
        final LoopbackTls.FixedCredential credential = new LoopbackTls.FixedCredential(FakeKeyVault.TOKEN);
        final KeyVaultSigningKey key = KeyVaultSigningKey.open(vault.keyId("bench", "v1"), issuers,
            tls.connection(credential, Duration.ofSeconds(30)));
        final NotarySigner remote = NotarySigner.create(key, Clock.systemUTC(), null, NotarySigner.DEFAULT_SIGNING_AGENT);
        final NotarySigner local = NotarySigner.create(new LocalSigningKey(leaf.privateKey(), leaf.chain()),
            Clock.systemUTC(), null, NotarySigner.DEFAULT_SIGNING_AGENT);
        final OciRegistryHttpClient client = OciRegistryHttpClient.create(RegistryConfig.of(
            RegistryEntry.insecure(registry.host(), Credentials.ANONYMOUS)), Clock.systemUTC());
        final HttpClient bare = HttpClient.newBuilder().sslContext(tls.clientContext()).build();
        final URI signUri = URI.create(vault.keyId("bench", "v1") + "/sign?api-version=7.5");
        final String repo = "bench/sign-" + UUID.randomUUID().toString().substring(0, 8);

        final List<Reference> signed = new ArrayList<>();
        final List<Reference> baseline = new ArrayList<>();
        for (int i = 0; i < artifacts + warmup; i++) {
          signed.add(pushImage(client, registry, repo));
          baseline.add(pushImage(client, registry, repo));
        }
        long signedNanos = 0;
        long providerNanos = 0;
        long pushNanos = 0;
        for (int i = 0; i < artifacts + warmup; i++) {
          // Signed: what the CLI does for one artifact.
          final long t0 = System.nanoTime();
          signAndPush(client, signed.get(i), remote);
          final long t1 = System.nanoTime();
          // Baseline 1: the provider alone, one bare sign call.
          bareSign(bare, signUri);
          final long t2 = System.nanoTime();
          // Baseline 2: the same fetch and pushes with an envelope made beforehand.
          final Manifest m = found(client.manifest(baseline.get(i)).join());
          final SignedEnvelope env = envelope(local, baseline.get(i), m);
          final long t3 = System.nanoTime();
          push(client, baseline.get(i), m, env);
          final long t4 = System.nanoTime();
          if (i >= warmup) {
            signedNanos += t1 - t0;
            providerNanos += t2 - t1;
            pushNanos += t4 - t3;
          }
        }
        // The fetch of the baseline manifest happened before t3: measure it once more per artifact, cheaply.
        long fetchNanos = 0;
        for (int i = warmup; i < artifacts + warmup; i++) {
          final long t = System.nanoTime();
          found(client.manifest(baseline.get(i)).join());
          fetchNanos += System.nanoTime() - t;
        }
        final double signedMs = signedNanos / 1e6;
        final double baselineMs = (providerNanos + pushNanos + fetchNanos) / 1e6;
        System.out.printf(Locale.ROOT, "Remote signing, %d artifacts, Key Vault latency %d ms (loopback TLS, local"
            + " docker-registry)%n", artifacts, latencyMs);
        System.out.printf(Locale.ROOT, "  signed (fetch + Key Vault sign + 3 pushes): %8.1f ms total, %6.2f ms/artifact%n",
            signedMs, signedMs / artifacts);
        System.out.printf(Locale.ROOT, "  baseline provider latency (bare POST):      %8.1f ms total, %6.2f ms/artifact%n",
            providerNanos / 1e6, providerNanos / 1e6 / artifacts);
        System.out.printf(Locale.ROOT, "  baseline push time (fetch + 3 pushes):      %8.1f ms total, %6.2f ms/artifact%n",
            (pushNanos + fetchNanos) / 1e6, (pushNanos + fetchNanos) / 1e6 / artifacts);
        System.out.printf(Locale.ROOT, "  ratio signed / (provider + push) = %.3f (goal <= 1.2)%n", signedMs / baselineMs);
      } finally {
        vault.close();
      }
    }
  }

  private static void signAndPush(final OciRegistryHttpClient client, final Reference ref, final NotarySigner signer)
      throws Exception {
    final Manifest m = found(client.manifest(ref).join());
    push(client, ref, m, envelope(signer, ref, m));
  }

  private static SignedEnvelope envelope(final NotarySigner signer, final Reference ref, final Manifest m)
      throws Exception {
    return signer.sign(new SignRequest(new TargetDescriptor(m.mediaType(), ref.digest().toString(), m.bytes().length),
        EnvelopeFormat.JWS, SigningScheme.X509, null, Map.of(), false));
  }

  private static void push(final OciRegistryHttpClient client, final Reference ref, final Manifest m,
      final SignedEnvelope env) {
    final Reference repo = Reference.repository(ref.registry(), ref.repository());
    final SignatureManifest sm = SignatureManifest.of(new TargetDescriptor(m.mediaType(), ref.digest().toString(),
        m.bytes().length), env);
    found(client.pushBlob(repo, SignatureManifest.EMPTY_CONFIG_MEDIA_TYPE, SignatureManifest.EMPTY_CONFIG).join());
    found(client.pushBlob(repo, env.mediaType(), env.envelope()).join());
    found(client.pushReferrer(repo, SignatureManifest.MEDIA_TYPE, sm.json()).join());
  }

  private static void bareSign(final HttpClient http, final URI uri) throws Exception {
    final byte[] digest = new byte[32];
    java.util.concurrent.ThreadLocalRandom.current().nextBytes(digest);
    final String body = "{\"alg\":\"ES256\",\"value\":\"" + Base64.getUrlEncoder().withoutPadding()
        .encodeToString(digest) + "\"}";
    final HttpResponse<byte[]> r = http.send(HttpRequest.newBuilder(uri).header("Authorization", "Bearer "
        + FakeKeyVault.TOKEN).header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofByteArray());
    if (r.statusCode() != 200) {
      throw new IllegalStateException("bare sign answered " + r.statusCode());
    }
  }

  private static Reference pushImage(final OciRegistryHttpClient c, final TestRegistry r, final String repo) {
    final Reference repoRef = Reference.repository(r.host(), repo);
    final byte[] config = ("{\"architecture\":\"amd64\",\"os\":\"linux\",\"rootfs\":{\"type\":\"layers\","
        + "\"diff_ids\":[]},\"comment\":\"" + UUID.randomUUID() + "\"}").getBytes(StandardCharsets.UTF_8);
    found(c.pushBlob(repoRef, MediaTypes.OCI_CONFIG, config).join());
    final String manifest = "{\"schemaVersion\":2,\"mediaType\":\"" + MediaTypes.OCI_MANIFEST + "\","
        + "\"config\":{\"mediaType\":\"" + MediaTypes.OCI_CONFIG + "\",\"digest\":\"" + Digest.sha256(config)
        + "\",\"size\":" + config.length + "},\"layers\":[]}";
    final Descriptor d = found(c.pushManifest(repoRef.withDigest(Digest.sha256(manifest.getBytes(
        StandardCharsets.UTF_8))), MediaTypes.OCI_MANIFEST, manifest.getBytes(StandardCharsets.UTF_8)).join());
    return repoRef.withDigest(d.digest());
  }

  private static <T> T found(final FetchResult<T> r) {
    if (r instanceof FetchResult.Found<T> f) {
      return f.value();
    }
    throw new IllegalStateException(r.describe());
  }
}
