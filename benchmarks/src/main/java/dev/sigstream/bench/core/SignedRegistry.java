package dev.sigstream.bench.core;

import dev.sigstream.notary.TargetDescriptor;
import dev.sigstream.notary.sign.EnvelopeFormat;
import dev.sigstream.notary.sign.LocalSigningKey;
import dev.sigstream.notary.sign.NotarySigner;
import dev.sigstream.notary.sign.SignRequest;
import dev.sigstream.notary.sign.SignedEnvelope;
import dev.sigstream.oci.Descriptor;
import dev.sigstream.oci.Digest;
import dev.sigstream.oci.Reference;
import dev.sigstream.oci.auth.Credentials;
import dev.sigstream.oci.client.OciRegistryHttpClient;
import dev.sigstream.oci.client.RegistryConfig;
import dev.sigstream.oci.client.RegistryEntry;
import dev.sigstream.oci.sbom.SbomPolicy;
import dev.sigstream.testing.pki.CertSpec;
import dev.sigstream.testing.pki.Issued;
import dev.sigstream.testing.pki.KeyType;
import dev.sigstream.testing.pki.Pem;
import dev.sigstream.testing.pki.TestPki;
import dev.sigstream.testing.registry.Registries;
import dev.sigstream.testing.registry.RegistryAuth;
import dev.sigstream.testing.registry.TestRegistry;
import dev.sigstream.verifier.core.RegistrySettings;
import dev.sigstream.verifier.core.TrustSettings;
import dev.sigstream.verifier.core.VerifierFactory;
import dev.sigstream.verifier.core.VerifierSettings;
import dev.sigstream.verifier.core.VerifyLimits;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * A local docker-registry seeded with signed images for the load generators: each image carries a JWS and a COSE
 * Notary signature from the test PKI (referrers through the tag-schema fallback), with a Notation trust policy and
 * store written to disk, so the verifier is built by {@link VerifierFactory} exactly as in production.
 */
public final class SignedRegistry implements AutoCloseable {

  static final int SIGNATURES = 2;
  private static final String MT = "application/vnd.oci.image.manifest.v1+json";
  private static final String NOTARY = "application/vnd.cncf.notary.signature";

  /** The URLs one verification fetches, in dependency order. */
  record Plan(Reference ref, URI manifest, URI fallbackIndex, List<URI> sigManifests, List<URI> blobs) {
    int requests() {
      return 2 + sigManifests.size() + blobs.size();
    }
  }

  final TestRegistry registry;
  final TestPki pki;
  final List<Plan> plans;
  final TrustSettings trust;

  public SignedRegistry(final int artifacts) throws Exception {
    registry = Registries.startDistribution(RegistryAuth.NONE);
    pki = TestPki.start(Clock.systemUTC());
    final var root = pki.root("CN=Bench Root,O=Sigstream,C=US", KeyType.EC_P384);
    final Issued signer = root.intermediate("CN=Bench CA,O=Sigstream,C=US", KeyType.EC_P256)
        .leaf(CertSpec.leaf("CN=bench,O=Sigstream,ST=WA,C=US").keyType(KeyType.EC_P256));
    final OciRegistryHttpClient client = OciRegistryHttpClient.create(RegistryConfig.of(
        RegistryEntry.insecure(registry.host(), Credentials.ANONYMOUS)), Clock.systemUTC());
    plans = seed(client, registry, signer, artifacts);
    trust = writeTrust(Files.createTempDirectory("sigstream-bench-trust"), Pem.certificate(root.certificate()));
  }

  /** Settings for a verifier of this registry, as the CLI and the stream build them. */
  VerifierSettings settings(final java.util.concurrent.Executor executor) {
    return settings(executor, registry.host());
  }

  /** The same, reaching the registry as {@code host} (a proxy in front of it). */
  VerifierSettings settings(final java.util.concurrent.Executor executor, final String host) {
    return new VerifierSettings(trust, RegistrySettings.of(List.of(RegistryEntry.insecure(host,
        Credentials.ANONYMOUS)), Duration.ofSeconds(10)), VerifyLimits.DEFAULTS, SbomPolicy.NONE, executor,
        Clock.systemUTC());
  }

  /** The seeded images, by tag and digest ({@code host/bench/appN:vI@sha256:...}). */
  public List<Reference> references() {
    return plans.stream().map(Plan::ref).toList();
  }

  /** The trust policy and store written for the seeded signer. */
  public TrustSettings trustSettings() {
    return trust;
  }

  /** The registry's {@code host:port} (plain HTTP, loopback). */
  public String host() {
    return registry.host();
  }

  @Override
  public void close() {
    pki.close();
    registry.close();
  }

