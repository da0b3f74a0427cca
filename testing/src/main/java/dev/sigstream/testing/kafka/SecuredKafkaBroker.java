package dev.sigstream.testing.kafka;

import java.util.Collection;
import java.util.Map;
import org.apache.kafka.common.acl.AclBinding;

/**
 * A real Kafka broker that authenticates and authorizes, for tests of what Sigstream's services do on a cluster
 * with SASL and ACLs: {@link #bootstrapServers()} is a SASL_PLAINTEXT listener with SCRAM-SHA-512 and KRaft's
 * {@code StandardAuthorizer}, so a client there is a user and may do only what its ACLs grant.
 * {@link #adminBootstrapServers()} is the operator's door (PLAINTEXT, super user): create topics, users and ACLs
 * there. Inject it as a parameter with {@link KafkaBrokerExtension}; one per test JVM, shared, so users, ACLs and
 * topics a test creates must not collide with another test's.
 */
public interface SecuredKafkaBroker extends KafkaBroker {

  /** The PLAINTEXT listener where the unauthenticated principal is the super user. */
  String adminBootstrapServers();

  /**
   * Creates (or replaces) a SCRAM-SHA-512 credential for {@code user} and returns the client security properties a
   * client logs in with: {@code security.protocol}, {@code sasl.mechanism}, {@code sasl.jaas.config}.
   */
  Map<String, String> scramUser(String user, String password);

  /** Creates the ACL bindings and waits until the broker enforces them. */
  void grant(Collection<AclBinding> acls);
}
