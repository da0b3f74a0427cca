package dev.sigstream.verifier.core;

import dev.sigstream.notary.NotaryVerifier;
import dev.sigstream.notary.TargetDescriptor;
import dev.sigstream.notary.policy.TrustPolicyDocument;
import dev.sigstream.notary.revocation.RevocationResult;
import dev.sigstream.notary.revocation.RevocationStatus;
import dev.sigstream.notary.sign.EnvelopeFormat;
import dev.sigstream.notary.sign.LocalSigningKey;
import dev.sigstream.notary.sign.NotarySigner;
import dev.sigstream.notary.sign.SignRequest;
import dev.sigstream.notary.sign.SignatureManifest;
import dev.sigstream.notary.sign.SignedEnvelope;
import dev.sigstream.notary.truststore.TrustStore;
import dev.sigstream.notary.truststore.TrustStoreType;
import dev.sigstream.oci.Descriptor;
import dev.sigstream.oci.Digest;
import dev.sigstream.oci.MediaTypes;
import dev.sigstream.oci.Reference;
import dev.sigstream.oci.RegistryClient;
import dev.sigstream.testing.pki.Issued;
import java.nio.charset.StandardCharsets;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Signed artifacts for tests above the registry client, pushed through any {@link RegistryClient} (the in-memory
 * registry or a real one): images, and Notary signatures over them made with keys from the test PKI. Shared with
 * the stream's tests through verifier-core's test jar.
 */
public final class SignedFixtures {

  private final RegistryClient registry;
  private final Reference repository;
  private final Clock clock;

  public SignedFixtures(final RegistryClient registry, final Reference repository, final Clock clock) {
    this.registry = registry;
    this.repository = repository;
    this.clock = clock;
  }

  /** A trust policy for {@code scope} (strict, any identity, store {@code ca:test}) over {@code root}. */
  public static NotaryVerifier notary(final String scope, final X509Certificate root, final Clock clock) {
    return NotaryVerifier.builder()
        .trustPolicy(TrustPolicyDocument.parse("{\"version\":\"1.0\",\"trustPolicies\":[{\"name\":\"app\","
            + "\"registryScopes\":[\"" + scope + "\"],\"signatureVerification\":{\"level\":\"strict\"},"
            + "\"trustStores\":[\"ca:test\"],\"trustedIdentities\":[\"*\"]}]}"))
        .trustStore(TrustStore.of(Map.of(TrustStoreType.CA, Map.of("test", List.of(root)))))
        .clock(clock)
        // Revocation is tested in notary; here a stub keeps the tests offline.
        .revocationChecker((chain, purpose, t) -> new RevocationResult(RevocationStatus.OK, "stub", List.of()))
        .build();
  }

  /** Pushes a fresh single-platform image (tagged when {@code tag} is not null), its blobs first. */
  public Descriptor image(final String tag) {
    return manifest(tag, MediaTypes.OCI_CONFIG, "application/vnd.oci.image.layer.v1.tar+gzip");
  }

  /** Pushes a fresh Helm chart (OCI config and content media types of Helm 3). */
  public Descriptor chart(final String tag) {
    return manifest(tag, "application/vnd.cncf.helm.config.v1+json",
        "application/vnd.cncf.helm.chart.content.v1.tar+gzip");
  }

  private Descriptor manifest(final String tag, final String configType, final String layerType) {
    final byte[] config = ("{\"n\":\"" + UUID.randomUUID() + "\"}").getBytes(StandardCharsets.UTF_8);
    final byte[] layer = ("layer " + UUID.randomUUID()).getBytes(StandardCharsets.UTF_8);
    final Descriptor c = registry.pushBlob(repository, configType, config).join().orElseThrow();
    final Descriptor l = registry.pushBlob(repository, layerType, layer).join().orElseThrow();
    final byte[] json = ("{\"schemaVersion\":2,\"mediaType\":\"" + MediaTypes.OCI_MANIFEST + "\",\"config\":{"
        + "\"mediaType\":\"" + configType + "\",\"digest\":\"" + c.digest() + "\",\"size\":" + config.length
        + "},\"layers\":[{\"mediaType\":\"" + layerType + "\",\"digest\":\"" + l.digest() + "\",\"size\":"
        + layer.length + "}]}").getBytes(StandardCharsets.UTF_8);
    final Reference target = tag == null ? repository.withDigest(Digest.sha256(json)) : repository.withTag(tag);
    return registry.pushManifest(target, MediaTypes.OCI_MANIFEST, json).join().orElseThrow();
  }

  /**
   * Attaches to {@code subject} a signature manifest whose envelope was made over {@code signedFor}: a signature
   * moved from another artifact (the payload names the other digest).
   */
  public Descriptor transplant(final Descriptor signedFor, final Descriptor subject, final Issued key) {
    return attach(subject, envelope(signedFor, EnvelopeFormat.JWS, key, null));
  }

  /** Signs {@code subject} with {@code key} and pushes the envelope and its signature manifest (shape A). */
  public Descriptor sign(final Descriptor subject, final EnvelopeFormat format, final Issued key) {
    return attach(subject, envelope(subject, format, key, null));
  }

