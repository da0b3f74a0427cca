package dev.sigstream.testing.pki;

import java.io.IOException;
import java.math.BigInteger;
import java.net.URI;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.util.Date;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.x509.AlgorithmIdentifier;
import org.bouncycastle.cert.jcajce.JcaCertStore;
import org.bouncycastle.cms.SignerInfoGenerator;
import org.bouncycastle.cms.jcajce.JcaSimpleSignerInfoGeneratorBuilder;
import org.bouncycastle.operator.DefaultDigestAlgorithmIdentifierFinder;
import org.bouncycastle.operator.DigestCalculator;
import org.bouncycastle.operator.jcajce.JcaDigestCalculatorProviderBuilder;
import org.bouncycastle.tsp.TSPAlgorithms;
import org.bouncycastle.tsp.TimeStampRequest;
import org.bouncycastle.tsp.TimeStampRequestGenerator;
import org.bouncycastle.tsp.TimeStampResponse;
import org.bouncycastle.tsp.TimeStampResponseGenerator;
import org.bouncycastle.tsp.TimeStampToken;
import org.bouncycastle.tsp.TimeStampTokenGenerator;

/**
 * An RFC 3161 timestamp authority of the {@link TestPki}: its own root CA ({@link #ca()}) and a TSA leaf with a
 * critical timeStamping-only EKU. It answers {@code application/timestamp-query} POSTs at {@link #url()} and also
 * stamps in-process with {@link #timestamp(byte[], String)} for unit tests. Tokens carry ESS signing-certificate-v2
 * (SHA-256) unless configured otherwise, and include the TSA leaf and root when the request sets certReq.
 */
public final class Tsa {

  /** How the HTTP endpoint answers (the in-process {@link #timestamp} is unaffected). */
  public enum Behaviour {
    NORMAL,
    /** HTTP 503. */
    DOWN,
    /** A well-formed rejection (PKIStatus rejection). */
    REJECT,
    /** A granted token whose nonce differs from the request's. */
    WRONG_NONCE,
    /** A granted token over a different message imprint. */
    WRONG_IMPRINT,
    /** HTTP 200 with bytes that are not a TimeStampResp. */
    MALFORMED
  }

  private static final AtomicLong SERIALS = new AtomicLong(1);
  private static final SecureRandom RANDOM = new SecureRandom();

  private final TestPki pki;
  private final String id;
  private final Ca ca;
  private final Issued leaf;
  private final TsaSpec spec;
  private final AtomicInteger requests = new AtomicInteger();
  private volatile Behaviour behaviour = Behaviour.NORMAL;
  private volatile Clock genTimeClock;

  Tsa(final TestPki pki, final String id, final TsaSpec spec) {
    this.pki = pki;
    this.id = id;
    this.spec = spec;
    this.ca = pki.root(spec.rootDn, spec.keyType);
    this.leaf = ca.leaf(spec.leafCustomizer.apply(CertSpec.timestamping(spec.tsaDn).keyType(spec.keyType)));
    this.genTimeClock = spec.genTimeClock;
  }

  /** The TSA's root CA; use it to revoke the TSA certificate or change its OCSP/CRL behaviour. */
  public Ca ca() {
    return ca;
  }

  /** The TSA signing certificate, key and chain (leaf first). */
  public Issued tsaCertificate() {
    return leaf;
  }

  /** The TSA chain, TSA leaf first, root last. */
  public List<X509Certificate> chain() {
    return leaf.chain();
  }

  /** The root to put in a Notary {@code tsa} trust store. */
  public X509Certificate rootCertificate() {
    return ca.certificate();
  }

  /** Where to POST RFC 3161 requests. */
  public URI url() {
    return pki.baseUrl().resolve("/tsa/" + id);
  }

  public int requestCount() {
    return requests.get();
  }

  public void behaviour(final Behaviour b) {
    this.behaviour = b;
  }

  /** Replaces the clock that supplies genTime (null = the PKI clock). */
  public void genTimeClock(final Clock clock) {
    this.genTimeClock = clock;
  }

  /**
   * Stamps a message imprint in-process (certReq=true, random nonce) and returns the DER {@code TimeStampToken}
   * (a CMS ContentInfo), as found in an envelope's {@code io.cncf.notary.timestampSignature}.
   *
   * @param imprint the hash of the data (for Notary: of the raw signature bytes)
   * @param hashAlgorithm JCA name of the hash that produced {@code imprint}: SHA-256, SHA-384 or SHA-512
   */
  public byte[] timestamp(final byte[] imprint, final String hashAlgorithm) {
    try {
      final TimeStampRequestGenerator g = new TimeStampRequestGenerator();
      g.setCertReq(true);
      final TimeStampRequest req = g.generate(digestId(hashAlgorithm), imprint, new BigInteger(63, RANDOM));
      return generate(req).getEncoded();
    } catch (Exception e) {
      throw new IllegalStateException("cannot timestamp: " + e.getMessage(), e);
    }
  }

