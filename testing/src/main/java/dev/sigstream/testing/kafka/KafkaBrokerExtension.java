package dev.sigstream.testing.kafka;

import dev.sigstream.kafka.embedded.EmbeddedKafkaBroker;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ScramCredentialInfo;
import org.apache.kafka.clients.admin.ScramMechanism;
import org.apache.kafka.clients.admin.UserScramCredentialUpsertion;
import org.apache.kafka.common.acl.AclBinding;
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
 *
 * <p>A {@link SecuredKafkaBroker} parameter gets a second in-JVM broker, started on first use, that authenticates
 * (SASL/SCRAM-SHA-512 in clear and over TLS, with a certificate from a test cluster CA; or a client certificate from
 * a clients CA, mutual TLS) and authorizes (ACLs); tests that do not ask for it do not pay for it.
 */
public final class KafkaBrokerExtension implements ParameterResolver {

  private static final Logger log = LoggerFactory.getLogger(KafkaBrokerExtension.class);
  private static final ExtensionContext.Namespace NS = ExtensionContext.Namespace.create(KafkaBrokerExtension.class);
  static final String DOCKER_IMAGE = "apache/kafka:4.1.0";

  @Override
  public boolean supportsParameter(final ParameterContext p, final ExtensionContext c) {
    return p.getParameter().getType() == KafkaBroker.class || p.getParameter().getType() == SecuredKafkaBroker.class;
  }

  @Override
  public Object resolveParameter(final ParameterContext p, final ExtensionContext c) {
    if (p.getParameter().getType() == SecuredKafkaBroker.class) {
      return c.getRoot().getStore(NS).getOrComputeIfAbsent("secured", k -> startSecured(), Holder.class).broker;
    }
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

  /** Always in-JVM: the listener, the authorizer and the super user are configured here, not in an image. */
  private static Holder startSecured() {
    final ClusterTls tls = ClusterTls.create();
    final EmbeddedKafkaBroker broker;
    try {
      broker = EmbeddedKafkaBroker.builder()
          .scramTlsListener(tls.keyStore(), "PKCS12", tls.keyStorePassword())
          .mutualTlsListener(tls.clientsCaPem()).build().start();
    } catch (RuntimeException e) {
      tls.close();
      throw e;
    }
    log.info("Kafka test broker with SCRAM and ACLs: in-JVM KRaft {} (SASL_PLAINTEXT), {} (SASL_SSL), {} (SSL,"
        + " client certificates), admin {}", broker.saslBootstrapServers(), broker.saslSslBootstrapServers(),
        broker.sslBootstrapServers(), broker.bootstrapServers());
    final Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers()));
    return new Holder(new SecuredKafkaBroker() {
      @Override
      public String bootstrapServers() {
        return broker.saslBootstrapServers();
      }

      @Override
      public String kind() {
        return "in-jvm-kraft-scram-acl";
      }

      @Override
      public String adminBootstrapServers() {
        return broker.bootstrapServers();
      }

      @Override
      public String tlsBootstrapServers() {
        return broker.saslSslBootstrapServers();
      }

      @Override
      public String clusterCaCertificate() {
        return tls.caCertificatePem();
      }

      @Override
      public String mutualTlsBootstrapServers() {
        return broker.sslBootstrapServers();
      }

      @Override
      public void tlsUser(final String user, final java.nio.file.Path secretDir) {
        tls.writeUserSecret(user, secretDir);
      }

      @Override
      public Map<String, String> scramUser(final String user, final String password) {
        try {
          admin.alterUserScramCredentials(List.of(new UserScramCredentialUpsertion(user,
              new ScramCredentialInfo(ScramMechanism.SCRAM_SHA_512, 8192), password))).all().get(30, TimeUnit.SECONDS);
          // Credentials travel through the metadata log: wait until the broker knows them.
          final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
          while (!admin.describeUserScramCredentials(List.of(user)).all().get(30, TimeUnit.SECONDS).containsKey(user)) {
            if (System.nanoTime() > deadline) {
              throw new IllegalStateException("SCRAM credential for " + user + " not visible after 30 s");
            }
            Thread.sleep(50);
          }
        } catch (final Exception e) {
          throw new IllegalStateException("cannot create SCRAM user " + user + ": " + e, e);
        }
        return Map.of("security.protocol", "SASL_PLAINTEXT", "sasl.mechanism", EmbeddedKafkaBroker.SCRAM,
            "sasl.jaas.config", jaas(user, password));
      }

      @Override
      public void grant(final Collection<AclBinding> acls) {
        try {
          admin.createAcls(acls).all().get(30, TimeUnit.SECONDS);
          final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
          for (final AclBinding b : acls) {
            while (admin.describeAcls(b.toFilter()).values().get(30, TimeUnit.SECONDS).isEmpty()) {
              if (System.nanoTime() > deadline) {
                throw new IllegalStateException("ACL not visible after 30 s: " + b);
              }
              Thread.sleep(50);
            }
          }
        } catch (final Exception e) {
          throw new IllegalStateException("cannot create ACLs: " + e, e);
        }
      }
    }, () -> {
      try {
        admin.close();
        broker.close();
      } finally {
        tls.close();
      }
    });
  }

  /** The JAAS line a SCRAM client logs in with (what Strimzi puts in a KafkaUser secret's sasl.jaas.config). */
  public static String jaas(final String user, final String password) {
    return "org.apache.kafka.common.security.scram.ScramLoginModule required username=\"" + user + "\" password=\""
        + password + "\";";
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