  /** A Notation configuration on disk, as an operator would write it: the factory reads it like production. */
  private static TrustSettings writeTrust(final Path dir, final String rootPem)
      throws java.io.IOException {
    final Path store = dir.resolve("truststore/x509/ca/bench");
    Files.createDirectories(store);
    Files.writeString(store.resolve("root.pem"), rootPem);
    final Path policy = dir.resolve("trustpolicy.oci.json");
    Files.writeString(policy, "{\"version\":\"1.0\",\"trustPolicies\":[{\"name\":\"bench\","
        + "\"registryScopes\":[\"*\"],\"signatureVerification\":{\"level\":\"strict\"},"
        + "\"trustStores\":[\"ca:bench\"],\"trustedIdentities\":[\"*\"]}]}");
    return new TrustSettings(policy, dir);
  }

  private static List<Plan> seed(final OciRegistryHttpClient c, final TestRegistry registry, final Issued signer,
      final int seeded) throws Exception {
    final NotarySigner notary = NotarySigner.create(new LocalSigningKey(signer.privateKey(), signer.chain()),
        Clock.systemUTC(), null, "bench");
    final String base = registry.url() + "/v2/";
    // Seeded four at a time (each image has its own referrers index, so pushes never race): seeding is set-up, and
    // on a loaded machine a sequential seed took longer than the measurement.
    final java.util.concurrent.ExecutorService seeders = java.util.concurrent.Executors.newFixedThreadPool(4);
    final List<java.util.concurrent.Future<Plan>> seeding = new ArrayList<>();
    for (int n = 0; n < seeded; n++) {
      final int i = n;
      seeding.add(seeders.submit(() -> seedOne(c, registry, notary, base, i)));
    }
    final List<Plan> plans = new ArrayList<>();
    try {
      for (final java.util.concurrent.Future<Plan> f : seeding) {
        plans.add(f.get());
      }
    } finally {
      seeders.shutdownNow();
    }
    return plans;
  }

  private static Plan seedOne(final OciRegistryHttpClient c, final TestRegistry registry, final NotarySigner notary,
      final String base, final int i) throws Exception {
    final Reference repo = Reference.repository(registry.host(), "bench/app" + (i % 8));
    final byte[] config = ("{\"architecture\":\"amd64\",\"os\":\"linux\",\"n\":" + i + "}")
        .getBytes(StandardCharsets.UTF_8);
    final byte[] layer = ("layer " + i).repeat(100).getBytes(StandardCharsets.UTF_8);
    final Descriptor cfg = c.pushBlob(repo, "application/vnd.oci.image.config.v1+json", config).get()
        .orElseThrow();
    final Descriptor lay = c.pushBlob(repo, "application/vnd.oci.image.layer.v1.tar+gzip", layer).get()
        .orElseThrow();
    final byte[] manifest = ("{\"schemaVersion\":2,\"mediaType\":\"" + MT + "\",\"config\":" + json(cfg)
        + ",\"layers\":[" + json(lay) + "]}").getBytes(StandardCharsets.UTF_8);
    final Descriptor image = c.pushManifest(repo.withTag("v" + i), MT, manifest).get().orElseThrow();
    c.pushBlob(repo, "application/vnd.oci.empty.v1+json", "{}".getBytes(StandardCharsets.UTF_8)).get()
        .orElseThrow();
    final List<URI> sigs = new ArrayList<>();
    final List<URI> blobs = new ArrayList<>();
    for (int s = 0; s < SIGNATURES; s++) {
      // Real signatures, one of each envelope format.
      final SignedEnvelope signed = notary.sign(SignRequest.of(new TargetDescriptor(image.mediaType(),
          image.digest().toString(), image.size()), s % 2 == 0 ? EnvelopeFormat.JWS : EnvelopeFormat.COSE));
      final byte[] env = signed.envelope();
      final Descriptor envD = c.pushBlob(repo, signed.mediaType(), env).get().orElseThrow();
      final byte[] sig = ("{\"schemaVersion\":2,\"mediaType\":\"" + MT + "\",\"artifactType\":\"" + NOTARY
          + "\",\"config\":{\"mediaType\":\"application/vnd.oci.empty.v1+json\",\"digest\":\""
          + Digest.sha256("{}".getBytes(StandardCharsets.UTF_8)) + "\",\"size\":2},\"layers\":[" + json(envD)
          + "],\"subject\":" + json(image) + "}").getBytes(StandardCharsets.UTF_8);
      final Descriptor sigD = c.pushReferrer(repo, MT, sig).get().orElseThrow();
      sigs.add(URI.create(base + repo.repository() + "/manifests/" + sigD.digest()));
      blobs.add(URI.create(base + repo.repository() + "/blobs/" + envD.digest()));
    }
    return new Plan(repo.withTag("v" + i).withDigest(image.digest()),
        URI.create(base + repo.repository() + "/manifests/" + image.digest()),
        URI.create(base + repo.repository() + "/manifests/" + image.digest().referrersTag()), sigs, blobs);
  }

  private static String json(final Descriptor d) {
    return "{\"mediaType\":\"" + d.mediaType() + "\",\"digest\":\"" + d.digest() + "\",\"size\":" + d.size() + "}";
  }

}
