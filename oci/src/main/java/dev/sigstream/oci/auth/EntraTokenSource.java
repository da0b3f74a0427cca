package dev.sigstream.oci.auth;

import java.time.Instant;
import java.util.concurrent.CompletableFuture;

/**
 * Port: supplies Microsoft Entra ID access tokens for the ACR token exchange (scope
 * {@code https://containerregistry.azure.net/.default}). Adapters wrap azure-identity or a workload-identity file;
 * tests use a fake. Implementations must not complete exceptionally with the token in the message.
 */
@FunctionalInterface
public interface EntraTokenSource {

  /** An access token and when it expires. */
  record AccessToken(Secret token, Instant expiresAt) {}

  CompletableFuture<AccessToken> accessToken();
}
