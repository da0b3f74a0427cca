package dev.sigstream.oci.discovery;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sigstream.oci.Descriptor;
import dev.sigstream.oci.Digest;
import dev.sigstream.oci.FetchResult;
import dev.sigstream.oci.Manifest;
import dev.sigstream.oci.Reference;
import dev.sigstream.oci.classify.ArtifactClass;
import dev.sigstream.oci.classify.ArtifactClassifier;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class ReferrerDiscoveryTest {

  private static final String MT = "application/vnd.oci.image.manifest.v1+json";
  private static final String NOTARY = "application/vnd.cncf.notary.signature";
  private static final String EMPTY = "{\"mediaType\":\"application/vnd.oci.empty.v1+json\",\"digest\":"
      + "\"sha256:44136fa355b3678a1146ad16f7e8649e94fb4fc21fe77e8310c060f61caaff8a\",\"size\":2}";
  private final FakeRegistryClient registry = new FakeRegistryClient();
  private final Manifest image = manifest("{\"schemaVersion\":2,\"mediaType\":\"" + MT + "\",\"config\":{\"mediaType\":"
      + "\"application/vnd.oci.image.config.v1+json\",\"digest\":\"sha256:" + "1".repeat(64) + "\",\"size\":300},"
      + "\"layers\":[]}");
  private final Reference ref = Reference.parse("registry.example.com/app:v1");

  private static Manifest manifest(final String json) {
    final byte[] b = json.getBytes(StandardCharsets.UTF_8);
    return Manifest.parse(b, null, Digest.sha256(b));
  }

  private Descriptor addSignature(final Digest subject, final String envelope) {
    final byte[] env = envelope.getBytes(StandardCharsets.UTF_8);
    registry.blobs.put(Digest.sha256(env), env);
    final Manifest sig = manifest("{\"schemaVersion\":2,\"mediaType\":\"" + MT + "\",\"artifactType\":\"" + NOTARY
        + "\",\"config\":" + EMPTY + ",\"layers\":[{\"mediaType\":\"application/jose+json\",\"digest\":\""
        + Digest.sha256(env) + "\",\"size\":" + env.length + "}],\"subject\":{\"mediaType\":\"" + MT
        + "\",\"digest\":\"" + subject + "\",\"size\":10}}");
    registry.put(sig.descriptor().digest().toString(), sig);
    final Descriptor d = new Descriptor(MT, sig.descriptor().digest(), sig.bytes().length, NOTARY, Map.of(), null);
    registry.referrers.computeIfAbsent(image.descriptor().digest(), k -> new ArrayList<>()).add(d);
    return d;
  }

  private ReferrerDiscovery discovery(final DiscoveryOptions o) {
    return new ReferrerDiscovery(registry, new ArtifactClassifier(), o);
  }

  @Test
  void fetchesSignatureManifestsAndEnvelopes() throws Exception {
    registry.put("v1", image);
    addSignature(image.descriptor().digest(), "env-1");
    final Discovery d = discovery(DiscoveryOptions.DEFAULTS).discover(ref).get(5, TimeUnit.SECONDS).orElseThrow();
    assertThat(d.artifact().digest()).isEqualTo(image.descriptor().digest());
    assertThat(d.ofClass(ArtifactClass.SIGNATURE)).singleElement().satisfies(r -> {
      assertThat(r.failure()).isEmpty();
      assertThat(r.blobs()).hasSize(1);
    });
  }

  @Test
  void referrerNamingAnotherSubject_isFlaggedNotTrusted() throws Exception {
    registry.put("v1", image);
    addSignature(Digest.sha256(new byte[] {9}), "env-other");
    final Discovery d = discovery(DiscoveryOptions.DEFAULTS).discover(ref).get(5, TimeUnit.SECONDS).orElseThrow();
    final DiscoveredReferrer r = d.referrers().get(0);
    assertThat(r.failure()).get().isInstanceOfSatisfying(FetchResult.Invalid.class,
        i -> assertThat(i.reason()).isEqualTo("PROTOCOL"));
    assertThat(r.blobs()).isEmpty();
  }

  @Test
  void signatureCap_limitsWhatIsFetched() throws Exception {
    registry.put("v1", image);
    for (int i = 0; i < 5; i++) {
      addSignature(image.descriptor().digest(), "env-" + i);
    }
    final Discovery d = discovery(new DiscoveryOptions(null, 2, true, Duration.ofSeconds(5))).discover(ref)
        .get(5, TimeUnit.SECONDS).orElseThrow();
    assertThat(d.referrers()).hasSize(5);
    assertThat(d.referrers()).filteredOn(r -> r.manifest().isPresent()).hasSize(2);
    assertThat(registry.manifestFetches.get()).isEqualTo(1 + 2);
  }

  @Test
  void missingReferrerBlob_isRecordedOnThatReferrerOnly() throws Exception {
    registry.put("v1", image);
    addSignature(image.descriptor().digest(), "env-gone");
    registry.blobs.clear();
    final Discovery d = discovery(DiscoveryOptions.DEFAULTS).discover(ref).get(5, TimeUnit.SECONDS).orElseThrow();
    assertThat(d.referrers().get(0).failure()).get().isInstanceOf(FetchResult.NotFound.class);
  }

  @Test
  void missingArtifact_isNotFound() throws Exception {
    assertThat(discovery(DiscoveryOptions.DEFAULTS).discover(ref).get(5, TimeUnit.SECONDS))
        .isInstanceOf(FetchResult.NotFound.class);
  }

  @Test
  void deadline_completesWithUnavailable() throws Exception {
    registry.put("v1", image);
    registry.hangReferrers = true;
    final FetchResult<Discovery> r = discovery(DiscoveryOptions.DEFAULTS.withDeadline(Duration.ofMillis(50)))
        .discover(ref).get(5, TimeUnit.SECONDS);
    assertThat(r).isInstanceOf(FetchResult.Unavailable.class);
    assertThat(r.disposition()).isEqualTo(FetchResult.Disposition.RETRYABLE);
  }

  @Test
  void artifactTypeFilter_isPassedToTheRegistry() throws Exception {
    registry.put("v1", image);
    addSignature(image.descriptor().digest(), "env-f");
    final Discovery d = discovery(DiscoveryOptions.DEFAULTS.withArtifactType("application/spdx+json")).discover(ref)
        .get(5, TimeUnit.SECONDS).orElseThrow();
    assertThat(d.referrers()).isEmpty();
    assertThat(List.of(d.source())).isNotEmpty();
  }

  @Test
  void unclassifiableReferrers_manifestFetchesAreCapped() throws Exception {
    registry.put("v1", image);
    for (int i = 0; i < 6; i++) {
      registry.referrers.computeIfAbsent(image.descriptor().digest(), k -> new ArrayList<>()).add(new Descriptor(MT,
          Digest.sha256(new byte[] {(byte) i}), 5, "application/vnd.oci.image.config.v1+json", Map.of(), null));
    }
    final Discovery d = discovery(new DiscoveryOptions(null, 3, true, Duration.ofSeconds(5))).discover(ref)
        .get(5, TimeUnit.SECONDS).orElseThrow();
    assertThat(d.referrers()).hasSize(6);
    assertThat(registry.manifestFetches.get()).isEqualTo(1 + 3);
  }
}
