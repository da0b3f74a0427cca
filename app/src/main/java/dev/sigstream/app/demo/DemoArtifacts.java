package dev.sigstream.app.demo;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sigstream.app.cli.SignaturePush;
import dev.sigstream.notary.TargetDescriptor;
import dev.sigstream.notary.sign.EnvelopeFormat;
import dev.sigstream.notary.sign.NotarySigner;
import dev.sigstream.notary.sign.SignRequest;
import dev.sigstream.notary.sign.SigningException;
import dev.sigstream.oci.Descriptor;
import dev.sigstream.oci.Digest;
import dev.sigstream.oci.FetchResult;
import dev.sigstream.oci.MediaTypes;
import dev.sigstream.oci.Reference;
import dev.sigstream.oci.RegistryClient;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.UUID;

/**
 * Pushes the demo's artifacts with the production registry client and signs them with the production Notary signer,
 * through {@link SignaturePush}, the upload path of {@code sigstream sign}. Every artifact is fresh (a random
 * config), so each run has its own digests.
 */
final class DemoArtifacts {

  static final String TAG = "1.0";
  private static final String IMAGE_LAYER = "application/vnd.oci.image.layer.v1.tar+gzip";
  private static final ObjectMapper JSON = new ObjectMapper();

  private final RegistryClient client;
  private final String registry;
  private final DemoPki pki;
  private final Clock clock;

  DemoArtifacts(final RegistryClient client, final String registry, final DemoPki pki, final Clock clock) {
    this.client = client;
    this.registry = registry;
    this.pki = pki;
    this.clock = clock;
  }

  /** A pushed artifact: where, and its manifest descriptor. */
  record Pushed(Reference repository, Descriptor descriptor) {
    String key() {
      return repository.registry() + "/" + repository.repository() + "@" + descriptor.digest();
    }
  }

  /**
   * Pushes the artifact of {@code c} and, unless it is {@link DemoCase#SIGNED_LATE} (signed later by
   * {@link #signLate}) or {@link DemoCase#UNSIGNED}, its signatures.
   */
  Pushed push(final DemoCase c) {
    final Reference repo = Reference.repository(registry, c.repository);
    return switch (c) {
      case JWS_SIGNED -> signed(repo, image(repo), EnvelopeFormat.JWS, pki.trusted());
      case COSE_SIGNED -> signed(repo, image(repo), EnvelopeFormat.COSE, pki.trusted());
      case UNSIGNED, SIGNED_LATE -> new Pushed(repo, image(repo));
      case TAMPERED -> tampered(repo);
      case HELM_CHART -> signed(repo, manifest(repo, "application/vnd.cncf.helm.config.v1+json",
          "{\"name\":\"hello\",\"version\":\"1.0.0\",\"apiVersion\":\"v2\",\"nonce\":\"" + UUID.randomUUID() + "\"}",
          "application/vnd.cncf.helm.chart.content.v1.tar+gzip", null, null, TAG), EnvelopeFormat.JWS, pki.trusted());
      case AI_MODEL -> signed(repo, manifest(repo, "application/vnd.cncf.model.config.v1+json",
          "{\"descriptor\":{\"name\":\"tiny\"},\"nonce\":\"" + UUID.randomUUID() + "\"}",
          "application/vnd.cncf.model.weight.v1.raw", "application/vnd.cncf.model.manifest.v1+json", null, TAG),
          EnvelopeFormat.COSE, pki.trusted());
      case SIGNED_SBOM -> withSignedSbom(repo);
      case UNTRUSTED -> signed(repo, image(repo), EnvelopeFormat.JWS, pki.untrusted());
    };
  }

  /** Signs {@code p} now: the late signature of {@link DemoCase#SIGNED_LATE}. */
  void signLate(final Pushed p) {
    sign(p.repository(), p.descriptor(), EnvelopeFormat.JWS, pki.trusted());
  }

  private Pushed signed(final Reference repo, final Descriptor d, final EnvelopeFormat f, final DemoPki.Signer s) {
    sign(repo, d, f, s);
    return new Pushed(repo, d);
  }

  /**
   * The original image is signed but never pushed; a modified image (other layer) is pushed with the original's
   * signature attached to it, as an attacker who swapped content behind a valid signature would.
   */
  private Pushed tampered(final Reference repo) {
    final String config = config();
    final Descriptor original = manifest(repo, MediaTypes.OCI_CONFIG, config, IMAGE_LAYER, null, null, null, false,
        "original layer");
    final Descriptor modified = manifest(repo, MediaTypes.OCI_CONFIG, config, IMAGE_LAYER, null, null, TAG, true,
        "modified layer");
    final TargetDescriptor subject = target(modified);
    value(SignaturePush.push(client, repo, subject, envelope(target(original), EnvelopeFormat.JWS, pki.trusted())),
        "pushing the transplanted signature");
    return new Pushed(repo, modified);
  }

