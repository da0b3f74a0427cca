package dev.sigstream.verifier.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sigstream.oci.auth.Credentials;
import dev.sigstream.oci.auth.EntraTokenSource;
import dev.sigstream.oci.auth.Secret;
import dev.sigstream.oci.client.RegistryEntry;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

class RegistrySettingsTest {

  static final EntraTokenSource ENTRA = () -> CompletableFuture.completedFuture(
      new EntraTokenSource.AccessToken(Secret.of("t"), java.time.Instant.EPOCH));

  @Test
  void entraExchange_replacesTheCredentialsOfTheNamedHostsOnly() {
    final Credentials basic = new Credentials.Basic("u", Secret.of("p"));
    final RegistrySettings s = RegistrySettings.of(List.of(
        new RegistryEntry("myreg.azurecr.io", false, basic, Set.of("blob.example")),
        new RegistryEntry("ghcr.io", false, basic, Set.of())), Duration.ofSeconds(5));

    final RegistrySettings azure = s.withEntraExchange(List.of("myreg.azurecr.io"), ENTRA);

    assertThat(azure.registries().get(0).credentials()).isEqualTo(new Credentials.AcrEntraExchange(ENTRA, null));
    assertThat(azure.registries().get(0).redirectHosts()).containsExactly("blob.example");
    assertThat(azure.registries().get(1).credentials()).isEqualTo(basic);
    assertThat(azure.limits()).isEqualTo(s.limits());
  }

  @Test
  void entraExchange_neverWidensTheAllowlist() {
    final RegistrySettings s = RegistrySettings.of(List.of(RegistryEntry.of("ghcr.io", Credentials.ANONYMOUS)),
        Duration.ofSeconds(5));
    assertThatThrownBy(() -> s.withEntraExchange(List.of("evil.azurecr.io"), ENTRA))
        .isInstanceOf(SettingsException.class).hasMessageContaining("not an allowed registry");
  }
}
