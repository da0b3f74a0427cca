package dev.sigstream.schemas;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sigstream.testing.pki.Ca;
import dev.sigstream.testing.pki.KeyType;
import dev.sigstream.testing.pki.Pem;
import dev.sigstream.testing.pki.TestPki;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;
import org.apache.kafka.common.errors.SaslAuthenticationException;
import org.apache.kafka.common.errors.TopicAuthorizationException;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class KafkaConnectionTest {

  private static final String JAAS = "org.apache.kafka.common.security.scram.ScramLoginModule required"
      + " username=\"sigstream-ingest-kafka\" password=\"s3cret-value\";";

  @TempDir
  static Path dir;
  private static Path userSecret;
  private static Path caCert;

  /** A Strimzi-style user secret (password, sasl.jaas.config, user.p12, user.password) and cluster CA (ca.crt). */
  @BeforeAll
  static void secrets() throws Exception {
    userSecret = Files.createDirectories(dir.resolve("kafka-user"));
    Files.writeString(userSecret.resolve("sasl.jaas.config"), JAAS);
    Files.writeString(userSecret.resolve("user.password"), "p12-password");
    try (TestPki pki = TestPki.offline(Clock.systemUTC())) {
      final Ca ca = pki.root("CN=cluster-ca v0", KeyType.EC_P256);
      caCert = dir.resolve("ca.crt");
      Files.writeString(caCert, Pem.certificate(ca.certificate()));
      Files.write(userSecret.resolve("user.p12"), Pem.pkcs12(ca.issued(), "sigstream-ingest-kafka",
          "p12-password".toCharArray()));
    }
  }

  @Test
  void scramOverTls_fromAStrimziSecret_resolvesTheSecret_andNeverPrintsIt() throws Exception {
    final Path file = write("scram.properties", "security.protocol=SASL_SSL\nsasl.mechanism=SCRAM-SHA-512\n"
        + "sasl.jaas.config=${dir:" + userSecret + ":sasl.jaas.config}\n"
        + "ssl.truststore.type=PEM\nssl.truststore.location=" + caCert + "\n");

    final KafkaConnection c = KafkaConnection.load("kafka:9093", file);

    assertThat(c.clientProperties()).containsEntry("bootstrap.servers", "kafka:9093")
        .containsEntry("security.protocol", "SASL_SSL").containsEntry("sasl.jaas.config", JAAS);
    assertThat(c.secured()).isTrue();
    assertThat(c.toString()).contains("kafka:9093", "SASL_SSL", "SCRAM-SHA-512", "sasl.jaas.config=****")
        .doesNotContain("s3cret-value");
    assertThat(c.properties()).containsEntry("sasl.jaas.config", JAAS);
  }

  @Test
  void mutualTls_withAPkcs12KeyStoreWhosePasswordIsInTheSecret_opens() throws Exception {
    final Path file = write("mtls.properties", "security.protocol=SSL\nssl.keystore.type=PKCS12\n"
        + "ssl.keystore.location=" + userSecret.resolve("user.p12") + "\n"
        + "ssl.keystore.password=${dir:" + userSecret + ":user.password}\n"
        + "ssl.truststore.type=PEM\nssl.truststore.location=" + caCert + "\n");

    final KafkaConnection c = KafkaConnection.load("kafka:9093", file);

    assertThat(c.clientProperties()).containsEntry("ssl.keystore.password", "p12-password");
    assertThat(c.toString()).contains("ssl.keystore.password=****").doesNotContain("p12-password");
  }

  @Test
  void aWrongKeyStorePassword_isAStartUpProblem() throws Exception {
    final Path file = write("wrong.properties", "security.protocol=SSL\nssl.keystore.type=PKCS12\n"
        + "ssl.keystore.location=" + userSecret.resolve("user.p12") + "\nssl.keystore.password=not-it\n");

    assertThatThrownBy(() -> KafkaConnection.readClientConfig(file)).isInstanceOf(KafkaConnection.Invalid.class)
        .hasMessageContaining("the TLS settings do not work").hasMessageNotContaining("not-it");
  }

  @Test
  void everyProblemIsListed_atOnce() throws Exception {
    final Path file = write("bad.properties", "security.protocol=SASL_SSL\nsasl.mechanism=SCRAM-SHA-512\n"
        + "acks=0\nbootstrap.servers=elsewhere:9092\n"
        + "ssl.truststore.location=" + dir.resolve("missing.crt") + "\nssl.keystore.type=P12\n");

    assertThatThrownBy(() -> KafkaConnection.readClientConfig(file)).isInstanceOfSatisfying(KafkaConnection.Invalid.class,
        e -> assertThat(e.problems()).hasSize(5).anySatisfy(p -> assertThat(p).contains("'acks' is not a client security setting"))
            .anySatisfy(p -> assertThat(p).contains("'bootstrap.servers' is not a client security setting"))
            .anySatisfy(p -> assertThat(p).contains("needs sasl.jaas.config"))
            .anySatisfy(p -> assertThat(p).contains("ssl.truststore.location: cannot read"))
            .anySatisfy(p -> assertThat(p).contains("ssl.keystore.type must be PKCS12, PEM or JKS")));
  }

  @Test
  void anUnresolvedReference_isAProblem_thatShowsNoSecret() throws Exception {
    final Path file = write("unresolved.properties", "security.protocol=SASL_PLAINTEXT\nsasl.mechanism=SCRAM-SHA-512\n"
        + "sasl.jaas.config=${dir:" + userSecret + ":no-such-key}\n");

    assertThatThrownBy(() -> KafkaConnection.readClientConfig(file))
        .hasMessageContaining("sasl.jaas.config: its reference did not resolve");
  }

  @Test
  void settingsWithoutAProtocol_orForTheWrongOne_areProblems() throws Exception {
    assertThatThrownBy(() -> KafkaConnection.readClientConfig(write("noproto.properties", "sasl.mechanism=PLAIN\n")))
        .hasMessageContaining("security.protocol is missing");
    assertThatThrownBy(() -> KafkaConnection.readClientConfig(write("tlsonsasl.properties",
        "security.protocol=SASL_PLAINTEXT\nsasl.jaas.config=x required;\nssl.truststore.type=PEM\n")))
        .hasMessageContaining("ssl.* settings need security.protocol SSL or SASL_SSL");
    assertThatThrownBy(() -> KafkaConnection.readClientConfig(write("proto.properties", "security.protocol=TLS\n")))
        .hasMessageContaining("security.protocol must be one of");
    assertThatThrownBy(() -> KafkaConnection.readClientConfig(dir.resolve("absent.properties")))
        .hasMessageContaining("does not exist");
  }

  @Test
  void explain_namesRefusedCredentialsAndDeniedOperations() {
    final KafkaConnection c = KafkaConnection.of("kafka:9093", Map.of("security.protocol", "SASL_PLAINTEXT",
        "sasl.mechanism", "SCRAM-SHA-512", "sasl.jaas.config", JAAS));

    assertThat(c.explain(new IllegalStateException(new SaslAuthenticationException("invalid credentials"))))
        .startsWith("Kafka at kafka:9093 refused this client's credentials (SASL_PLAINTEXT SCRAM-SHA-512): invalid credentials");
    assertThat(c.explain(new TopicAuthorizationException("Not authorized to access topics: [t]")))
        .startsWith("Kafka at kafka:9093 denied an operation to this client: Not authorized to access topics: [t]");
    assertThat(KafkaConnection.isAccessDenied(new RuntimeException(new TopicAuthorizationException("x")))).isTrue();
    assertThat(KafkaConnection.isAccessDenied(new RuntimeException("timeout"))).isFalse();
    assertThat(KafkaConnection.plaintext("127.0.0.1:9092").secured()).isFalse();
  }

  @Test
  void explain_aFailedTlsHandshake_namesCertificateTrustOrTheHostName() throws Exception {
    final KafkaConnection c = KafkaConnection.of("kafka:9093", Map.of("security.protocol", "SASL_SSL",
        "sasl.mechanism", "SCRAM-SHA-512", "sasl.jaas.config", JAAS));
    // The chain the JDK's PKIX trust manager produces for a broker certificate from another CA
    final Exception untrusted = new org.apache.kafka.common.errors.SslAuthenticationException("SSL handshake failed",
        handshake("PKIX path building failed", new java.security.cert.CertificateException(
            "PKIX path building failed", new java.security.cert.CertPathBuilderException(
                "unable to find valid certification path to requested target"))));
    assertThat(c.explain(new IllegalStateException(untrusted)))
        .startsWith("TLS handshake with Kafka at kafka:9093 failed (SASL_SSL SCRAM-SHA-512): the broker's certificate"
            + " is not trusted: it does not chain to a CA in this client's trust store (unable to find valid"
            + " certification path to requested target); check ssl.truststore.location")
        .doesNotContain("\n");
    // ... and the one it produces when the broker sent its chain up to a root the trust store does not hold
    final Exception otherRoot = new org.apache.kafka.common.errors.SslAuthenticationException("SSL handshake failed",
        handshake("PKIX path validation failed", new java.security.cert.CertificateException("PKIX path validation"
            + " failed", new java.security.cert.CertPathValidatorException("Path does not chain with any of the trust"
            + " anchors", null, null, -1, java.security.cert.PKIXReason.NO_TRUST_ANCHOR))));
    assertThat(c.explain(otherRoot)).contains("the broker's certificate is not trusted: it does not chain to a CA in"
        + " this client's trust store (Path does not chain with any of the trust anchors)");
    final Exception expired = new org.apache.kafka.common.errors.SslAuthenticationException("SSL handshake failed",
        handshake("PKIX path validation failed", new java.security.cert.CertPathValidatorException("validity check"
            + " failed", null, null, -1, java.security.cert.CertPathValidatorException.BasicReason.EXPIRED)));
    assertThat(c.explain(expired)).contains("the broker's certificate failed validation (validity check failed)");
    final Exception wrongHost = new org.apache.kafka.common.errors.SslAuthenticationException("SSL handshake failed",
        handshake("No subject alternative names matching IP address 10.0.0.1 found",
            new java.security.cert.CertificateException("No subject alternative names matching IP address 10.0.0.1 found")));
    assertThat(c.explain(wrongHost)).contains("the broker's certificate does not name the host connected to"
        + " (No subject alternative names matching IP address 10.0.0.1 found)");
    assertThat(c.explain(new org.apache.kafka.common.errors.SslAuthenticationException("SSL handshake failed",
        handshake("Received fatal alert: handshake_failure", null))))
        .contains("Received fatal alert: handshake_failure; check the ssl.* settings");
    assertThat(KafkaConnection.isAccessDenied(untrusted)).isTrue();
  }

  private static Exception handshake(final String message, final Throwable cause) {
    final javax.net.ssl.SSLHandshakeException e = new javax.net.ssl.SSLHandshakeException(message);
    e.initCause(cause);
    return e;
  }

  private static Path write(final String name, final String content) throws Exception {
    return Files.writeString(dir.resolve(name), content);
  }
}
