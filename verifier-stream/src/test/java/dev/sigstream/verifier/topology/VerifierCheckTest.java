package dev.sigstream.verifier.topology;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sigstream.oci.Descriptor;
import dev.sigstream.oci.Digest;
import dev.sigstream.oci.MediaTypes;
import dev.sigstream.oci.Reference;
import dev.sigstream.oci.memory.InMemoryRegistry;
import dev.sigstream.testing.pki.KeyType;
import dev.sigstream.testing.pki.TestPki;
import dev.sigstream.verifier.core.ArtifactVerifier;
import dev.sigstream.verifier.core.SignedFixtures;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** What the stream's check makes of pushes that are not artifacts: referrers and the tag schema's referrers index. */
class VerifierCheckTest {

  private static final Reference REPO = Reference.repository("registry.test", "team/app");

  private final InMemoryRegistry registry = new InMemoryRegistry();
  private TestPki pki;
  private VerifierCheck check;

  @BeforeEach
  void setUp() {
    pki = TestPki.offline(Clock.systemUTC());
    final ArtifactVerifier verifier = ArtifactVerifier.builder().registry(registry)
        .notary(SignedFixtures.notary("registry.test/team/app", pki.root("CN=Root", KeyType.EC_P256).certificate(),
            Clock.systemUTC()))
        .clock(Clock.systemUTC()).executor(Runnable::run).build();
    check = new VerifierCheck(verifier, registry);
  }

  @AfterEach
  void tearDown() {
    pki.close();
  }

  @Test
  void referrersIndexUnderTheTagSchema_isBookkeeping_andChecksItsSubjectAgain() {
    final Digest subject = Digest.sha256("image".getBytes(StandardCharsets.UTF_8));
    final Descriptor index = registry.put(REPO, "{\"schemaVersion\":2,\"mediaType\":\"application/vnd.oci.image.index.v1+json\",\"manifests\":[]}".getBytes(StandardCharsets.UTF_8), MediaTypes.OCI_INDEX,
        subject.referrersTag());

    final ArtifactCheck.Outcome o = check.check(REPO.withTag(subject.referrersTag()).withDigest(index.digest())).join();

    assertThat(o).isEqualTo(new ArtifactCheck.ReferrerOf(REPO.withDigest(subject)));
  }

  @Test
  void anImagePushedUnderAReferrersLikeTag_isVerifiedAsAnyImage() {
    final Digest subject = Digest.sha256("image".getBytes(StandardCharsets.UTF_8));
    final Descriptor image = registry.put(REPO, ("{\"schemaVersion\":2,\"mediaType\":\"" + MediaTypes.OCI_MANIFEST
        + "\",\"config\":{\"mediaType\":\"" + MediaTypes.OCI_CONFIG + "\",\"digest\":\"" + subject + "\",\"size\":2},"
        + "\"layers\":[]}").getBytes(StandardCharsets.UTF_8), MediaTypes.OCI_MANIFEST, subject.referrersTag());

    final ArtifactCheck.Outcome o = check.check(REPO.withTag(subject.referrersTag()).withDigest(image.digest())).join();

    assertThat(o).isInstanceOf(ArtifactCheck.Decided.class);
  }
}