  /** Hashes {@code data} with {@code hashAlgorithm} and stamps the result. */
  public byte[] timestampData(final byte[] data, final String hashAlgorithm) {
    try {
      return timestamp(MessageDigest.getInstance(hashAlgorithm).digest(data), hashAlgorithm);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalArgumentException(e);
    }
  }

  /** Handles one HTTP request body; returns the DER TimeStampResp, or null for "HTTP 503". */
  byte[] respond(final byte[] body) throws IOException {
    requests.incrementAndGet();
    final Behaviour b = behaviour;
    try {
      final TimeStampRequest req;
      try {
        req = new TimeStampRequest(body);
      } catch (IOException | IllegalArgumentException e) {
        return responseGenerator().generateRejectedResponse(e).getEncoded();
      }
      return switch (b) {
        case DOWN -> null;
        case MALFORMED -> new byte[] {0x30, 0x03, 0x02, 0x01};
        case REJECT -> responseGenerator().generateRejectedResponse(new Exception("rejected by test")).getEncoded();
        case WRONG_NONCE -> grant(rebuild(req, req.getMessageImprintDigest(),
            req.getNonce() == null ? BigInteger.ONE : req.getNonce().add(BigInteger.ONE)));
        case WRONG_IMPRINT -> {
          final byte[] other = req.getMessageImprintDigest().clone();
          other[0] ^= 1;
          yield grant(rebuild(req, other, req.getNonce()));
        }
        case NORMAL -> grant(req);
      };
    } catch (org.bouncycastle.tsp.TSPException e) {
      throw new IOException(e);
    }
  }

  private static TimeStampRequest rebuild(final TimeStampRequest req, final byte[] imprint, final BigInteger nonce) {
    final TimeStampRequestGenerator g = new TimeStampRequestGenerator();
    g.setCertReq(req.getCertReq());
    return nonce == null ? g.generate(req.getMessageImprintAlgOID(), imprint)
        : g.generate(req.getMessageImprintAlgOID(), imprint, nonce);
  }

  private byte[] grant(final TimeStampRequest req) throws IOException, org.bouncycastle.tsp.TSPException {
    final TimeStampResponse resp = responseGenerator()
        .generateGrantedResponse(req, BigInteger.valueOf(SERIALS.incrementAndGet()), genTime());
    return resp.getEncoded();
  }

  private TimeStampToken generate(final TimeStampRequest req) throws Exception {
    return tokenGenerator().generate(req, BigInteger.valueOf(SERIALS.incrementAndGet()), genTime());
  }

  private Date genTime() {
    final Clock c = genTimeClock != null ? genTimeClock : pki.clock();
    return Date.from(c.instant());
  }

  private TimeStampResponseGenerator responseGenerator() throws IOException {
    try {
      return new TimeStampResponseGenerator(tokenGenerator(), TSPAlgorithms.ALLOWED);
    } catch (Exception e) {
      throw new IOException(e);
    }
  }

  private TimeStampTokenGenerator tokenGenerator() throws Exception {
    final String sigAlg = spec.tokenDigest.replace("-", "") + "with"
        + (spec.keyType.algorithm().equals("EC") ? "ECDSA" : "RSA");
    final SignerInfoGenerator sig = new JcaSimpleSignerInfoGeneratorBuilder().setProvider(TestPki.BC)
        .build(sigAlg, leaf.privateKey(), leaf.certificate());
    // BouncyCastle writes ESS signing-certificate (v1) when the certificate digest is SHA-1, else v2.
    final AlgorithmIdentifier essAlg = new DefaultDigestAlgorithmIdentifierFinder()
        .find(spec.ess == TsaSpec.Ess.V1_ONLY ? "SHA-1" : "SHA-256");
    final DigestCalculator essDigest = new JcaDigestCalculatorProviderBuilder().build().get(essAlg);
    final TimeStampTokenGenerator gen = new TimeStampTokenGenerator(sig, essDigest,
        new ASN1ObjectIdentifier(spec.policy));
    gen.addCertificates(new JcaCertStore(leaf.chain()));
    if (spec.accuracy != null) {
      final long ms = spec.accuracy.toMillis();
      if (ms / 1000 > 0) {
        gen.setAccuracySeconds((int) (ms / 1000));
      }
      if (ms % 1000 > 0) {
        gen.setAccuracyMillis((int) (ms % 1000));
      }
    }
    return gen;
  }

  private static ASN1ObjectIdentifier digestId(final String hashAlgorithm) {
    return new DefaultDigestAlgorithmIdentifierFinder().find(hashAlgorithm).getAlgorithm();
  }

  String id() {
    return id;
  }

  @Override
  public String toString() {
    return "Tsa[" + url() + ", accuracy=" + Duration.ofMillis(spec.accuracy == null ? 0 : spec.accuracy.toMillis())
        + "]";
  }
}
