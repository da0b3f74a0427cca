package dev.sigstream.testing.kafka;

import dev.sigstream.testing.pki.Ca;
import dev.sigstream.testing.pki.CertSpec;
import dev.sigstream.testing.pki.Issued;
import dev.sigstream.testing.pki.KeyType;
import dev.sigstream.testing.pki.Pem;
import dev.sigstream.testing.pki.TestPki;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.stream.Stream;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyUsage;

/**
 * The secured test broker's TLS material, made with the project's test PKI as a Strimzi Cluster Operator makes it: a
 * cluster CA, and a broker certificate it issued (EKU serverAuth, subject alternative names IP 127.0.0.1 and DNS
 * localhost) in a PKCS#12 key store under a temporary directory, deleted by {@link #close()}; and a clients CA that
 * issues users' certificates for mutual TLS. EC P-256 keys: cheap to
 * make, and what TLS 1.3 negotiates anyway.
 */
final class ClusterTls implements AutoCloseable {

  /** Extended key usage id-kp-clientAuth (RFC 5280). */
  private static final String CLIENT_AUTH = "1.3.6.1.5.5.7.3.2";

  private final Path dir;
  private final Path keyStore;
  private final String password;
  private final String caPem;
  private final Ca clientsCa;
  private final Path clientsCaPem;

  private ClusterTls(final Path dir, final Path keyStore, final String password, final String caPem,
      final Ca clientsCa, final Path clientsCaPem) {
    this.dir = dir;
    this.keyStore = keyStore;
    this.password = password;
    this.caPem = caPem;
    this.clientsCa = clientsCa;
    this.clientsCaPem = clientsCaPem;
  }

  static ClusterTls create() {
    // Offline: nothing is served; the CAs keep issuing after the PKI is closed.
    try (TestPki pki = TestPki.offline(Clock.systemUTC())) {
      final Ca ca = pki.root(CertSpec.ca("CN=cluster-ca v0,O=io.strimzi").keyType(KeyType.EC_P256));
      final Issued broker = ca.leaf(CertSpec.leaf("CN=sigstream-kafka,O=io.strimzi").keyType(KeyType.EC_P256)
          .eku(CertSpec.Eku.SERVER_AUTH).keyUsage(KeyUsage.digitalSignature | KeyUsage.keyEncipherment)
          .noRevocationInfo()
          .extension(Extension.subjectAlternativeName.getId(), false, new GeneralNames(new GeneralName[] {
              new GeneralName(GeneralName.iPAddress, "127.0.0.1"), new GeneralName(GeneralName.dNSName, "localhost")})));
      // Strimzi keeps the CA of client certificates apart from the cluster CA (<cluster>-clients-ca-cert)
      final Ca clients = pki.root(CertSpec.ca("CN=clients-ca v0,O=io.strimzi").keyType(KeyType.EC_P256));
      final Path dir = Files.createTempDirectory("sigstream-kafka-tls-");
      final String password = password();
      final Path p12 = Files.write(dir.resolve("broker.p12"), Pem.pkcs12(broker, "broker", password.toCharArray()));
      final Path clientsPem = Files.writeString(dir.resolve("clients-ca.crt"), Pem.certificate(clients.certificate()));
      return new ClusterTls(dir, p12, password, Pem.certificate(ca.certificate()), clients, clientsPem);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write the test broker's key store", e);
    }
  }

  private static String password() {
    final byte[] secret = new byte[12];
    new SecureRandom().nextBytes(secret);
    return HexFormat.of().formatHex(secret);
  }

  Path clientsCaPem() {
    return clientsCaPem;
  }

  /**
   * Writes into {@code secretDir} what the Strimzi User Operator puts in the Secret of a KafkaUser with
   * {@code authentication: tls}: {@code user.crt}, {@code user.key} (PEM), {@code user.p12} and
   * {@code user.password}, {@code ca.crt} (the clients CA). The certificate's CN is {@code user}.
   */
  void writeUserSecret(final String user, final Path secretDir) {
    final Issued cert = clientsCa.leaf(CertSpec.leaf("CN=" + user).keyType(KeyType.EC_P256).ekuOids(CLIENT_AUTH)
        .noRevocationInfo());
    final String p12Password = password();
    try {
      Files.createDirectories(secretDir);
      Files.writeString(secretDir.resolve("user.crt"), Pem.certificate(cert.certificate()));
      Files.writeString(secretDir.resolve("user.key"), Pem.privateKey(cert.privateKey()));
      Files.write(secretDir.resolve("user.p12"), Pem.pkcs12(cert, user, p12Password.toCharArray()));
      Files.writeString(secretDir.resolve("user.password"), p12Password);
      Files.writeString(secretDir.resolve("ca.crt"), Pem.certificate(clientsCa.certificate()));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write the TLS user secret of " + user, e);
    }
  }

  Path keyStore() {
    return keyStore;
  }

  String keyStorePassword() {
    return password;
  }

  String caCertificatePem() {
    return caPem;
  }

  @Override
  public void close() {
    try (Stream<Path> walk = Files.walk(dir)) {
      walk.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException e) {
      // a temporary directory: left for the OS to clean
    }
  }
}
