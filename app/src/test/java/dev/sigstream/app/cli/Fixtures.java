package dev.sigstream.app.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sigstream.oci.Descriptor;
import dev.sigstream.oci.Digest;
import dev.sigstream.oci.FetchResult;
import dev.sigstream.oci.MediaTypes;
import dev.sigstream.oci.Reference;
import dev.sigstream.oci.RegistryClient;
import dev.sigstream.oci.auth.Credentials;
import dev.sigstream.oci.client.OciRegistryHttpClient;
import dev.sigstream.oci.client.RegistryConfig;
import dev.sigstream.oci.client.RegistryEntry;
import dev.sigstream.testing.registry.TestRegistry;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.PrivateKey;
import java.security.cert.CertificateEncodingException;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.util.Base64;
import java.util.List;
import java.util.UUID;

/** Test content: images pushed with the oci client, PEM files, Notation configuration directories. */
final class Fixtures {

  private Fixtures() {}

  static RegistryClient client(final TestRegistry r) {
    return OciRegistryHttpClient.create(RegistryConfig.of(RegistryEntry.insecure(r.host(), Credentials.ANONYMOUS)),
        Clock.systemUTC());
  }

  /** Pushes a small unique OCI image under {@code tag}; returns its manifest descriptor. */
  static Descriptor pushImage(final RegistryClient c, final TestRegistry r, final String repo, final String tag) {
    final Reference repoRef = Reference.repository(r.host(), repo);
    final byte[] config = ("{\"architecture\":\"amd64\",\"os\":\"linux\",\"rootfs\":{\"type\":\"layers\","
        + "\"diff_ids\":[]},\"comment\":\"" + UUID.randomUUID() + "\"}").getBytes(StandardCharsets.UTF_8);
    final byte[] layer = ("layer " + UUID.randomUUID()).getBytes(StandardCharsets.UTF_8);
    found(c.pushBlob(repoRef, MediaTypes.OCI_CONFIG, config).join());
    found(c.pushBlob(repoRef, "application/vnd.oci.image.layer.v1.tar", layer).join());
    final String manifest = "{\"schemaVersion\":2,\"mediaType\":\"" + MediaTypes.OCI_MANIFEST + "\","
        + "\"config\":{\"mediaType\":\"" + MediaTypes.OCI_CONFIG + "\",\"digest\":\"" + Digest.sha256(config)
        + "\",\"size\":" + config.length + "},\"layers\":[{\"mediaType\":\"application/vnd.oci.image.layer.v1.tar\","
        + "\"digest\":\"" + Digest.sha256(layer) + "\",\"size\":" + layer.length + "}]}";
    return found(c.pushManifest(new Reference(r.host(), repo, tag, null), MediaTypes.OCI_MANIFEST,
        manifest.getBytes(StandardCharsets.UTF_8)).join());
  }

  /** Pushes an SPDX SBOM as a referrer of {@code subject}; returns the SBOM manifest descriptor. */
  static Descriptor pushSbom(final RegistryClient c, final TestRegistry r, final String repo,
      final Descriptor subject) {
    final Reference repoRef = Reference.repository(r.host(), repo);
    final byte[] sbom = ("{\"spdxVersion\":\"SPDX-2.3\",\"dataLicense\":\"CC0-1.0\",\"SPDXID\":\"SPDXRef-DOCUMENT\","
        + "\"name\":\"app\",\"documentNamespace\":\"https://example.com/" + UUID.randomUUID() + "\","
        + "\"creationInfo\":{\"created\":\"2026-01-01T00:00:00Z\",\"creators\":[\"Tool: test\"]},"
        + "\"packages\":[{\"name\":\"openssl\",\"SPDXID\":\"SPDXRef-1\",\"versionInfo\":\"3.0.13\","
        + "\"downloadLocation\":\"NOASSERTION\",\"licenseConcluded\":\"Apache-2.0\"},"
        + "{\"name\":\"zlib\",\"SPDXID\":\"SPDXRef-2\",\"versionInfo\":\"1.3\",\"downloadLocation\":\"NOASSERTION\","
        + "\"licenseConcluded\":\"Zlib\"}]}").getBytes(StandardCharsets.UTF_8);
    found(c.pushBlob(repoRef, MediaTypes.OCI_EMPTY, new byte[] {'{', '}'}).join());
    found(c.pushBlob(repoRef, "application/spdx+json", sbom).join());
    final String manifest = "{\"schemaVersion\":2,\"mediaType\":\"" + MediaTypes.OCI_MANIFEST + "\","
        + "\"artifactType\":\"application/spdx+json\",\"config\":{\"mediaType\":\"" + MediaTypes.OCI_EMPTY
        + "\",\"digest\":\"" + MediaTypes.EMPTY_DIGEST + "\",\"size\":2},\"layers\":[{\"mediaType\":"
        + "\"application/spdx+json\",\"digest\":\"" + Digest.sha256(sbom) + "\",\"size\":" + sbom.length + "}],"
        + "\"subject\":{\"mediaType\":\"" + subject.mediaType() + "\",\"digest\":\"" + subject.digest()
        + "\",\"size\":" + subject.size() + "}}";
    return found(c.pushReferrer(repoRef, MediaTypes.OCI_MANIFEST, manifest.getBytes(StandardCharsets.UTF_8)).join());
  }

  static <T> T found(final FetchResult<T> r) {
    assertThat(r).as(r.describe()).isInstanceOf(FetchResult.Found.class);
    return r.orElseThrow();
  }

  static String pem(final X509Certificate... certs) {
    final StringBuilder sb = new StringBuilder();
    for (final X509Certificate c : certs) {
      try {
        sb.append(pemBlock("CERTIFICATE", c.getEncoded()));
      } catch (final CertificateEncodingException e) {
        throw new IllegalStateException(e);
      }
    }
    return sb.toString();
  }

  static String pem(final List<X509Certificate> certs) {
    return pem(certs.toArray(X509Certificate[]::new));
  }

  static String pem(final PrivateKey key) {
    return pemBlock("PRIVATE KEY", key.getEncoded());
  }

  private static String pemBlock(final String type, final byte[] der) {
    return "-----BEGIN " + type + "-----\n" + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
        .encodeToString(der) + "\n-----END " + type + "-----\n";
  }

  static Path write(final Path file, final String content) throws IOException {
    Files.createDirectories(file.getParent());
    Files.writeString(file, content);
    return file;
  }
}
