/**
 * Registry credentials: per-registry {@link dev.sigstream.oci.auth.Credentials} (basic, or an OAuth2 refresh token),
 * Docker {@code config.json} loading, the Microsoft Entra ID token port for ACR, and {@link
 * dev.sigstream.oci.auth.Secret}, whose {@code toString()} is masked so secrets cannot leak into logs.
 */
package dev.sigstream.oci.auth;