  /** As {@link #sign(Descriptor, EnvelopeFormat, Issued)}, with an RFC 3161 timestamp from {@code tsa}. */
  public Descriptor sign(final Descriptor subject, final EnvelopeFormat format, final Issued key,
      final dev.sigstream.notary.timestamp.TsaClient tsa) {
    return attach(subject, envelope(subject, format, key, tsa));
  }

  /** Pushes a fresh CNCF ModelPack AI model (model config and a weights layer). */
  public Descriptor model(final String tag) {
    return manifest(tag, "application/vnd.cncf.model.config.v1+json", "application/vnd.cncf.model.weight.v1.tar");
  }

  /** Pushes an OCI image index over {@code platforms} (linux, one architecture each). */
  public Descriptor index(final String tag, final Descriptor... platforms) {
    final StringBuilder json = new StringBuilder("{\"schemaVersion\":2,\"mediaType\":\"" + MediaTypes.OCI_INDEX
        + "\",\"manifests\":[");
    for (int i = 0; i < platforms.length; i++) {
      json.append(i == 0 ? "" : ",").append("{\"mediaType\":\"").append(platforms[i].mediaType())
          .append("\",\"digest\":\"").append(platforms[i].digest()).append("\",\"size\":")
          .append(platforms[i].size()).append(",\"platform\":{\"os\":\"linux\",\"architecture\":\"arch")
          .append(i).append("\"}}");
    }
    final byte[] bytes = json.append("]}").toString().getBytes(StandardCharsets.UTF_8);
    final Reference target = tag == null ? repository.withDigest(Digest.sha256(bytes)) : repository.withTag(tag);
    return registry.pushManifest(target, MediaTypes.OCI_INDEX, bytes).join().orElseThrow();
  }

  /** Attaches to {@code subject} an SPDX 2.3 SBOM listing one package under one licence; returns its manifest. */
  public Descriptor sbom(final Descriptor subject, final String pkg, final String license) {
    final byte[] doc = ("{\"spdxVersion\":\"SPDX-2.3\",\"dataLicense\":\"CC0-1.0\",\"SPDXID\":\"SPDXRef-DOCUMENT\","
        + "\"name\":\"app\",\"documentNamespace\":\"https://example.com/" + UUID.randomUUID() + "\","
        + "\"creationInfo\":{\"created\":\"2026-01-01T00:00:00Z\",\"creators\":[\"Tool: test\"]},"
        + "\"packages\":[{\"name\":\"" + pkg + "\",\"SPDXID\":\"SPDXRef-1\",\"versionInfo\":\"1.0\","
        + "\"downloadLocation\":\"NOASSERTION\",\"licenseConcluded\":\"" + license + "\"}]}")
        .getBytes(StandardCharsets.UTF_8);
    registry.pushBlob(repository, MediaTypes.OCI_EMPTY, "{}".getBytes(StandardCharsets.UTF_8)).join().orElseThrow();
    final Descriptor blob = registry.pushBlob(repository, "application/spdx+json", doc).join().orElseThrow();
    final byte[] manifest = ("{\"schemaVersion\":2,\"mediaType\":\"" + MediaTypes.OCI_MANIFEST + "\","
        + "\"artifactType\":\"application/spdx+json\",\"config\":{\"mediaType\":\"" + MediaTypes.OCI_EMPTY
        + "\",\"digest\":\"" + MediaTypes.EMPTY_DIGEST + "\",\"size\":2},\"layers\":[{\"mediaType\":"
        + "\"application/spdx+json\",\"digest\":\"" + blob.digest() + "\",\"size\":" + doc.length + "}],"
        + "\"subject\":{\"mediaType\":\"" + subject.mediaType() + "\",\"digest\":\"" + subject.digest()
        + "\",\"size\":" + subject.size() + "}}").getBytes(StandardCharsets.UTF_8);
    return registry.pushReferrer(repository, MediaTypes.OCI_MANIFEST, manifest).join().orElseThrow();
  }

  /** Pushes {@code env} and a signature manifest naming {@code subject}, with its empty config blob. */
  private Descriptor attach(final Descriptor subject, final SignedEnvelope env) {
    registry.pushBlob(repository, SignatureManifest.EMPTY_CONFIG_MEDIA_TYPE, SignatureManifest.EMPTY_CONFIG).join()
        .orElseThrow();
    registry.pushBlob(repository, env.mediaType(), env.envelope()).join().orElseThrow();
    final byte[] manifest = SignatureManifest.of(target(subject), env).json();
    return registry.pushReferrer(repository, MediaTypes.OCI_MANIFEST, manifest).join().orElseThrow();
  }

  private SignedEnvelope envelope(final Descriptor subject, final EnvelopeFormat format, final Issued key,
      final dev.sigstream.notary.timestamp.TsaClient tsa) {
    try {
      return NotarySigner.create(new LocalSigningKey(key.privateKey(), key.chain()), clock, tsa, "test")
          .sign(new SignRequest(target(subject), format, dev.sigstream.notary.envelope.SigningScheme.X509, null, Map.of(),
              tsa != null));
    } catch (final Exception e) {
      throw new IllegalStateException(e);
    }
  }

  private static TargetDescriptor target(final Descriptor d) {
    return new TargetDescriptor(d.mediaType(), d.digest().toString(), d.size());
  }

  /** {@code registry/repository@digest}. */
  public String key(final Descriptor d) {
    return repository.registry() + "/" + repository.repository() + "@" + d.digest();
  }
}
