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
 * localhost) in a PKCS#12 key store under a temporary directory, deleted by {@link #close()}. EC P-256 keys: cheap to
 * make, and what TLS 1.3 negotiates anyway.
 */
final class ClusterTls implements AutoCloseable {

  private final Path dir;
  private final Path keyStore;
  private final String password;
  private final String caPem;

  private ClusterTls(final Path dir, final Path keyStore, final String password, final String caPem) {
    this.dir = dir;
    this.keyStore = keyStore;
    this.password = password;
    this.caPem = caPem;
  }

  static ClusterTls create() {
    try (TestPki pki = TestPki.offline(Clock.systemUTC())) {
      final Ca ca = pki.root(CertSpec.ca("CN=cluster-ca v0,O=io.strimzi").keyType(KeyType.EC_P256));
      final Issued broker = ca.leaf(CertSpec.leaf("CN=sigstream-kafka,O=io.strimzi").keyType(KeyType.EC_P256)
          .eku(CertSpec.Eku.SERVER_AUTH).keyUsage(KeyUsage.digitalSignature | KeyUsage.keyEncipherment)
          .noRevocationInfo()
          .extension(Extension.subjectAlternativeName.getId(), false, new GeneralNames(new GeneralName[] {
              new GeneralName(GeneralName.iPAddress, "127.0.0.1"), new GeneralName(GeneralName.dNSName, "localhost")})));
      final Path dir = Files.createTempDirectory("sigstream-kafka-tls-");
      final byte[] secret = new byte[12];
      new SecureRandom().nextBytes(secret);
      final String password = HexFormat.of().formatHex(secret);
      final Path p12 = Files.write(dir.resolve("broker.p12"), Pem.pkcs12(broker, "broker", password.toCharArray()));
      return new ClusterTls(dir, p12, password, Pem.certificate(ca.certificate()));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write the test broker's key store", e);
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
