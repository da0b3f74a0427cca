package dev.sigstream.app.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sigstream.oci.Reference;
import dev.sigstream.oci.auth.Credentials;
import dev.sigstream.signing.azure.AzureIdentityTokenSource;
import dev.sigstream.verifier.core.RegistrySettings;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** {@code --registry-auth}: azure selects the azure-identity token source for the reference's registry. */
class RegistryAuthOptionTest {

  private final SignCommand ctx = new SignCommand();

  RegistryAuthOptionTest() {
    ctx.env = Map.of("AZURE_CLIENT_ID", "client", "AZURE_TENANT_ID", "tenant");
    ctx.userHome = Path.of("/nonexistent-home");
  }

  /** As picocli leaves them without options. */
  private static RegistryOptions options() {
    final RegistryOptions o = new RegistryOptions();
    o.registryTimeout = "30s";
    return o;
  }

  @Test
  void azure_usesTheEntraExchangeForTheReferencesRegistry_only() {
    final RegistryOptions o = options();
    o.registryAuth = "azure";
    o.allowRegistries.add("mcr.microsoft.com");
    final RegistrySettings s = o.settings(Reference.parse("myreg.azurecr.io/app:1"), ctx);
    assertThat(s.registries()).hasSize(2);
    assertThat(s.registries().get(0).credentials()).isInstanceOfSatisfying(Credentials.AcrEntraExchange.class,
        c -> assertThat(c.source()).isInstanceOf(AzureIdentityTokenSource.class));
    assertThat(s.registries().get(1).credentials()).isEqualTo(Credentials.ANONYMOUS);
  }

  @Test
  void docker_isTheDefault_andOtherModesOrUsernamesAreUsageErrors() {
    final RegistryOptions o = options();
    assertThat(o.settings(Reference.parse("myreg.azurecr.io/app:1"), ctx).registries().get(0).credentials())
        .isEqualTo(Credentials.ANONYMOUS);
    o.registryAuth = "gcp";
    assertThatThrownBy(() -> o.settings(Reference.parse("myreg.azurecr.io/app:1"), ctx))
        .isInstanceOf(CliException.class).hasMessageContaining("docker or azure");
    o.registryAuth = "azure";
    o.username = "me";
    assertThatThrownBy(() -> o.settings(Reference.parse("myreg.azurecr.io/app:1"), ctx))
        .isInstanceOf(CliException.class).hasMessageContaining("takes no --username");
  }
}
