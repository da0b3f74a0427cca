package dev.sigstream.verifier.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sigstream.oci.Reference;
import dev.sigstream.oci.memory.InMemoryRegistry;
import dev.sigstream.oci.sbom.SbomPolicy;
import dev.sigstream.testing.pki.KeyType;
import dev.sigstream.testing.pki.Pem;
import dev.sigstream.testing.pki.TestPki;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Trust material on disk: its version, and a service picking up changes without a restart while refusing broken
 * ones (an IT because it writes and rewrites files).
 */
@Tag("integration")
class ReloadingVerifierIT {

  private static final String POLICY = "{\"version\":\"1.0\",\"trustPolicies\":[{\"name\":\"%s\","
      + "\"registryScopes\":[\"*\"],\"signatureVerification\":{\"level\":\"strict\"},"
      + "\"trustStores\":[\"ca:test\"],\"trustedIdentities\":[\"*\"]}]}";

  @Test
  void picksUpChangedMaterial_refusesBrokenMaterial_andKeepsDeciding(@TempDir final Path dir) throws Exception {
    // Given
    final Path store = dir.resolve("truststore/x509/ca/test");
    Files.createDirectories(store);
    try (TestPki pki = TestPki.offline(Clock.systemUTC())) {
      Files.writeString(store.resolve("root.pem"), Pem.certificate(pki.root("CN=A", KeyType.EC_P256).certificate()));
      final Path policy = dir.resolve("trustpolicy.oci.json");
      Files.writeString(policy, POLICY.formatted("one"));
      final TrustSettings trust = new TrustSettings(policy, dir);
      final ReloadingVerifier verifiers = new ReloadingVerifier(new VerifierSettings(trust,
          RegistrySettings.of(List.of(), Duration.ofSeconds(1)), VerifyLimits.DEFAULTS, SbomPolicy.NONE, Runnable::run,
          Clock.systemUTC()), new InMemoryRegistry());
      final String first = verifiers.version();

      // Then: unchanged files, same version
      assertThat(first).startsWith("sha256:").isEqualTo(TrustMaterial.version(trust));
      assertThat(verifiers.poll()).isFalse();

      // When a certificate is added to the store, then the policy is broken, then fixed
      Files.writeString(store.resolve("second.pem"), Pem.certificate(pki.root("CN=B", KeyType.EC_P256)
          .certificate()));
      assertThat(verifiers.poll()).isTrue();
      final String second = verifiers.version();
      Files.writeString(policy, "{\"version\":\"1.0\",\"trustPolicies\":[{\"name\":");
      assertThat(verifiers.poll()).isFalse();
      assertThat(verifiers.poll()).as("refused once, not retried on every poll").isFalse();
      assertThat(verifiers.version()).isEqualTo(second);
      Files.writeString(policy, POLICY.formatted("two"));
      assertThat(verifiers.poll()).isTrue();

      // Then
      assertThat(List.of(first, second, verifiers.version())).doesNotHaveDuplicates();
      assertThat(verifiers.get().trustVersion()).isEqualTo(verifiers.version());
      // The verifier in force still decides (no registry configured: the reference's host is not allowed).
      final ArtifactReport r = verifiers.get().verify(Reference.parse("registry.test/app@sha256:" + "0".repeat(64)),
          Map.of()).join();
      assertThat(r.passed()).isFalse();
    }
  }

  @Test
  void unreadableMaterial_atStartUp_isASettingsError(@TempDir final Path dir) {
    assertThatThrownBy(() -> TrustMaterial.load(new TrustSettings(dir.resolve("missing.json"), dir)))
        .isInstanceOf(SettingsException.class).hasMessageContaining("does not exist");
  }
}
