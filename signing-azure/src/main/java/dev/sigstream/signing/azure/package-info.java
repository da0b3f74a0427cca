/**
 * Azure adapters for Sigstream's ports, sharing one identity: {@link dev.sigstream.signing.azure.AzureConnection}
 * holds the azure-identity credential ({@code DefaultAzureCredential}: workload identity in GitHub Actions and AKS,
 * managed identity, environment, Azure CLI) and the HTTP client; {@link
 * dev.sigstream.signing.azure.KeyVaultSigningKey} and {@link dev.sigstream.signing.azure.TrustedSigningKey} implement
 * notary's {@code SigningKey} port (the key never leaves the service; only a digest is sent), and {@link
 * dev.sigstream.signing.azure.AzureIdentityTokenSource} implements oci's {@code EntraTokenSource} port for the ACR
 * token exchange. Failures become {@code SigningKeyException}s that say what to fix; tokens are never logged or put
 * into a message.
 */
package dev.sigstream.signing.azure;