  private Pushed withSignedSbom(final Reference repo) {
    final Descriptor image = image(repo);
    sign(repo, image, EnvelopeFormat.JWS, pki.trusted());
    final String bom = "{\"bomFormat\":\"CycloneDX\",\"specVersion\":\"1.5\",\"serialNumber\":\"urn:uuid:"
        + UUID.randomUUID() + "\",\"version\":1,\"components\":[{\"type\":\"library\",\"name\":\"demo-lib\","
        + "\"version\":\"1.0.0\",\"purl\":\"pkg:maven/dev.sigstream/demo-lib@1.0.0\"}]}";
    final Descriptor sbom = manifest(repo, MediaTypes.OCI_EMPTY, "{}", "application/vnd.cyclonedx+json",
        "application/vnd.cyclonedx+json", image, null, true, bom);
    sign(repo, sbom, EnvelopeFormat.JWS, pki.trusted());
    return new Pushed(repo, image);
  }

  private void sign(final Reference repo, final Descriptor d, final EnvelopeFormat f, final DemoPki.Signer s) {
    final TargetDescriptor t = target(d);
    value(SignaturePush.push(client, repo, t, envelope(t, f, s)), "pushing the signature of " + d.digest());
  }

  private dev.sigstream.notary.sign.SignedEnvelope envelope(final TargetDescriptor t, final EnvelopeFormat f,
      final DemoPki.Signer s) {
    try {
      return NotarySigner.create(s.signingKey(), clock, null, NotarySigner.DEFAULT_SIGNING_AGENT)
          .sign(SignRequest.of(t, f));
    } catch (final SigningException e) {
      throw new IllegalStateException("signing failed: " + e.getMessage(), e);
    }
  }

  private Descriptor image(final Reference repo) {
    return manifest(repo, MediaTypes.OCI_CONFIG, config(), IMAGE_LAYER, null, null, TAG);
  }

  private static String config() {
    return "{\"architecture\":\"amd64\",\"os\":\"linux\",\"config\":{\"Labels\":{\"demo\":\"" + UUID.randomUUID()
        + "\"}},\"rootfs\":{\"type\":\"layers\",\"diff_ids\":[]}}";
  }

  private Descriptor manifest(final Reference repo, final String configType, final String config,
      final String layerType, final String artifactType, final Descriptor subject, final String tag) {
    return manifest(repo, configType, config, layerType, artifactType, subject, tag, true,
        "layer " + UUID.randomUUID());
  }

  /** Builds an OCI image manifest, pushes its blobs and (when {@code push}) itself, by tag or else by digest. */
  private Descriptor manifest(final Reference repo, final String configType, final String config,
      final String layerType, final String artifactType, final Descriptor subject, final String tag,
      final boolean push, final String layer) {
    final byte[] c = config.getBytes(StandardCharsets.UTF_8);
    final byte[] l = layer.getBytes(StandardCharsets.UTF_8);
    final Descriptor cd = value(client.pushBlob(repo, configType, c).join(), "pushing a config blob");
    final Descriptor ld = value(client.pushBlob(repo, layerType, l).join(), "pushing a layer blob");
    final ObjectNode m = JSON.createObjectNode();
    m.put("schemaVersion", 2);
    m.put("mediaType", MediaTypes.OCI_MANIFEST);
    if (artifactType != null) {
      m.put("artifactType", artifactType);
    }
    m.set("config", descriptor(configType, cd.digest(), c.length));
    m.putArray("layers").add(descriptor(layerType, ld.digest(), l.length));
    if (subject != null) {
      m.set("subject", descriptor(subject.mediaType(), subject.digest(), subject.size()));
    }
    final byte[] json;
    try {
      json = JSON.writeValueAsBytes(m);
    } catch (final com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
    if (!push) {
      return Descriptor.of(MediaTypes.OCI_MANIFEST, Digest.sha256(json), json.length);
    }
    if (subject != null) {
      return value(client.pushReferrer(repo, MediaTypes.OCI_MANIFEST, json).join(), "pushing a referrer");
    }
    final Reference target = tag != null ? repo.withTag(tag) : repo.withDigest(Digest.sha256(json));
    return value(client.pushManifest(target, MediaTypes.OCI_MANIFEST, json).join(), "pushing " + target);
  }

  private static ObjectNode descriptor(final String mediaType, final Digest digest, final long size) {
    final ObjectNode n = JSON.createObjectNode();
    n.put("mediaType", mediaType);
    n.put("digest", digest.toString());
    n.put("size", size);
    return n;
  }

  private static TargetDescriptor target(final Descriptor d) {
    return new TargetDescriptor(d.mediaType(), d.digest().toString(), d.size());
  }

  private static <T> T value(final FetchResult<T> r, final String what) {
    if (r instanceof FetchResult.Found<T> f) {
      return f.value();
    }
    throw new IllegalStateException(what + ": " + r.describe());
  }
}
