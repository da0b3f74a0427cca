package dev.sigstream.kafka.embedded;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Map;
import java.util.Properties;
import java.util.stream.Stream;
import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import kafka.tools.StorageTool;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.utils.Time;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A real single-node Apache Kafka broker (KRaft, combined broker and controller) running inside this JVM.
 *
 * <p>Used by {@code sigstream run} for the all-in-one embedded default and by the test harness. It is the same
 * broker code as a production cluster ({@code kafka.server.KafkaRaftServer}), not a mock, so delivery and
 * exactly-once claims tested against it hold. Storage is formatted with {@code kafka.tools.StorageTool} on first
 * start and reused afterwards, so an embedded {@code sigstream run} keeps its topics across restarts.
 *
 * <p>With {@link Builder#scramListener()} it also listens with SASL/SCRAM-SHA-512 ({@link #saslBootstrapServers()})
 * and authorizes every request with KRaft's {@code StandardAuthorizer}: clients on that listener are users with
 * SCRAM credentials and get only what ACLs grant them (tests create both through {@link #bootstrapServers()}, where
 * the unauthenticated principal is the super user, as an operator's admin connection is). With
 * {@link Builder#scramTlsListener} it listens with SCRAM-SHA-512 over TLS as well ({@link #saslSslBootstrapServers()}),
 * as a Strimzi cluster's TLS listener does, and with {@link Builder#mutualTlsListener} with TLS client certificates
 * ({@link #sslBootstrapServers()}).
 *
 * <p>Not thread-safe for concurrent start/stop; start once, stop once.
 */
public final class EmbeddedKafkaBroker implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(EmbeddedKafkaBroker.class);

  private final Path dataDir;
  private final boolean deleteOnClose;
  private final int brokerPort;
  private final int controllerPort;
  private final int saslPort;
  private final int saslSslPort;
  private final TlsKeyStore tls;
  private final int sslPort;
  private final Path clientCa;
  private final Map<String, String> overrides;
  private KafkaRaftServer server;

  private EmbeddedKafkaBroker(final Builder b) {
    this.dataDir = b.dataDir;
    this.deleteOnClose = b.deleteOnClose;
    this.brokerPort = b.brokerPort > 0 ? b.brokerPort : freePort();
    this.controllerPort = b.controllerPort > 0 ? b.controllerPort : freePort();
    this.saslPort = b.scram ? freePort() : 0;
    this.tls = b.tls;
    this.saslSslPort = b.tls != null ? freePort() : 0;
    this.clientCa = b.clientCa;
    this.sslPort = b.clientCa != null ? freePort() : 0;
    this.overrides = Map.copyOf(b.overrides);
  }

  public static Builder builder() {
    return new Builder();
  }

  /** Formats the storage if needed and starts the broker; returns once it accepts connections. */
  public synchronized EmbeddedKafkaBroker start() {
    if (server != null) {
      return this;
    }
    try {
      Files.createDirectories(dataDir);
      final Path logDir = dataDir.resolve("kafka-logs");
      final Properties props = config(logDir);
      final Path configFile = dataDir.resolve("server.properties");
      try (OutputStream out = Files.newOutputStream(configFile)) {
        props.store(out, "Sigstream embedded KRaft broker");
      }
      if (!Files.exists(logDir.resolve("meta.properties"))) {
        format(configFile);
      }
      final KafkaRaftServer s = new KafkaRaftServer(new KafkaConfig(props), Time.SYSTEM);
      s.startup();
      server = s;
      log.info("Embedded Kafka broker started at {} (data in {})", bootstrapServers(), dataDir);
      return this;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot prepare embedded Kafka data directory " + dataDir, e);
    }
  }

  private static void format(final Path configFile) {
    final ByteArrayOutputStream buf = new ByteArrayOutputStream();
    final int rc;
    try (PrintStream out = new PrintStream(buf, true, StandardCharsets.UTF_8)) {
      rc = StorageTool.execute(
          new String[] {"format", "-t", Uuid.randomUuid().toString(), "-c", configFile.toString()}, out);
    }
    if (rc != 0) {
      throw new IllegalStateException("formatting Kafka storage failed (" + rc + "): " + buf.toString(StandardCharsets.UTF_8).trim());
    }
  }

  private Properties config(final Path logDir) {
    final Properties p = new Properties();
    p.put("process.roles", "broker,controller");
    p.put("node.id", "1");
    p.put("controller.quorum.voters", "1@127.0.0.1:" + controllerPort);
    p.put("listeners", "PLAINTEXT://127.0.0.1:" + brokerPort + ",CONTROLLER://127.0.0.1:" + controllerPort);
    p.put("advertised.listeners", "PLAINTEXT://127.0.0.1:" + brokerPort);
    p.put("controller.listener.names", "CONTROLLER");
    p.put("inter.broker.listener.name", "PLAINTEXT");
    p.put("listener.security.protocol.map", "CONTROLLER:PLAINTEXT,PLAINTEXT:PLAINTEXT");
    p.put("log.dirs", logDir.toString());
    p.put("num.partitions", "1");
    p.put("offsets.topic.replication.factor", "1");
    p.put("offsets.topic.num.partitions", "4");
    p.put("transaction.state.log.replication.factor", "1");
    p.put("transaction.state.log.min.isr", "1");
    p.put("transaction.state.log.num.partitions", "4");
    p.put("share.coordinator.state.topic.replication.factor", "1");
    p.put("share.coordinator.state.topic.min.isr", "1");
    p.put("group.initial.rebalance.delay.ms", "0");
    p.put("auto.create.topics.enable", "false");
    p.put("log.flush.interval.messages", Long.toString(Long.MAX_VALUE));
    if (saslPort > 0) {
      final StringBuilder listeners = new StringBuilder("PLAINTEXT://127.0.0.1:" + brokerPort
          + ",SASL_PLAINTEXT://127.0.0.1:" + saslPort);
      if (saslSslPort > 0) {
        listeners.append(",SASL_SSL://127.0.0.1:").append(saslSslPort);
      }
      if (sslPort > 0) {
        listeners.append(",SSL://127.0.0.1:").append(sslPort);
      }
      p.put("advertised.listeners", listeners.toString());
      p.put("listeners", listeners + ",CONTROLLER://127.0.0.1:" + controllerPort);
      p.put("listener.security.protocol.map", "CONTROLLER:PLAINTEXT,PLAINTEXT:PLAINTEXT,SASL_PLAINTEXT:SASL_PLAINTEXT"
          + (saslSslPort > 0 ? ",SASL_SSL:SASL_SSL" : "") + (sslPort > 0 ? ",SSL:SSL" : ""));
      p.put("sasl.enabled.mechanisms", SCRAM);
      p.put("listener.name.sasl_plaintext.scram-sha-512.sasl.jaas.config",
          "org.apache.kafka.common.security.scram.ScramLoginModule required;");
      if (saslSslPort > 0) {
        p.put("listener.name.sasl_ssl.scram-sha-512.sasl.jaas.config",
            "org.apache.kafka.common.security.scram.ScramLoginModule required;");
        keyStore(p, "listener.name.sasl_ssl.");
      }
      if (sslPort > 0) {
        keyStore(p, "listener.name.ssl.");
        p.put("listener.name.ssl.ssl.client.auth", "required");
        p.put("listener.name.ssl.ssl.truststore.type", "PEM");
        p.put("listener.name.ssl.ssl.truststore.location", clientCa.toString());
        // The user is the certificate's CN, as with Strimzi's `authentication: tls` (CN=<KafkaUser name>).
        p.put("ssl.principal.mapping.rules", "RULE:^CN=([^,]+)(,.*)?$/$1/,DEFAULT");
      }
      p.put("authorizer.class.name", "org.apache.kafka.metadata.authorizer.StandardAuthorizer");
      // The PLAINTEXT and CONTROLLER listeners (inter-broker, controller, the tests' admin) are the super user;
      // SCRAM users get nothing an ACL does not grant.
      p.put("super.users", "User:ANONYMOUS");
      p.put("allow.everyone.if.no.acl.found", "false");
    }
    p.putAll(overrides);
    return p;
  }

  private void keyStore(final Properties p, final String listener) {
    p.put(listener + "ssl.keystore.type", tls.type());
    p.put(listener + "ssl.keystore.location", tls.location().toString());
    p.put(listener + "ssl.keystore.password", tls.password());
    p.put(listener + "ssl.key.password", tls.password());
  }

  /** The SASL mechanism of {@link Builder#scramListener()}. */
  public static final String SCRAM = "SCRAM-SHA-512";

  /** {@code 127.0.0.1:port} of the SASL_PLAINTEXT (SCRAM-SHA-512) listener; only with {@link Builder#scramListener()}. */
  public String saslBootstrapServers() {
    if (saslPort == 0) {
      throw new IllegalStateException("this broker has no SASL listener (Builder.scramListener())");
    }
    return "127.0.0.1:" + saslPort;
  }

  /**
   * {@code 127.0.0.1:port} of the SASL_SSL (SCRAM-SHA-512 over TLS) listener; only with
   * {@link Builder#scramTlsListener}. Its certificate is the one in the key store given there.
   */
  public String saslSslBootstrapServers() {
    if (saslSslPort == 0) {
      throw new IllegalStateException("this broker has no SASL_SSL listener (Builder.scramTlsListener(...))");
    }
    return "127.0.0.1:" + saslSslPort;
  }

  /**
   * {@code 127.0.0.1:port} of the SSL listener that requires a client certificate (mutual TLS); only with
   * {@link Builder#mutualTlsListener}. The client's user is its certificate's CN.
   */
  public String sslBootstrapServers() {
    if (sslPort == 0) {
      throw new IllegalStateException("this broker has no SSL listener (Builder.mutualTlsListener(...))");
    }
    return "127.0.0.1:" + sslPort;
  }

  /** {@code 127.0.0.1:port} of the PLAINTEXT listener. */
  public String bootstrapServers() {
    return "127.0.0.1:" + brokerPort;
  }

  public Path dataDir() {
    return dataDir;
  }

  /** Stops the broker and waits for it; deletes the data directory if it was temporary. */
  @Override
  public synchronized void close() {
    if (server != null) {
      try {
        server.shutdown();
        server.awaitShutdown();
      } finally {
        server = null;
      }
      log.info("Embedded Kafka broker stopped");
    }
    if (deleteOnClose) {
      deleteRecursively(dataDir);
    }
  }

  private static void deleteRecursively(final Path dir) {
    if (!Files.exists(dir)) {
      return;
    }
    try (Stream<Path> walk = Files.walk(dir)) {
      walk.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException e) {
      log.warn("could not delete {}: {}", dir, e.toString());
    }
  }

  static int freePort() {
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      s.setReuseAddress(true);
      return s.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException("no free loopback port", e);
    }
  }

  /** The broker's TLS key store ({@link Builder#scramTlsListener}). */
  private record TlsKeyStore(Path location, String type, String password) {}

  /** Builder; defaults are a temporary directory and free loopback ports. */
  public static final class Builder {
    private Path dataDir;
    private boolean deleteOnClose;
    private int brokerPort;
    private int controllerPort;
    private boolean scram;
    private TlsKeyStore tls;
    private Path clientCa;
    private final Map<String, String> overrides = new java.util.HashMap<>();

    private Builder() {}

    /** Persistent data directory, kept on close. */
    public Builder dataDir(final Path dir) {
      this.dataDir = dir;
      this.deleteOnClose = false;
      return this;
    }

    public Builder brokerPort(final int port) {
      this.brokerPort = port;
      return this;
    }

    public Builder controllerPort(final int port) {
      this.controllerPort = port;
      return this;
    }

    /**
     * Adds a SASL_PLAINTEXT listener with SCRAM-SHA-512 and turns on the {@code StandardAuthorizer} (no ACL: denied).
     * Create users with {@code Admin.alterUserScramCredentials} and grant ACLs through {@link #bootstrapServers()}.
     */
    public Builder scramListener() {
      this.scram = true;
      return this;
    }

    /**
     * {@link #scramListener()} plus a SASL_SSL listener (SCRAM-SHA-512 over TLS, as a Strimzi listener with
     * {@code tls: true} and {@code authentication: scram-sha-512}) that presents the certificate in {@code keyStore}, a
     * {@code PKCS12} or {@code JKS} store whose store and key open with {@code password}. Clients do not present a
     * certificate there. Same users and ACLs as the SASL_PLAINTEXT listener. The password is written to the broker's
     * {@code server.properties} in its data directory: for test and throwaway key stores.
     */
    public Builder scramTlsListener(final Path keyStore, final String type, final String password) {
      final String t = type.toUpperCase(java.util.Locale.ROOT);
      if (!t.equals("PKCS12") && !t.equals("JKS")) {
        throw new IllegalArgumentException("key store type must be PKCS12 or JKS, got " + type);
      }
      if (!Files.isReadable(keyStore)) {
        throw new IllegalArgumentException("cannot read the broker key store " + keyStore);
      }
      this.scram = true;
      this.tls = new TlsKeyStore(keyStore, t, password == null ? "" : password);
      return this;
    }

    /**
     * With {@link #scramTlsListener}: also an SSL listener (same server certificate) that requires a client
     * certificate issued by a CA in {@code clientCaPem} (PEM), as a Strimzi listener with {@code authentication: tls}.
     * The user is the certificate's CN; the same ACLs apply.
     */
    public Builder mutualTlsListener(final Path clientCaPem) {
      if (!Files.isReadable(clientCaPem)) {
        throw new IllegalArgumentException("cannot read the client CA " + clientCaPem);
      }
      this.clientCa = clientCaPem;
      return this;
    }

    /** Extra broker properties, applied last. */
    public Builder property(final String key, final String value) {
      overrides.put(key, value);
      return this;
    }

    public EmbeddedKafkaBroker build() {
      if (clientCa != null && tls == null) {
        throw new IllegalStateException("mutualTlsListener needs scramTlsListener (its server certificate)");
      }
      if (dataDir == null) {
        try {
          dataDir = Files.createTempDirectory("sigstream-kafka-");
          deleteOnClose = true;
        } catch (IOException e) {
          throw new UncheckedIOException(e);
        }
      }
      return new EmbeddedKafkaBroker(this);
    }
  }
}
