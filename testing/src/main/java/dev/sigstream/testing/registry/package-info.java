/**
 * A real OCI registry for tests: {@link dev.sigstream.testing.registry.RegistryExtension} injects a running {@link
 * dev.sigstream.testing.registry.TestRegistry} (Debian {@code docker-registry} as a child process, or Testcontainers
 * {@code registry:3} where Docker exists), with no auth, Basic or token auth ({@link
 * dev.sigstream.testing.registry.WithRegistryAuth}).
 */
package dev.sigstream.testing.registry;
