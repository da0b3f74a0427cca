package dev.sigstream.notary.truststore;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sigstream.notary.Fixtures;
import dev.sigstream.notary.NotationConfig;
import dev.sigstream.testing.pki.Ca;
import dev.sigstream.testing.pki.CertSpec;
import dev.sigstream.testing.pki.KeyType;
import dev.sigstream.testing.pki.TestPki;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.util.Base64;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TrustStoreTest {

  static final TestPki PKI = TestPki.start(Fixtures.CLOCK);
  static final Ca ROOT = PKI.root("CN=TS Root,O=Sigstream,C=US", KeyType.EC_P256);
  static final Ca INTERMEDIATE = ROOT.intermediate("CN=TS CA,O=Sigstream,C=US", KeyType.EC_P256);
  static final X509Certificate LEAF = INTERMEDIATE.leaf(CertSpec.leaf("CN=l,O=S,ST=WA,C=US")).certificate();
  static final X509Certificate SELF_SIGNED_LEAF = PKI.selfSignedLeaf(CertSpec.leaf("CN=self,O=S,ST=WA,C=US")).certificate();

  @AfterAll
  static void close() {
    PKI.close();
  }

  @TempDir
  Path config;

  static String pem(final X509Certificate c) throws Exception {
    return "-----BEGIN CERTIFICATE-----\n" + Base64.getMimeEncoder().encodeToString(c.getEncoded())
        + "\n-----END CERTIFICATE-----\n";
  }

  Path store(final String type, final String name) throws Exception {
    return Files.createDirectories(config.resolve("truststore/x509/" + type + "/" + name));
  }

  @Test
  void loadsPemBundlesAndDer_perTypeAndName() throws Exception {
    Files.writeString(store("ca", "acme").resolve("bundle.pem"), "# comment\n" + pem(ROOT.certificate())
        + pem(INTERMEDIATE.certificate()));
    Files.write(store("ca", "acme").resolve("self.crt"), SELF_SIGNED_LEAF.getEncoded());
    Files.write(store("tsa", "ts").resolve("root.cer"), ROOT.certificate().getEncoded());
    Files.writeString(store("signingAuthority", "sa").resolve("r.pem"), pem(ROOT.certificate()));
    final TrustStore s = TrustStore.load(config);
    assertThat(s.get(TrustStoreType.CA, "acme")).get().isInstanceOfSatisfying(TrustStore.Entry.Loaded.class,
        l -> assertThat(l.certificates()).hasSize(3));
    assertThat(s.get(TrustStoreType.TSA, "ts")).get().isInstanceOf(TrustStore.Entry.Loaded.class);
    assertThat(s.get(TrustStoreType.SIGNING_AUTHORITY, "sa")).get().isInstanceOf(TrustStore.Entry.Loaded.class);
    assertThat(s.get(TrustStoreType.CA, "absent")).isEmpty();
  }

  @Test
  void storeRules_makeAStoreInvalid() throws Exception {
    Files.writeString(store("ca", "leafy").resolve("leaf.pem"), pem(LEAF)); // non-CA, not self-signed
    Files.writeString(store("tsa", "inter").resolve("i.pem"), pem(INTERMEDIATE.certificate())); // not a root
    store("ca", "empty");
    Files.writeString(store("ca", "garbage").resolve("x.pem"), "-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n");
    Files.createDirectories(store("ca", "nested").resolve("sub"));
    Files.writeString(store("ca", "nested").resolve("r.pem"), pem(ROOT.certificate()));
    final TrustStore s = TrustStore.load(config);
    for (final var e : Map.of(TrustStoreType.CA, new String[] {"leafy", "empty", "garbage", "nested"},
        TrustStoreType.TSA, new String[] {"inter"}).entrySet()) {
      for (final String name : e.getValue()) {
        assertThat(s.get(e.getKey(), name)).as(name).get().isInstanceOf(TrustStore.Entry.Invalid.class);
      }
    }
  }

  @Test
  void symlinks_areRejected() throws Exception {
    final Path real = Files.createDirectories(config.resolve("elsewhere"));
    Files.writeString(real.resolve("r.pem"), pem(ROOT.certificate()));
    Files.createDirectories(config.resolve("truststore/x509/ca"));
    Files.createSymbolicLink(config.resolve("truststore/x509/ca/linked"), real);
    Files.createSymbolicLink(store("ca", "filelink").resolve("r.pem"), real.resolve("r.pem"));
    final TrustStore s = TrustStore.load(config);
    assertThat(s.get(TrustStoreType.CA, "linked")).get().isInstanceOf(TrustStore.Entry.Invalid.class);
    assertThat(s.get(TrustStoreType.CA, "filelink")).get().isInstanceOf(TrustStore.Entry.Invalid.class);
  }

  @Test
  void missingTruststoreDirectory_isEmpty() throws Exception {
    assertThat(TrustStore.load(config).names()).isEmpty();
  }

  @Test
  void notationConfig_location() throws Exception {
    final Path home = config.resolve("home");
    assertThat(NotationConfig.locate(Map.of("NOTATION_CONFIG", "/etc/n"), home).directory()).isEqualTo(Path.of("/etc/n"));
    assertThat(NotationConfig.locate(Map.of("XDG_CONFIG_HOME", "/x"), home).directory()).isEqualTo(Path.of("/x/notation"));
    assertThat(NotationConfig.locate(Map.of(), home).directory()).isEqualTo(home.resolve(".config/notation"));
    final NotationConfig c = NotationConfig.at(config);
    assertThat(c.ociTrustPolicy()).isEmpty();
    Files.writeString(config.resolve("trustpolicy.json"), "{}");
    assertThat(c.ociTrustPolicy()).contains(config.resolve("trustpolicy.json"));
    Files.writeString(config.resolve("trustpolicy.oci.json"), "{}");
    assertThat(c.ociTrustPolicy()).contains(config.resolve("trustpolicy.oci.json"));
  }
}
