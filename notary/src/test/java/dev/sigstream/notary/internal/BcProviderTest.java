package dev.sigstream.notary.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PublicKey;
import java.security.Signature;
import java.security.spec.ECGenParameterSpec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** {@link BcProvider#key}: the same public key as BouncyCastle's own, accepting exactly the signatures it did. */
class BcProviderTest {

  private static final byte[] DATA = "signed bytes".getBytes(StandardCharsets.UTF_8);

  @ParameterizedTest
  @ValueSource(strings = {"secp256r1", "secp384r1", "secp521r1"})
  void ecKey_isBouncyCastlesOwn_andVerifiesWhatTheJdkKeyVerifies(final String curve) throws Exception {
    final KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
    g.initialize(new ECGenParameterSpec(curve));
    final KeyPair kp = g.generateKeyPair();
    final Signature signer = Signature.getInstance("SHA256withECDSA");
    signer.initSign(kp.getPrivate());
    signer.update(DATA);
    final byte[] sig = signer.sign();

    final PublicKey bc = BcProvider.key(kp.getPublic());
    assertThat(bc).isNotSameAs(kp.getPublic());
    assertThat(bc.getClass().getName()).startsWith("org.bouncycastle.");
    assertThat(bc.getEncoded()).isEqualTo(kp.getPublic().getEncoded());
    assertThat(verifies(bc, DATA, sig)).isTrue();
    assertThat(verifies(kp.getPublic(), DATA, sig)).isTrue();

    final byte[] other = DATA.clone();
    other[0] ^= 1;
    assertThat(verifies(bc, other, sig)).isFalse();
    assertThat(verifies(kp.getPublic(), other, sig)).isFalse();

    final KeyPair stranger = g.generateKeyPair();
    assertThat(verifies(BcProvider.key(stranger.getPublic()), DATA, sig)).isFalse();
  }

  @Test
  void otherKeys_areReturnedAsTheyAre() throws Exception {
    final KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
    g.initialize(2048);
    final PublicKey rsa = g.generateKeyPair().getPublic();
    assertThat(BcProvider.key(rsa)).isSameAs(rsa);
  }

  private static boolean verifies(final PublicKey key, final byte[] data, final byte[] sig) throws Exception {
    final Signature v = Signature.getInstance("SHA256withECDSA", BcProvider.get());
    v.initVerify(key);
    v.update(data);
    return v.verify(sig);
  }
}
