package dev.sigstream.schemas;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.common.config.ConfigTransformer;
import org.apache.kafka.common.config.SaslConfigs;
import org.apache.kafka.common.config.SslConfigs;
import org.apache.kafka.common.config.provider.ConfigProvider;
import org.apache.kafka.common.config.provider.DirectoryConfigProvider;
import org.apache.kafka.common.config.provider.EnvVarConfigProvider;
import org.apache.kafka.common.config.provider.FileConfigProvider;
import org.apache.kafka.common.errors.AuthenticationException;
import org.apache.kafka.common.errors.AuthorizationException;
import org.apache.kafka.common.errors.SslAuthenticationException;
import org.apache.kafka.common.network.ConnectionMode;
import org.apache.kafka.common.security.ssl.SslFactory;

/**
 * How every Sigstream Kafka client connects: the bootstrap servers and the client security settings. Every producer,
 * consumer, admin client and Streams application starts from {@link #clientProperties()} and adds only its own
 * tuning, so one setting reaches them all.
 *
 * <p>The security settings come from a Kafka-native client properties file ({@link #load}): only
 * {@code security.protocol}, {@code sasl.*} and {@code ssl.*} keys; anything else is a problem, since the other client
 * settings are Sigstream's (acks, idempotence, transactions). Values may name secrets that live elsewhere with
 * Kafka's own config-provider syntax, resolved once at load: {@code ${dir:/etc/kafka-user:password}} (a file in a
 * directory, as Kubernetes mounts a Secret), {@code ${file:/path/x.properties:key}} and {@code ${env:NAME}}. Sigstream
 * instantiates those three providers itself rather than through {@code config.providers}, so Kafka 4's
 * {@code org.apache.kafka.automatic.config.providers} allowlist does not apply and no other provider class can be
 * loaded by a configuration file.
 *
 * <p>{@link #toString()} shows protocol, mechanism, store types and locations; every other value is masked.
 */
public final class KafkaConnection {

  /** Values printed as they are; any other key's value is masked. */
  private static final Set<String> SHOWN = Set.of(CommonClientConfigs.SECURITY_PROTOCOL_CONFIG,
      SaslConfigs.SASL_MECHANISM, SslConfigs.SSL_KEYSTORE_TYPE_CONFIG, SslConfigs.SSL_TRUSTSTORE_TYPE_CONFIG,
      SslConfigs.SSL_KEYSTORE_LOCATION_CONFIG, SslConfigs.SSL_TRUSTSTORE_LOCATION_CONFIG,
      SslConfigs.SSL_ENDPOINT_IDENTIFICATION_ALGORITHM_CONFIG, SslConfigs.SSL_PROTOCOL_CONFIG);
  private static final Set<String> PROTOCOLS = Set.of("PLAINTEXT", "SSL", "SASL_PLAINTEXT", "SASL_SSL");
  private static final Set<String> STORE_TYPES = Set.of("JKS", "PKCS12", "PEM");
  private static final long MAX_FILE_BYTES = 1L << 20;

  private final String bootstrapServers;
  private final Map<String, String> security;

  private KafkaConnection(final String bootstrapServers, final Map<String, String> security) {
    if (bootstrapServers == null || bootstrapServers.isBlank()) {
      throw new IllegalArgumentException("bootstrap servers must not be blank");
    }
    this.bootstrapServers = bootstrapServers.trim();
    this.security = java.util.Collections.unmodifiableMap(new TreeMap<>(security));
  }

  /** No client security: PLAINTEXT (the embedded broker, local development, tests). */
  public static KafkaConnection plaintext(final String bootstrapServers) {
    return new KafkaConnection(bootstrapServers, Map.of());
  }

  /**
   * With client security settings already resolved and validated ({@link #readClientConfig}).
   *
   * @throws Invalid listing every problem when {@code security} is not a usable client security configuration
   */
  public static KafkaConnection of(final String bootstrapServers, final Map<String, String> security) {
    final List<String> problems = validate(security);
    if (!problems.isEmpty()) {
      throw new Invalid(problems);
    }
    return new KafkaConnection(bootstrapServers, security);
  }

  /** {@link #readClientConfig} then {@link #of}. */
  public static KafkaConnection load(final String bootstrapServers, final Path clientConfig) {
    return new KafkaConnection(bootstrapServers, readClientConfig(clientConfig));
  }

