package dev.sigstream.testing.registry;

import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * JUnit 5 extension injecting a running {@link TestRegistry}: one per auth mode per test run, started on first use
 * and stopped (process killed, storage deleted) when the run ends — or by a JVM shutdown hook if it dies first.
 * Select the mode with {@link WithRegistryAuth} on the parameter.
 *
 * <p>Where Docker exists it runs Testcontainers {@code registry:3} (referrers API); otherwise the Debian
 * {@code docker-registry} (no referrers API). If neither can start the test fails, with the apt-get command to fix
 * it in the message; it never skips. Tests share a registry, so each test uses its own repository names
 * ({@link #uniqueRepository}).
 */
public final class RegistryExtension implements ParameterResolver {

  private static final ExtensionContext.Namespace NS = ExtensionContext.Namespace.create(RegistryExtension.class);

  @Override
  public boolean supportsParameter(final ParameterContext p, final ExtensionContext c) {
    return p.getParameter().getType() == TestRegistry.class;
  }

  @Override
  public Object resolveParameter(final ParameterContext p, final ExtensionContext c) {
    final RegistryAuth auth = p.findAnnotation(WithRegistryAuth.class).map(WithRegistryAuth::value)
        .orElse(RegistryAuth.NONE);
    return c.getRoot().getStore(NS).getOrComputeIfAbsent("registry-" + auth, k -> new Holder(Registries.start(auth)),
        Holder.class).registry;
  }

  /** A repository name unique to this test (lower case, registry-safe). */
  public static String uniqueRepository(final org.junit.jupiter.api.TestInfo t) {
    final String raw = t.getTestClass().map(Class::getSimpleName).orElse("test") + "-"
        + t.getTestMethod().map(java.lang.reflect.Method::getName).orElse(t.getDisplayName());
    return "test/" + raw.toLowerCase(java.util.Locale.ROOT).replaceAll("[^a-z0-9]+", "-") + "-"
        + Long.toHexString(System.nanoTime());
  }

  private static final class Holder implements ExtensionContext.Store.CloseableResource {
    final TestRegistry registry;

    Holder(final TestRegistry registry) {
      this.registry = registry;
    }

    @Override
    public void close() {
      registry.close();
    }
  }
}
