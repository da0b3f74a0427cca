package dev.sigstream.app.demo;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.sigstream.app.Sigstream;
import dev.sigstream.app.cli.ExitCodes;
import dev.sigstream.notary.NotationConfig;
import dev.sigstream.verifier.core.TrustSettings;
import java.util.Optional;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class DemoCommandTest {

  @Test
  void pki_trustedLeafIsACodeSigningCertUnderTheStoredRoot_untrustedIsNot(@TempDir final Path dir) throws Exception {
    final DemoPki pki = DemoPki.create(Instant.now());

    final X509Certificate leaf = pki.trusted().chain().get(0);
    assertThat(leaf.getExtendedKeyUsage()).containsExactly("1.3.6.1.5.5.7.3.3");
    assertThat(leaf.getBasicConstraints()).isEqualTo(-1);
    assertThat(leaf.getKeyUsage()[0]).as("digitalSignature").isTrue();
    leaf.verify(pki.trustedRoot().getPublicKey());
    assertThat(pki.trusted().chain().get(1)).isEqualTo(pki.trustedRoot());
    assertThat(pki.untrusted().chain().get(1)).isNotEqualTo(pki.trustedRoot());

    pki.writeNotationConfig(dir);
    assertThat(Files.readString(dir.resolve("truststore/x509/ca/demo/root.pem"))).startsWith("-----BEGIN CERTIFICATE");
    assertThat(new ObjectMapper().readTree(dir.resolve("trustpolicy.oci.json").toFile())
        .at("/trustPolicies/0/trustStores/0").asText()).isEqualTo("ca:demo");
    // and it is what the verifier loads
    assertThat(TrustSettings.of(NotationConfig.at(dir), Optional.empty(), Optional.empty())).isPresent();

    // The signer written for `sigstream sign` (and the compose demo) loads back, with the same chain
    pki.writeSigningKey(dir.resolve("signer"));
    final DemoPki loaded = DemoPki.load(dir.resolve("signer"), Instant.now());
    assertThat(loaded.trusted().chain()).isEqualTo(pki.trusted().chain());
    assertThat(loaded.trustedRoot()).isEqualTo(pki.trustedRoot());
  }

  @Test
  void registryConfig_sendsManifestPushesToIngestWithTheSecret(@TempDir final Path dir) throws Exception {
    final Path file = DemoRegistry.writeConfig(dir, "127.0.0.1:5999", URI.create("http://127.0.0.1:8080/v1/events/demo"),
        "Bearer s3cret-value");

    final JsonNode c = new ObjectMapper(new YAMLFactory()).readTree(file.toFile());
    assertThat(c.at("/http/addr").asText()).isEqualTo("127.0.0.1:5999");
    final JsonNode ep = c.at("/notifications/endpoints/0");
    assertThat(ep.path("url").asText()).isEqualTo("http://127.0.0.1:8080/v1/events/demo");
    assertThat(ep.at("/headers/Authorization/0").asText()).isEqualTo("Bearer s3cret-value");
    assertThat(ep.at("/ignoredmediatypes/0").asText()).isEqualTo("application/octet-stream");
    assertThat(ep.at("/ignore/actions/0").asText()).isEqualTo("pull");
    assertThat(c.at("/storage/filesystem/rootdirectory").asText()).isEqualTo(dir.resolve("data").toString());
  }

  @Test
  void dataDirThatIsNotTheDemos_isRefusedWithAUsageError_andLeftAlone(@TempDir final Path dir) throws Exception {
    final Path precious = dir.resolve("precious.txt");
    Files.writeString(precious, "keep me");
    final StringWriter err = new StringWriter();
    final CommandLine cl = Sigstream.newCommandLine();
    cl.setErr(new PrintWriter(err, true));

    final int code = cl.execute("demo", "--data-dir", dir.toString(), "--exit-after-summary");

    assertThat(code).isEqualTo(ExitCodes.USAGE);
    assertThat(err.toString()).contains("not empty and was not made by sigstream demo").doesNotContain("\tat ");
    assertThat(precious).hasContent("keep me");
  }
}