  /**
   * Reads a Kafka client properties file, resolves {@code ${dir:..}}, {@code ${file:..}} and {@code ${env:..}}
   * references and validates it: only security settings, a known protocol, readable key and trust stores that open
   * with the given passwords.
   *
   * @throws Invalid listing every problem found (never the value of a secret)
   */
  public static Map<String, String> readClientConfig(final Path file) {
    final Properties raw = new Properties();
    try {
      if (!Files.isRegularFile(file)) {
        throw new Invalid(List.of("file " + file + " does not exist"));
      }
      if (Files.size(file) > MAX_FILE_BYTES) {
        throw new Invalid(List.of(file + " is larger than 1 MiB: not a client properties file"));
      }
      try (Reader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
        raw.load(r);
      }
    } catch (IOException | IllegalArgumentException e) {
      if (e instanceof Invalid i) {
        throw i;
      }
      throw new Invalid(List.of("cannot read " + file + ": " + e.getMessage()));
    }
    final Map<String, String> values = new LinkedHashMap<>();
    raw.stringPropertyNames().stream().sorted().forEach(k -> values.put(k, raw.getProperty(k).trim()));
    final Map<String, String> resolved;
    try {
      resolved = resolve(values);
    } catch (org.apache.kafka.common.config.ConfigException e) {
      throw new Invalid(List.of(file + ": a ${...} reference did not resolve: " + e.getMessage()));
    }
    final List<String> problems = validate(resolved);
    if (!problems.isEmpty()) {
      throw new Invalid(problems.stream().map(p -> file + ": " + p).toList());
    }
    return resolved;
  }

  /** Kafka's own config-provider syntax, with the three providers that read files and the environment. */
  private static Map<String, String> resolve(final Map<String, String> values) {
    final Map<String, ConfigProvider> providers = new LinkedHashMap<>();
    providers.put("dir", new DirectoryConfigProvider());
    providers.put("file", new FileConfigProvider());
    providers.put("env", new EnvVarConfigProvider());
    providers.values().forEach(p -> p.configure(Map.of()));
    try {
      return new LinkedHashMap<>(new ConfigTransformer(providers).transform(values).data());
    } finally {
      for (final ConfigProvider p : providers.values()) {
        try {
          p.close();
        } catch (IOException e) {
          // nothing held open between calls
        }
      }
    }
  }

