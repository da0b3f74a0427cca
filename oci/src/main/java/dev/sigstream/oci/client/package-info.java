/**
 * The registry HTTP adapter: {@link dev.sigstream.oci.client.OciRegistryHttpClient} implements the {@code oci}
 * registry ports over the JDK {@code HttpClient}. {@link dev.sigstream.oci.client.RegistryConfig} is the allowlist (a
 * host not in it is never contacted) with {@link dev.sigstream.oci.client.Limits} (caps and timeouts); the transport
 * runs the Basic/Bearer challenge flow, follows redirects only to allowed hosts and caps every body. Failures are
 * returned as values, never thrown.
 */
package dev.sigstream.oci.client;
