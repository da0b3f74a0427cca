package dev.sigstream.signing.azure;

import java.math.BigInteger;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.interfaces.ECPrivateKey;
import java.security.spec.MGF1ParameterSpec;
import java.security.spec.PSSParameterSpec;
import org.bouncycastle.asn1.ASN1Integer;
import org.bouncycastle.asn1.ASN1Sequence;
import org.bouncycastle.jce.provider.BouncyCastleProvider;

/** What a KMS does with a digest: RSASSA-PSS or ECDSA ({@code R||S}) over the bytes given, without hashing them. */
public final class DigestSigner {

  private static final BouncyCastleProvider BC = new BouncyCastleProvider();

  private DigestSigner() {}

  public static byte[] sign(final PrivateKey key, final String alg, final byte[] digest) throws Exception {
    if (alg.startsWith("PS")) {
      final String hash = "SHA-" + alg.substring(2);
      // BouncyCastle's raw PSS takes the digest itself as input.
      final Signature s = Signature.getInstance("RAWRSASSA-PSS", BC);
      s.setParameter(new PSSParameterSpec(hash, "MGF1", new MGF1ParameterSpec(hash), digest.length, 1));
      s.initSign(key);
      s.update(digest);
      return s.sign();
    }
    final Signature s = Signature.getInstance("NONEwithECDSA");
    s.initSign(key);
    s.update(digest);
    final ASN1Sequence seq = ASN1Sequence.getInstance(s.sign());
    final int len = (((ECPrivateKey) key).getParams().getCurve().getField().getFieldSize() + 7) / 8;
    final byte[] out = new byte[2 * len];
    put(ASN1Integer.getInstance(seq.getObjectAt(0)).getValue(), out, 0, len);
    put(ASN1Integer.getInstance(seq.getObjectAt(1)).getValue(), out, len, len);
    return out;
  }

  static void put(final BigInteger v, final byte[] out, final int off, final int len) {
    final byte[] b = v.toByteArray();
    final int skip = b.length > len ? b.length - len : 0;
    System.arraycopy(b, skip, out, off + len - (b.length - skip), b.length - skip);
  }

  /** Unsigned big-endian, left-padded to {@code len} bytes. */
  static byte[] fixed(final BigInteger v, final int len) {
    final byte[] out = new byte[len];
    put(v, out, 0, len);
    return out;
  }
}
