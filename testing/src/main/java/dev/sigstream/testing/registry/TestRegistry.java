package dev.sigstream.testing.registry;

/**
 * A running OCI registry for tests. Plain HTTP on loopback (clients must treat it as an insecure registry).
 *
 * <p>Backed by the Debian {@code docker-registry} (CNCF Distribution 2.8, no referrers API: the tag-schema fallback
 * path) or, where Docker exists, Testcontainers {@code registry:3} (referrers API). {@link #referrersApi()} says
 * which.
 */
public interface TestRegistry extends AutoCloseable {

  /** {@code host:port} as used in references, e.g. {@code 127.0.0.1:41234}. */
  String host();

  /** Base URL, e.g. {@code http://127.0.0.1:41234}. */
  default String url() {
    return "http://" + host();
  }

  RegistryAuth auth();

  /** Username for BASIC and BEARER; null for NONE. */
  String username();

  /** Password for BASIC and BEARER; null for NONE. */
  String password();

  /** Token realm host:port for BEARER (clients must allow it), else null. */
  String tokenRealmHost();

  /** Number of token requests the harness token server has answered (0 unless BEARER). */
  int tokenRequests();

  /** Whether the registry implements the OCI 1.1 referrers API. */
  boolean referrersApi();

  /** {@code docker-registry} or {@code testcontainers}. */
  String kind();

  /** Stops the registry and deletes its storage. Idempotent. */
  @Override
  void close();
}
