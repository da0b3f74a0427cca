package dev.sigstream.signing.azure;

import com.azure.core.credential.TokenCredential;
import com.azure.core.credential.TokenRequestContext;
import dev.sigstream.oci.auth.EntraTokenSource;
import dev.sigstream.oci.auth.Secret;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/**
 * oci's {@link EntraTokenSource} port on azure-identity: Entra ID access tokens for the ACR token exchange, from the
 * same credential the signing keys use (workload identity on AKS and in GitHub Actions, managed identity, Azure CLI).
 * A failure completes the future with an {@link IllegalStateException} whose message names the credential problem
 * and never carries a token.
 */
public final class AzureIdentityTokenSource implements EntraTokenSource {

  /** The scope ACR accepts at {@code /oauth2/exchange}. */
  public static final String ACR_SCOPE = "https://containerregistry.azure.net/.default";

  private final TokenCredential credential;
  private final String scope;

  public AzureIdentityTokenSource(final TokenCredential credential, final String scope) {
    this.credential = Objects.requireNonNull(credential, "credential");
    this.scope = Objects.requireNonNull(scope, "scope");
  }

  /** For ACR, with {@link #ACR_SCOPE}. */
  public static AzureIdentityTokenSource forAcr(final AzureConnection connection) {
    return new AzureIdentityTokenSource(connection.credential(), ACR_SCOPE);
  }

  @Override
  public CompletableFuture<AccessToken> accessToken() {
    final CompletableFuture<AccessToken> f = new CompletableFuture<>();
    try {
      credential.getToken(new TokenRequestContext().addScopes(scope)).subscribe(
          t -> f.complete(new AccessToken(Secret.of(t.getToken()), t.getExpiresAt().toInstant())),
          e -> f.completeExceptionally(failure(e)),
          () -> f.completeExceptionally(new IllegalStateException("the Azure credential returned no token")));
    } catch (final RuntimeException e) {
      f.completeExceptionally(failure(e));
    }
    return f;
  }

  private static Throwable failure(final Throwable e) {
    final Throwable t = AzureFailures.unwrap(e);
    return new CompletionException(new IllegalStateException("Entra ID token for the registry: "
        + t.getClass().getSimpleName() + ": " + AzureFailures.oneLine(AzureFailures.firstLine(t.getMessage()), 300)));
  }

  @Override
  public String toString() {
    return "AzureIdentityTokenSource[" + scope + "]";
  }
}
