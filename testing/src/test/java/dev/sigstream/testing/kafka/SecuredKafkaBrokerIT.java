package dev.sigstream.testing.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.sigstream.testing.pki.KeyType;
import dev.sigstream.testing.pki.Pem;
import dev.sigstream.testing.pki.TestPki;
import java.time.Clock;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.stream.Stream;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.acl.AccessControlEntry;
import org.apache.kafka.common.acl.AclBinding;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.acl.AclPermissionType;
import org.apache.kafka.common.errors.SaslAuthenticationException;
import org.apache.kafka.common.errors.SslAuthenticationException;
import org.apache.kafka.common.errors.TopicAuthorizationException;
import org.apache.kafka.common.resource.PatternType;
import org.apache.kafka.common.resource.ResourcePattern;
import org.apache.kafka.common.resource.ResourceType;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The secured broker authenticates with SCRAM-SHA-512, in clear and over TLS, and enforces ACLs: what a granted user
 * may, others may not; a client that does not trust the cluster CA does not get past the handshake.
 */
@Tag("integration")
@Timeout(120)
@ExtendWith(KafkaBrokerExtension.class)
class SecuredKafkaBrokerIT {

  @Test
  void scramUserWithAnAcl_writes_withoutOne_isDenied_withAWrongPassword_isRefused(final SecuredKafkaBroker broker)
      throws Exception {
    // Given: two topics, a user, and a Write ACL on only one of them
    final String allowed = "secured-allowed-" + System.nanoTime();
    final String other = "secured-other-" + System.nanoTime();
    try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, broker.adminBootstrapServers()))) {
      admin.createTopics(List.of(new NewTopic(allowed, 1, (short) 1), new NewTopic(other, 1, (short) 1))).all().get();
    }
    final String user = "writer-" + System.nanoTime();
    final Map<String, String> login = broker.scramUser(user, "right-password");
    broker.grant(List.of(new AclBinding(new ResourcePattern(ResourceType.TOPIC, allowed, PatternType.LITERAL),
        new AccessControlEntry("User:" + user, "*", AclOperation.WRITE, AclPermissionType.ALLOW))));

    // Then
    try (KafkaProducer<String, String> p = producer(broker, login)) {
      assertThat(p.send(new ProducerRecord<>(allowed, "k", "v")).get().hasOffset()).isTrue();
      assertThatThrownBy(() -> p.send(new ProducerRecord<>(other, "k", "v")).get())
          .isInstanceOf(ExecutionException.class).hasCauseInstanceOf(TopicAuthorizationException.class);
    }
    final Map<String, String> wrong = new HashMap<>(login);
    wrong.put("sasl.jaas.config", KafkaBrokerExtension.jaas(user, "wrong-password"));
    try (KafkaProducer<String, String> p = producer(broker, wrong)) {
      assertThatThrownBy(() -> p.send(new ProducerRecord<>(allowed, "k", "v")).get())
          .hasRootCauseInstanceOf(SaslAuthenticationException.class);
    }
    assertThat(broker.kind()).isEqualTo("in-jvm-kraft-scram-acl");
  }

  @Test
  void overTls_aClientTrustingTheClusterCa_writes_oneTrustingAnotherCa_failsTheHandshake(
      final SecuredKafkaBroker broker) throws Exception {
    // Given: a topic and a user with Write on it, and the cluster CA as a PEM trust store (Strimzi's ca.crt)
    final String topic = "secured-tls-" + System.nanoTime();
    try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, broker.adminBootstrapServers()))) {
      admin.createTopics(List.of(new NewTopic(topic, 1, (short) 1))).all().get();
    }
    final String user = "tls-writer-" + System.nanoTime();
    final Map<String, String> login = new HashMap<>(broker.scramUser(user, "tls-password"));
    broker.grant(List.of(new AclBinding(new ResourcePattern(ResourceType.TOPIC, topic, PatternType.LITERAL),
        new AccessControlEntry("User:" + user, "*", AclOperation.WRITE, AclPermissionType.ALLOW))));
    login.put("security.protocol", "SASL_SSL");
    login.put("ssl.truststore.type", "PEM");
    login.put("ssl.truststore.certificates", broker.clusterCaCertificate());
    assertThat(broker.clusterCaCertificate()).startsWith("-----BEGIN CERTIFICATE-----");

    // Then: over TLS, with hostname verification on (Kafka's default), the write lands
    try (KafkaProducer<String, String> p = producer(broker.tlsBootstrapServers(), login)) {
      assertThat(p.send(new ProducerRecord<>(topic, "k", "v")).get().hasOffset()).isTrue();
    }
    // ... and a client trusting another CA fails the handshake
    final Map<String, String> other = new HashMap<>(login);
    try (TestPki pki = TestPki.offline(Clock.systemUTC())) {
      other.put("ssl.truststore.certificates", Pem.certificate(pki.root("CN=other-ca", KeyType.EC_P256).certificate()));
    }
    try (KafkaProducer<String, String> p = producer(broker.tlsBootstrapServers(), other)) {
      final Throwable failed = catchThrowable(() -> p.send(new ProducerRecord<>(topic, "k", "v")).get());
      assertThat(Stream.iterate(failed, Objects::nonNull, Throwable::getCause))
          .as("%s", failed).anyMatch(SslAuthenticationException.class::isInstance);
    }
  }

  private static KafkaProducer<String, String> producer(final SecuredKafkaBroker broker, final Map<String, String> login) {
    return producer(broker.bootstrapServers(), login);
  }

  private static KafkaProducer<String, String> producer(final String servers, final Map<String, String> login) {
    final Map<String, Object> p = new HashMap<>(login);
    p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, servers);
    p.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, 10_000);
    // Without idempotence: this user has no IdempotentWrite; the test is about the topic ACL.
    p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, false);
    p.put(ProducerConfig.ACKS_CONFIG, "all");
    return new KafkaProducer<>(p, new StringSerializer(), new StringSerializer());
  }
}
