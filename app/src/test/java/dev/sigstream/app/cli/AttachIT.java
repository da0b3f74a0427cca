package dev.sigstream.app.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sigstream.oci.Descriptor;
import dev.sigstream.oci.Digest;
import dev.sigstream.oci.Manifest;
import dev.sigstream.oci.Reference;
import dev.sigstream.oci.RegistryClient;
import dev.sigstream.testing.registry.RegistryExtension;
import dev.sigstream.testing.registry.TestRegistry;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** {@code sigstream attach} against the real registry harness (no referrers API: the tag-schema index). */
@Tag("integration")
@Timeout(60)
@ExtendWith(RegistryExtension.class)
class AttachIT {

  @Test
  void attachesAFileAsAReferrerOfTheTaggedArtifact_listedUnderItsDigest(final TestRegistry r, @TempDir final Path tmp)
      throws Exception {
    final RegistryClient c = Fixtures.client(r);
    final Descriptor image = Fixtures.pushImage(c, r, "app/attach", "v1");
    final Path bom = Files.writeString(tmp.resolve("bom.json"), "{\"bomFormat\":\"CycloneDX\",\"specVersion\":\"1.5\"}");

    final Cli.Result res = new Cli().run("attach", "--insecure-registry", r.host(), "--file", bom.toString(),
        "--artifact-type", "application/vnd.cyclonedx+json", r.host() + "/app/attach:v1");

    assertThat(res.exit()).as(res.toString()).isZero();
    final Digest attached = Digest.parse(res.out().trim());
    final Reference subject = Reference.repository(r.host(), "app/attach").withDigest(image.digest());
    assertThat(Fixtures.found(c.referrers(subject, null).join()).referrers())
        .anySatisfy(d -> assertThat(d.digest()).isEqualTo(attached));
    final Manifest m = Fixtures.found(c.manifest(Reference.repository(r.host(), "app/attach").withDigest(attached)).join());
    final JsonNode json = new ObjectMapper().readTree(m.bytes());
    assertThat(json.path("artifactType").asText()).isEqualTo("application/vnd.cyclonedx+json");
    assertThat(json.at("/subject/digest").asText()).isEqualTo(image.digest().toString());
    assertThat(json.at("/layers/0/digest").asText()).isEqualTo(Digest.sha256(Files.readAllBytes(bom)).toString());
  }

  @Test
  void badInput_isAUsageError_withoutTouchingTheRegistry(@TempDir final Path tmp) throws Exception {
    final Cli.Result missing = new Cli().run("attach", "--file", tmp.resolve("none.json").toString(),
        "--artifact-type", "application/json", "registry.example.com/app@sha256:" + "a".repeat(64));
    assertThat(missing.exit()).isEqualTo(ExitCodes.USAGE);
    assertThat(missing.err()).contains("does not exist");

    final Path file = Files.writeString(tmp.resolve("f.json"), "{}");
    final Cli.Result badType = new Cli().run("attach", "--file", file.toString(), "--artifact-type", "not a type",
        "registry.example.com/app@sha256:" + "a".repeat(64));
    assertThat(badType.exit()).isEqualTo(ExitCodes.USAGE);
    assertThat(badType.err()).contains("--artifact-type must be a media type");
  }
}
