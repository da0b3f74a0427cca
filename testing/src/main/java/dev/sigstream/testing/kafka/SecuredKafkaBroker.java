package dev.sigstream.testing.kafka;

import java.util.Collection;
import java.util.Map;
import org.apache.kafka.common.acl.AclBinding;

/**
 * A real Kafka broker that authenticates and authorizes, for tests of what Sigstream's services do on a cluster
 * with SASL and ACLs: {@link #bootstrapServers()} is a SASL_PLAINTEXT listener with SCRAM-SHA-512 and KRaft's
 * {@code StandardAuthorizer}, so a client there is a user and may do only what its ACLs grant;
 * {@link #tlsBootstrapServers()} is the same over TLS (SASL_SSL), with a certificate from a test cluster CA.
 * {@link #adminBootstrapServers()} is the operator's door (PLAINTEXT, super user): create topics, users and ACLs
 * there. Inject it as a parameter with {@link KafkaBrokerExtension}; one per test JVM, shared, so users, ACLs and
 * topics a test creates must not collide with another test's.
 */
public interface SecuredKafkaBroker extends KafkaBroker {

  /** The PLAINTEXT listener where the unauthenticated principal is the super user. */
  String adminBootstrapServers();

  /**
   * The SASL_SSL listener: SCRAM-SHA-512 over TLS, as a Strimzi listener with {@code tls: true} and
   * {@code authentication: scram-sha-512}. Same users and ACLs as {@link #bootstrapServers()}. Its certificate
   * (subject alternative names IP 127.0.0.1 and DNS localhost, so clients keep hostname verification on) is issued by
   * {@link #clusterCaCertificate()}.
   */
  String tlsBootstrapServers();

  /**
   * The CA that issued the TLS listener's certificate, as one PEM block: what the Strimzi Cluster Operator puts under
   * {@code ca.crt} in the Secret {@code <cluster>-cluster-ca-cert}, and a client reads with
   * {@code ssl.truststore.type=PEM}.
   */
  String clusterCaCertificate();

  /**
   * The SSL listener that requires a client certificate (mutual TLS), as a Strimzi listener with
   * {@code authentication: tls}: same server certificate as {@link #tlsBootstrapServers()}, and the user is the client
   * certificate's CN, so the same ACLs apply. Make a user with {@link #tlsUser}.
   */
  String mutualTlsBootstrapServers();

  /**
   * Writes into {@code secretDir} what the Strimzi User Operator puts in the Secret of a KafkaUser with
   * {@code authentication: tls}: {@code user.p12} with {@code user.password}, {@code user.crt} and {@code user.key}
   * (PEM), and {@code ca.crt}; the certificate (CN={@code user}) is issued by the broker's clients CA.
   */
  void tlsUser(String user, java.nio.file.Path secretDir);

  /**
   * Creates (or replaces) a SCRAM-SHA-512 credential for {@code user} and returns the client security properties a
   * client logs in with: {@code security.protocol}, {@code sasl.mechanism}, {@code sasl.jaas.config}.
   */
  Map<String, String> scramUser(String user, String password);

  /** Creates the ACL bindings and waits until the broker enforces them. */
  void grant(Collection<AclBinding> acls);
}
