package dev.sigstream.testing.kafka;

import dev.sigstream.kafka.embedded.EmbeddedKafkaBroker;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.kafka.KafkaContainer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * JUnit 5 extension that provides one real Kafka broker per test JVM, started on first use and stopped when the
 * JVM's test run ends. Inject it as a {@link KafkaBroker} parameter.
 *
 * <p>Where a Docker engine is available it runs Testcontainers' {@code apache/kafka}; otherwise an in-JVM KRaft
 * broker ({@link EmbeddedKafkaBroker}). Tests never skip: if neither can start, the test fails with the reason.
 * Tests share the broker, so each test uses unique topic names and group/application ids ({@link #uniqueName}).
 */
public final class KafkaBrokerExtension implements ParameterResolver {

  private static final Logger log = LoggerFactory.getLogger(KafkaBrokerExtension.class);
  private static final ExtensionContext.Namespace NS = ExtensionContext.Namespace.create(KafkaBrokerExtension.class);
  static final String DOCKER_IMAGE = "apache/kafka:4.1.0";

  @Override
  public boolean supportsParameter(final ParameterContext p, final ExtensionContext c) {
    return p.getParameter().getType() == KafkaBroker.class;
  }

  @Override
  public Object resolveParameter(final ParameterContext p, final ExtensionContext c) {
    return c.getRoot().getStore(NS).getOrComputeIfAbsent("broker", k -> start(), Holder.class).broker;
  }

  /** A name unique to the current test, safe for topics and group ids. */
  public static String uniqueName(final ExtensionContext c) {
    final String raw = c.getRequiredTestClass().getSimpleName() + "-" + c.getDisplayName();
    return raw.replaceAll("[^A-Za-z0-9._-]", "_") + "-" + Long.toHexString(System.nanoTime());
  }

  private static Holder start() {
    if (dockerAvailable()) {
      final KafkaContainer container = new KafkaContainer(DOCKER_IMAGE);
      container.start();
      log.info("Kafka test broker: Testcontainers {}", container.getBootstrapServers());
      return new Holder(new KafkaBroker() {
        @Override
        public String bootstrapServers() {
          return container.getBootstrapServers();
        }

        @Override
        public String kind() {
          return "testcontainers";
        }
      }, container::stop);
    }
    final EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.builder().build().start();
    log.info("Kafka test broker: in-JVM KRaft {}", broker.bootstrapServers());
    return new Holder(new KafkaBroker() {
      @Override
      public String bootstrapServers() {
        return broker.bootstrapServers();
      }

      @Override
      public String kind() {
        return "in-jvm-kraft";
      }
    }, broker::close);
  }

  static boolean dockerAvailable() {
    try {
      return DockerClientFactory.instance().isDockerAvailable();
    } catch (RuntimeException | LinkageError e) {
      return false;
    }
  }

  private static final class Holder implements ExtensionContext.Store.CloseableResource {
    final KafkaBroker broker;
    private final Runnable stop;

    Holder(final KafkaBroker broker, final Runnable stop) {
      this.broker = broker;
      this.stop = stop;
    }

    @Override
    public void close() {
      stop.run();
    }
  }
}
