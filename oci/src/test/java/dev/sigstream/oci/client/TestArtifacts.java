package dev.sigstream.oci.client;

import dev.sigstream.oci.Descriptor;
import dev.sigstream.oci.Digest;
import dev.sigstream.oci.FetchResult;
import dev.sigstream.oci.Reference;
import dev.sigstream.oci.RegistryClient;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;

/** Builds and pushes small but real OCI artifacts through the client under test. */
final class TestArtifacts {

  static final String MANIFEST = "application/vnd.oci.image.manifest.v1+json";
  static final String NOTARY = "application/vnd.cncf.notary.signature";
  static final String SPDX = "application/spdx+json";
  static final String EMPTY_JSON = "{\"mediaType\":\"application/vnd.oci.empty.v1+json\",\"digest\":"
      + "\"sha256:44136fa355b3678a1146ad16f7e8649e94fb4fc21fe77e8310c060f61caaff8a\",\"size\":2}";
  static final String SBOM_DOC = "{\"spdxVersion\":\"SPDX-2.3\",\"SPDXID\":\"SPDXRef-DOCUMENT\","
      + "\"dataLicense\":\"CC0-1.0\",\"name\":\"img\",\"documentNamespace\":\"https://example.com/img\","
      + "\"creationInfo\":{\"created\":\"2026-01-01T00:00:00Z\",\"creators\":[\"Tool: test\"]},\"packages\":["
      + "{\"SPDXID\":\"SPDXRef-p\",\"name\":\"busybox\",\"versionInfo\":\"1.36\",\"downloadLocation\":\"NOASSERTION\","
      + "\"licenseConcluded\":\"GPL-2.0-only\"}]}";

  private TestArtifacts() {}

  static <T> T ok(final java.util.concurrent.CompletableFuture<FetchResult<T>> f) throws Exception {
    final FetchResult<T> r = f.get(60, TimeUnit.SECONDS);
    if (!(r instanceof FetchResult.Found<T> found)) {
      throw new AssertionError("expected Found, got " + r.describe());
    }
    return found.value();
  }

  static String desc(final Descriptor d) {
    return "{\"mediaType\":\"" + d.mediaType() + "\",\"digest\":\"" + d.digest() + "\",\"size\":" + d.size() + "}";
  }

  /** Pushes a one-layer OCI image under {@code repo:tag}; returns its manifest descriptor. */
  static Descriptor pushImage(final RegistryClient c, final Reference repo, final String tag, final String salt)
      throws Exception {
    final byte[] config = ("{\"architecture\":\"amd64\",\"os\":\"linux\",\"rootfs\":{\"type\":\"layers\","
        + "\"diff_ids\":[]},\"config\":{\"Env\":[\"SALT=" + salt + "\"]}}").getBytes(StandardCharsets.UTF_8);
    final byte[] layer = ("layer-" + salt).repeat(50).getBytes(StandardCharsets.UTF_8);
    final Descriptor cfg = ok(c.pushBlob(repo, "application/vnd.oci.image.config.v1+json", config));
    final Descriptor lay = ok(c.pushBlob(repo, "application/vnd.oci.image.layer.v1.tar+gzip", layer));
    final byte[] manifest = ("{\"schemaVersion\":2,\"mediaType\":\"" + MANIFEST + "\",\"config\":" + desc(cfg)
        + ",\"layers\":[" + desc(lay) + "]}").getBytes(StandardCharsets.UTF_8);
    return ok(c.pushManifest(repo.withTag(tag), MANIFEST, manifest));
  }

  /** A referrer manifest with one layer, pushed (blob + manifest) through {@code pushReferrer}. */
  static Descriptor pushReferrer(final RegistryClient c, final Reference repo, final Descriptor subject,
      final String artifactType, final String layerType, final byte[] layerContent) throws Exception {
    ok(c.pushBlob(repo, "application/vnd.oci.empty.v1+json", "{}".getBytes(StandardCharsets.UTF_8)));
    final Descriptor layer = ok(c.pushBlob(repo, layerType, layerContent));
    return ok(c.pushReferrer(repo, MANIFEST, referrerManifest(subject, artifactType, layer)));
  }

  static byte[] referrerManifest(final Descriptor subject, final String artifactType, final Descriptor layer) {
    return ("{\"schemaVersion\":2,\"mediaType\":\"" + MANIFEST + "\",\"artifactType\":\"" + artifactType
        + "\",\"config\":" + EMPTY_JSON + ",\"layers\":[" + desc(layer) + "],\"subject\":" + desc(subject)
        + ",\"annotations\":{\"org.opencontainers.image.created\":\"2026-01-01T00:00:00Z\"}}")
        .getBytes(StandardCharsets.UTF_8);
  }

  static Digest digestOf(final String s) {
    return Digest.sha256(s.getBytes(StandardCharsets.UTF_8));
  }
}
