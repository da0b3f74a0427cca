package dev.sigstream.notary.sign;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sigstream.notary.Fixtures;
import dev.sigstream.notary.NotaryVerifier;
import dev.sigstream.notary.SignatureCandidate;
import dev.sigstream.notary.TargetDescriptor;
import dev.sigstream.notary.truststore.TrustStore;
import dev.sigstream.notary.truststore.TrustStoreType;
import dev.sigstream.testing.pki.CertSpec;
import dev.sigstream.testing.pki.Issued;
import dev.sigstream.testing.pki.KeyType;
import dev.sigstream.testing.pki.TestPki;
import java.io.OutputStream;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.util.List;
import java.util.Map;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SigningKeysTest {

  static final TestPki PKI = TestPki.start(Fixtures.CLOCK);
  static final dev.sigstream.testing.pki.Ca ROOT = PKI.root("CN=K Root,O=Sigstream,C=US", KeyType.EC_P256);
  static final TargetDescriptor TARGET = new TargetDescriptor("application/vnd.oci.image.manifest.v1+json",
      "sha256:" + "31".repeat(32), 5);

  @AfterAll
  static void close() {
    PKI.close();
  }

  @TempDir
  Path dir;

  static boolean verifies(final SigningKey key) throws Exception {
    final SignedEnvelope e = NotarySigner.create(key, Fixtures.CLOCK, null, null).sign(SignRequest.of(TARGET, EnvelopeFormat.JWS));
    final NotaryVerifier v = Fixtures.verifier(Fixtures.policy("*", "strict", null, "[\"ca:k\"]", "[\"*\"]", null),
        TrustStore.of(Map.of(TrustStoreType.CA, Map.of("k", List.of(ROOT.certificate()))))).build();
    return v.verify("r.io/a@" + TARGET.digest(), TARGET, List.of(new SignatureCandidate(e.mediaType(), e.envelope())),
        Map.of()).passed();
  }

  @Test
  void pkcs12_roundTrip() throws Exception {
    final Issued leaf = ROOT.leaf(CertSpec.leaf("CN=p12,O=S,ST=WA,C=US").keyType(KeyType.RSA_2048));
    final KeyStore ks = KeyStore.getInstance("PKCS12");
    ks.load(null, null);
    ks.setKeyEntry("signer", leaf.privateKey(), "pw".toCharArray(), leaf.chain().toArray(new Certificate[0]));
    final Path p12 = dir.resolve("k.p12");
    try (OutputStream out = Files.newOutputStream(p12)) {
      ks.store(out, "pw".toCharArray());
    }
    final LocalSigningKey key = SigningKeys.fromPkcs12(p12, "pw".toCharArray(), null);
    assertThat(key.certificateChain()).hasSize(2);
    assertThat(verifies(key)).isTrue();
  }

  @Test
  void pem_roundTrip() throws Exception {
    final Issued leaf = ROOT.leaf(CertSpec.leaf("CN=pem,O=S,ST=WA,C=US").keyType(KeyType.EC_P384));
    final StringWriter keyPem = new StringWriter();
    try (JcaPEMWriter w = new JcaPEMWriter(keyPem)) {
      w.writeObject(new org.bouncycastle.openssl.jcajce.JcaPKCS8Generator(leaf.privateKey(), null));
    }
    final StringWriter chainPem = new StringWriter();
    try (JcaPEMWriter w = new JcaPEMWriter(chainPem)) {
      for (final var c : leaf.chain()) {
        w.writeObject(c);
      }
    }
    Files.writeString(dir.resolve("k.pem"), keyPem.toString());
    Files.writeString(dir.resolve("chain.pem"), chainPem.toString());
    final LocalSigningKey key = SigningKeys.fromPem(dir.resolve("k.pem"), dir.resolve("chain.pem"), null);
    assertThat(verifies(key)).isTrue();
  }

  @Test
  void encryptedPkcs8Pem_asOpensslWritesIt_decryptsWithThePassword() throws Exception {
    final Issued leaf = ROOT.leaf(CertSpec.leaf("CN=enc,O=S,ST=WA,C=US").keyType(KeyType.EC_P256));
    final StringWriter keyPem = new StringWriter();
    try (JcaPEMWriter w = new JcaPEMWriter(keyPem)) {
      // openssl pkcs8 -topk8 -v2 aes-256-cbc: PBES2 with PBKDF2 and AES-256-CBC.
      w.writeObject(new org.bouncycastle.openssl.jcajce.JcaPKCS8Generator(leaf.privateKey(),
          new org.bouncycastle.openssl.jcajce.JceOpenSSLPKCS8EncryptorBuilder(
              org.bouncycastle.openssl.PKCS8Generator.AES_256_CBC).setProvider(new org.bouncycastle.jce.provider
              .BouncyCastleProvider()).setPassword("pw".toCharArray()).build()));
    }
    final StringWriter chainPem = new StringWriter();
    try (JcaPEMWriter w = new JcaPEMWriter(chainPem)) {
      for (final var c : leaf.chain()) {
        w.writeObject(c);
      }
    }
    Files.writeString(dir.resolve("enc.pem"), keyPem.toString());
    Files.writeString(dir.resolve("enc-chain.pem"), chainPem.toString());
    assertThat(keyPem.toString()).contains("ENCRYPTED PRIVATE KEY");
    final LocalSigningKey key = SigningKeys.fromPem(dir.resolve("enc.pem"), dir.resolve("enc-chain.pem"),
        "pw".toCharArray());
    assertThat(verifies(key)).isTrue();
  }
}