  private static List<String> validate(final Map<String, String> s) {
    final List<String> problems = new ArrayList<>();
    for (final Map.Entry<String, String> e : s.entrySet()) {
      final String k = e.getKey();
      if (!k.equals(CommonClientConfigs.SECURITY_PROTOCOL_CONFIG) && !k.startsWith("sasl.") && !k.startsWith("ssl.")) {
        problems.add("'" + shorten(k) + "' is not a client security setting: only security.protocol, sasl.* and ssl.*"
            + " are read (Sigstream sets the other client settings itself)");
      } else if (e.getValue().matches("(?s).*\\$\\{(dir|file|env):.*}.*")) {
        problems.add(k + ": " + (SHOWN.contains(k) ? "'" + shorten(e.getValue()) + "'" : "its reference")
            + " did not resolve (no such file, key or environment variable)");
      }
    }
    final String protocol = s.getOrDefault(CommonClientConfigs.SECURITY_PROTOCOL_CONFIG, "PLAINTEXT")
        .toUpperCase(Locale.ROOT);
    if (!PROTOCOLS.contains(protocol)) {
      problems.add("security.protocol must be one of PLAINTEXT, SSL, SASL_PLAINTEXT, SASL_SSL, got '"
          + shorten(protocol) + "'");
      return problems;
    }
    final boolean sasl = protocol.startsWith("SASL_");
    final boolean tls = protocol.endsWith("SSL");
    if (!s.isEmpty() && !s.containsKey(CommonClientConfigs.SECURITY_PROTOCOL_CONFIG)) {
      problems.add("security.protocol is missing (it would default to PLAINTEXT and ignore the other settings):"
          + " set SSL, SASL_SSL or SASL_PLAINTEXT");
    }
    if (sasl && !s.containsKey(SaslConfigs.SASL_MECHANISM)) {
      // Kafka would default to GSSAPI (Kerberos): almost never what a file without the line means.
      problems.add(protocol + " needs sasl.mechanism (SCRAM-SHA-512 for a Strimzi user; PLAIN, OAUTHBEARER or GSSAPI"
          + " otherwise)");
    } else if (sasl) {
      final String mechanism = s.get(SaslConfigs.SASL_MECHANISM);
      if (!mechanism.equals("GSSAPI") && !s.containsKey(SaslConfigs.SASL_JAAS_CONFIG)) {
        problems.add(protocol + " with sasl.mechanism " + shorten(mechanism) + " needs sasl.jaas.config (for a Strimzi"
            + " SCRAM-SHA-512 user: ${dir:/path/to/the/user/secret:sasl.jaas.config})");
      }
    } else if (s.keySet().stream().anyMatch(k -> k.startsWith("sasl."))) {
      problems.add("sasl.* settings need security.protocol SASL_SSL or SASL_PLAINTEXT, got " + protocol);
    }
    if (!tls && s.keySet().stream().anyMatch(k -> k.startsWith("ssl."))) {
      problems.add("ssl.* settings need security.protocol SSL or SASL_SSL, got " + protocol);
    }
    for (final String type : List.of(SslConfigs.SSL_KEYSTORE_TYPE_CONFIG, SslConfigs.SSL_TRUSTSTORE_TYPE_CONFIG)) {
      if (s.containsKey(type) && !STORE_TYPES.contains(s.get(type).toUpperCase(Locale.ROOT))) {
        problems.add(type + " must be PKCS12, PEM or JKS, got '" + shorten(s.get(type)) + "'");
      }
    }
    for (final String loc : List.of(SslConfigs.SSL_KEYSTORE_LOCATION_CONFIG, SslConfigs.SSL_TRUSTSTORE_LOCATION_CONFIG)) {
      if (s.containsKey(loc) && !Files.isReadable(Path.of(s.get(loc)))) {
        problems.add(loc + ": cannot read " + shorten(s.get(loc)));
      }
    }
    if (problems.isEmpty() && tls) {
      // Open the key and trust stores now, as the clients will: a wrong password or a broken PEM is a start-up
      // problem, not a handshake failure later. Kafka's own SslFactory, so PKCS12, JKS and PEM behave as in the client.
      final Map<String, Object> props = new LinkedHashMap<>(s);
      props.put(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, "check:9092");
      try (SslFactory ssl = new SslFactory(ConnectionMode.CLIENT)) {
        ssl.configure(new AdminClientConfig(props).values());
      } catch (RuntimeException e) {
        problems.add("the TLS settings do not work: " + messages(e));
      }
    }
    return problems;
  }

  private static String messages(final Throwable e) {
    final StringBuilder b = new StringBuilder();
    for (Throwable t = e; t != null && b.length() < 400; t = t.getCause() == t ? null : t.getCause()) {
      if (t.getMessage() != null && b.indexOf(t.getMessage()) < 0) {
        b.append(b.length() == 0 ? "" : ": ").append(t.getMessage());
      }
    }
    return b.length() == 0 ? e.getClass().getSimpleName() : b.toString();
  }

  private static String shorten(final String v) {
    final String one = v.replaceAll("\\p{Cntrl}", "?");
    return one.length() > 80 ? one.substring(0, 80) + "…" : one;
  }

  public String bootstrapServers() {
    return bootstrapServers;
  }

  /** The same security settings on other servers (the embedded broker's address is known only once it started). */
  public KafkaConnection withBootstrapServers(final String servers) {
    return new KafkaConnection(servers, security);
  }

  /** Whether the clients authenticate or encrypt (anything but PLAINTEXT). */
  public boolean secured() {
    return !security.getOrDefault(CommonClientConfigs.SECURITY_PROTOCOL_CONFIG, "PLAINTEXT").equalsIgnoreCase("PLAINTEXT");
  }

  /** {@code bootstrap.servers} and the security settings: the start of every client's configuration (a new map). */
  public Map<String, Object> clientProperties() {
    final Map<String, Object> p = new LinkedHashMap<>(security);
    p.put(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
    return p;
  }

  /** {@link #clientProperties()} as {@link Properties} (Kafka Streams). */
  public Properties properties() {
    final Properties p = new Properties();
    p.putAll(clientProperties());
    return p;
  }

  /**
   * One line for an operator when a client failed: says whether Kafka refused the credentials, the TLS handshake
   * failed, or an ACL denied something, and where to look. Never includes a secret (Kafka's messages do not).
   */
  public String explain(final Throwable failure) {
    for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
      if (t instanceof SslAuthenticationException) {
        return "TLS handshake with Kafka at " + bootstrapServers + " failed (" + protocolAndMechanism()
            + "): " + tlsProblem(t);
      }
      if (t instanceof AuthenticationException) {
        return "Kafka at " + bootstrapServers + " refused this client's credentials (" + protocolAndMechanism() + "): "
            + t.getMessage() + "; check the Kafka client configuration (kafka.clientConfig)";
      }
      if (t instanceof AuthorizationException) {
        return "Kafka at " + bootstrapServers + " denied an operation to this client: " + t.getMessage()
            + "; grant the ACLs listed in docs/operations.md to its user";
      }
    }
    return "Kafka at " + bootstrapServers + ": " + (failure.getMessage() == null ? failure.getClass().getSimpleName()
        : failure.getMessage());
  }

