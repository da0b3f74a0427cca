package dev.sigstream.oci.discovery;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sigstream.oci.Descriptor;
import dev.sigstream.oci.Digest;
import dev.sigstream.oci.Manifest;
import dev.sigstream.oci.Reference;
import dev.sigstream.oci.sbom.SbomPolicy;
import dev.sigstream.oci.sbom.SbomSignatureCheck;
import dev.sigstream.oci.sbom.SbomVerification;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class SbomVerificationTest {

  private static final String MT = "application/vnd.oci.image.manifest.v1+json";
  private static final byte[] DOC = ("{\"bomFormat\":\"CycloneDX\",\"specVersion\":\"1.6\",\"components\":[{\"type\":"
      + "\"library\",\"name\":\"a\",\"licenses\":[{\"expression\":\"MIT OR GPL-3.0-only\"}]}]}")
      .getBytes(StandardCharsets.UTF_8);
  private final FakeRegistryClient registry = new FakeRegistryClient();
  private final Manifest sbom = manifest();
  private final Reference ref = Reference.parse("registry.example.com/app@" + sbom.descriptor().digest());
  private final List<List<Descriptor>> portCalls = new ArrayList<>();

  private static Manifest manifest() {
    final byte[] b = ("{\"schemaVersion\":2,\"mediaType\":\"" + MT + "\",\"artifactType\":"
        + "\"application/vnd.cyclonedx+json\",\"config\":{\"mediaType\":\"application/vnd.oci.empty.v1+json\","
        + "\"digest\":\"sha256:44136fa355b3678a1146ad16f7e8649e94fb4fc21fe77e8310c060f61caaff8a\",\"size\":2},"
        + "\"layers\":[{\"mediaType\":\"application/vnd.cyclonedx+json\",\"digest\":\"" + Digest.sha256(DOC)
        + "\",\"size\":" + DOC.length + "}]}").getBytes(StandardCharsets.UTF_8);
    return Manifest.parse(b, null, Digest.sha256(b));
  }

  private SbomVerification verification(final boolean requireSignature, final boolean portSays) {
    final SbomSignatureCheck port = (r, d, sigs) -> {
      portCalls.add(sigs);
      return CompletableFuture.completedFuture(new SbomSignatureCheck.Result(portSays, portSays ? "VERIFIED"
          : "SIGNATURE_INVALID", "fake"));
    };
    return new SbomVerification(registry, new SbomPolicy(Set.of("GPL-3.0-only"), List.of(), requireSignature), port);
  }

  @Test
  void noSignatureRequired_checksTheDocumentOnly() throws Exception {
    final SbomVerification.Result r = verification(false, false).verify(ref, sbom, Map.of(Digest.sha256(DOC), DOC))
        .get(5, TimeUnit.SECONDS);
    assertThat(r.passed()).isTrue();
    assertThat(r.signature()).isEmpty();
    assertThat(portCalls).isEmpty();
  }

  @Test
  void requiredSignature_missing_fails() throws Exception {
    final SbomVerification.Result r = verification(true, true).verify(ref, sbom, Map.of(Digest.sha256(DOC), DOC))
        .get(5, TimeUnit.SECONDS);
    assertThat(r.passed()).isFalse();
    assertThat(r.signature()).get().extracting(SbomSignatureCheck.Result::reasonCode).isEqualTo("NO_SIGNATURE");
  }

  @Test
  void requiredSignature_isDelegatedToThePort_withOnlySignatureReferrers() throws Exception {
    final Descriptor sig = new Descriptor(MT, Digest.sha256(new byte[] {1}), 5,
        "application/vnd.cncf.notary.signature", Map.of(), null);
    final Descriptor other = new Descriptor(MT, Digest.sha256(new byte[] {2}), 5, "application/sarif+json",
        Map.of(), null);
    registry.referrers.put(sbom.descriptor().digest(), List.of(sig, other));
    assertThat(verification(true, true).verify(ref, sbom, Map.of(Digest.sha256(DOC), DOC)).get(5, TimeUnit.SECONDS)
        .passed()).isTrue();
    assertThat(portCalls).containsExactly(List.of(sig));
    assertThat(verification(true, false).verify(ref, sbom, Map.of(Digest.sha256(DOC), DOC)).get(5, TimeUnit.SECONDS)
        .passed()).isFalse();
  }

  @Test
  void missingDocument_isInvalid() throws Exception {
    assertThat(verification(false, true).verify(ref, sbom, Map.of()).get(5, TimeUnit.SECONDS).report().valid())
        .isFalse();
  }
}