  /**
   * What went wrong in a TLS handshake, from the JDK's exceptions under Kafka's {@code SslAuthenticationException}
   * ("SSL handshake failed" says nothing by itself): the broker's certificate not trusted (no path to a CA of the
   * trust store), not valid (expired, for example), or not naming the host connected to.
   */
  private static String tlsProblem(final Throwable handshake) {
    java.security.cert.CertificateException certificate = null;
    for (Throwable t = handshake; t != null; t = t.getCause() == t ? null : t.getCause()) {
      // No path to a trust anchor: the JDK's builder (only the leaf sent) or validator (the chain sent up to a root)
      if (t instanceof java.security.cert.CertPathBuilderException
          || t instanceof java.security.cert.CertPathValidatorException v
              && v.getReason() == java.security.cert.PKIXReason.NO_TRUST_ANCHOR) {
        return "the broker's certificate is not trusted: it does not chain to a CA in this client's trust store ("
            + shorten(t.getMessage() == null ? "no certification path" : t.getMessage())
            + "); check ssl.truststore.location (or ssl.truststore.certificates) in the Kafka client configuration:"
            + " it must hold the cluster CA certificate (Strimzi: <cluster>-cluster-ca-cert, ca.crt)";
      }
      if (t instanceof java.security.cert.CertPathValidatorException) {
        return "the broker's certificate failed validation (" + shorten(String.valueOf(t.getMessage()))
            + "); check the broker's certificate and ssl.truststore.* in the Kafka client configuration";
      }
      if (t instanceof java.security.cert.CertificateException c && certificate == null) {
        certificate = c;
      }
    }
    if (certificate != null && certificate.getMessage() != null
        && certificate.getMessage().matches("(?s).*(subject alternative names|No name matching).*")) {
      return "the broker's certificate does not name the host connected to (" + shorten(certificate.getMessage())
          + "); use a bootstrap address the certificate names";
    }
    final Throwable cause = handshake.getCause() != null ? handshake.getCause() : handshake;
    return shorten(String.valueOf(messages(cause))) + "; check the ssl.* settings of the Kafka client configuration";
  }

  /**
   * Whether {@code failure} is Kafka refusing this client (credentials, TLS handshake, ACLs): retrying cannot help,
   * so a stream thread that failed with it is not replaced but the application stops and says why.
   */
  public static boolean isAccessDenied(final Throwable failure) {
    for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
      if (t instanceof AuthenticationException || t instanceof AuthorizationException) {
        return true;
      }
    }
    return false;
  }

  private String protocolAndMechanism() {
    final String protocol = security.getOrDefault(CommonClientConfigs.SECURITY_PROTOCOL_CONFIG, "PLAINTEXT");
    return protocol + (protocol.toUpperCase(Locale.ROOT).startsWith("SASL_")
        ? " " + security.getOrDefault(SaslConfigs.SASL_MECHANISM, SaslConfigs.DEFAULT_SASL_MECHANISM) : "");
  }

  @Override
  public String toString() {
    final StringBuilder b = new StringBuilder("KafkaConnection{").append(bootstrapServers);
    security.forEach((k, v) -> b.append(", ").append(k).append('=').append(SHOWN.contains(k) ? v : "****"));
    return b.append('}').toString();
  }

  @Override
  public boolean equals(final Object o) {
    return o instanceof KafkaConnection c && c.bootstrapServers.equals(bootstrapServers) && c.security.equals(security);
  }

  @Override
  public int hashCode() {
    return bootstrapServers.hashCode() * 31 + security.hashCode();
  }

  /** A client configuration that cannot work, with every problem found. */
  public static final class Invalid extends IllegalArgumentException {
    private final List<String> problems;

    public Invalid(final List<String> problems) {
      super(String.join("; ", problems));
      this.problems = List.copyOf(problems);
    }

    public List<String> problems() {
      return problems;
    }
  }
}
