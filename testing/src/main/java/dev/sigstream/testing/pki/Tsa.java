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
import org.bouncycastle.asn1.ASN1EncodableVector;
import org.bouncycastle.asn1.ASN1Encoding;
import org.bouncycastle.asn1.ASN1GeneralizedTime;
import org.bouncycastle.asn1.ASN1Integer;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.DERNull;
import org.bouncycastle.asn1.DERSet;
import org.bouncycastle.asn1.cmp.PKIFailureInfo;
import org.bouncycastle.asn1.cmp.PKIFreeText;
import org.bouncycastle.asn1.cmp.PKIStatus;
import org.bouncycastle.asn1.cmp.PKIStatusInfo;
import org.bouncycastle.asn1.cms.Attribute;
import org.bouncycastle.asn1.cms.AttributeTable;
import org.bouncycastle.asn1.cms.CMSAttributes;
import org.bouncycastle.asn1.cms.ContentInfo;
import org.bouncycastle.asn1.ess.ESSCertID;
import org.bouncycastle.asn1.ess.ESSCertIDv2;
import org.bouncycastle.asn1.ess.SigningCertificate;
import org.bouncycastle.asn1.ess.SigningCertificateV2;
import org.bouncycastle.asn1.pkcs.PKCSObjectIdentifiers;
import org.bouncycastle.asn1.tsp.Accuracy;
import org.bouncycastle.asn1.tsp.MessageImprint;
import org.bouncycastle.asn1.tsp.TSTInfo;
import org.bouncycastle.asn1.tsp.TimeStampResp;
import org.bouncycastle.asn1.x509.AlgorithmIdentifier;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.IssuerSerial;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaCertStore;
import org.bouncycastle.cert.jcajce.JcaX509CertificateHolder;
import org.bouncycastle.cms.CMSAttributeTableGenerator;
import org.bouncycastle.cms.CMSProcessableByteArray;
import org.bouncycastle.cms.CMSSignedData;
import org.bouncycastle.cms.CMSSignedDataGenerator;
import org.bouncycastle.cms.DefaultSignedAttributeTableGenerator;
import org.bouncycastle.cms.SignerInfoGenerator;
import org.bouncycastle.cms.jcajce.JcaSignerInfoGeneratorBuilder;
import org.bouncycastle.operator.ContentSigner;
import org.bouncycastle.operator.DefaultDigestAlgorithmIdentifierFinder;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.operator.jcajce.JcaDigestCalculatorProviderBuilder;
import org.bouncycastle.tsp.TimeStampRequest;

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
    MALFORMED,
    /** HTTP 200 with a 2 MiB body (exercises client size caps). */
    OVERSIZED
  }

  private static final AtomicLong SERIALS = new AtomicLong(1);
  private static final SecureRandom RANDOM = new SecureRandom();

  private final TestPki pki;
  private final String id;
  private final Ca ca;
  private final Ca rootCa;
  private final Issued leaf;
  private final TsaSpec spec;
  private final AtomicInteger requests = new AtomicInteger();
  private volatile Behaviour behaviour = Behaviour.NORMAL;
  private volatile Clock genTimeClock;

  Tsa(final TestPki pki, final String id, final TsaSpec spec) {
    this.pki = pki;
    this.id = id;
    this.spec = spec;
    this.rootCa = pki.root(spec.rootCustomizer.apply(CertSpec.ca(spec.rootDn).keyType(spec.keyType)));
    final Ca root = rootCa;
    this.ca = spec.intermediate
        ? root.intermediate(CertSpec.ca(spec.tsaDn.replaceFirst("CN=", "CN=CA for ")).keyType(spec.keyType))
        : root;
    this.leaf = ca.leaf(spec.leafCustomizer.apply(CertSpec.timestamping(spec.tsaDn).keyType(spec.keyType)));
    this.genTimeClock = spec.genTimeClock;
  }

  /**
   * The CA that issued the TSA certificate (the root, or the intermediate with {@link TsaSpec#withIntermediate}); use
   * it to revoke the TSA certificate or change its OCSP/CRL behaviour.
   */
  public Ca ca() {
    return ca;
  }

  /** The TSA root CA (the same as {@link #ca()} unless there is an intermediate). */
  public Ca rootCa() {
    return rootCa;
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
    return ca.root();
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
      return token(digestId(hashAlgorithm), imprint, new BigInteger(63, RANDOM), spec.includeCertificates)
          .getEncoded(ASN1Encoding.DER);
    } catch (IOException e) {
      throw new IllegalStateException("cannot encode timestamp token", e);
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
    final TimeStampRequest req;
    try {
      req = new TimeStampRequest(body);
    } catch (IOException | IllegalArgumentException e) {
      return rejection("malformed request");
    }
    return switch (b) {
      case DOWN -> null;
      case MALFORMED -> new byte[] {0x30, 0x03, 0x02, 0x01};
      case OVERSIZED -> new byte[2 << 20];
      case REJECT -> rejection("rejected by test");
      case WRONG_NONCE -> granted(req.getMessageImprintAlgOID(), req.getMessageImprintDigest(),
          req.getNonce() == null ? BigInteger.ONE : req.getNonce().add(BigInteger.ONE), req.getCertReq());
      case WRONG_IMPRINT -> {
        final byte[] other = req.getMessageImprintDigest().clone();
        other[0] ^= 1;
        yield granted(req.getMessageImprintAlgOID(), other, req.getNonce(), req.getCertReq());
      }
      case NORMAL -> granted(req.getMessageImprintAlgOID(), req.getMessageImprintDigest(), req.getNonce(),
          req.getCertReq());
    };
  }

  private byte[] granted(final ASN1ObjectIdentifier hashOid, final byte[] imprint, final BigInteger nonce,
      final boolean certReq) throws IOException {
    final ContentInfo token = token(hashOid, imprint, nonce, certReq && spec.includeCertificates);
    return new TimeStampResp(new PKIStatusInfo(PKIStatus.granted), token).getEncoded(ASN1Encoding.DER);
  }

  private static byte[] rejection(final String why) throws IOException {
    return new TimeStampResp(new PKIStatusInfo(PKIStatus.rejection, new PKIFreeText(why),
        new PKIFailureInfo(PKIFailureInfo.badRequest)), null).getEncoded(ASN1Encoding.DER);
  }

  /** Assembles a TimeStampToken (CMS SignedData over TSTInfo) exactly as the spec configures. */
  private ContentInfo token(final ASN1ObjectIdentifier hashOid, final byte[] imprint, final BigInteger nonce,
      final boolean withCerts) {
    try {
      final Accuracy accuracy = accuracy(spec.accuracy);
      final TSTInfo tst = new TSTInfo(new ASN1ObjectIdentifier(spec.policy),
          new MessageImprint(new AlgorithmIdentifier(hashOid, DERNull.INSTANCE), imprint),
          new ASN1Integer(SERIALS.incrementAndGet()), new ASN1GeneralizedTime(genTime()), accuracy, null,
          nonce == null ? null : new ASN1Integer(nonce), null, null);
      final X509Certificate cert = leaf.certificate();
      final X509CertificateHolder holder = new JcaX509CertificateHolder(cert);
      final IssuerSerial issuerSerial = new IssuerSerial(new GeneralNames(new GeneralName(holder.getIssuer())),
          holder.getSerialNumber());
      final ASN1EncodableVector attrs = new ASN1EncodableVector();
      switch (spec.ess) {
        case V2 -> attrs.add(essV2("SHA-256", cert.getEncoded(), issuerSerial));
        case V2_WITHOUT_ISSUER_SERIAL -> attrs.add(essV2("SHA-256", cert.getEncoded(), null));
        case V2_SHA1_HASH -> attrs.add(essV2("SHA-1", cert.getEncoded(), issuerSerial));
        case V2_WRONG_HASH -> attrs.add(essV2("SHA-256", "not the certificate".getBytes(), issuerSerial));
        case V1_ONLY -> attrs.add(new Attribute(PKCSObjectIdentifiers.id_aa_signingCertificate, new DERSet(
            new SigningCertificate(new ESSCertID(MessageDigest.getInstance("SHA-1").digest(cert.getEncoded()),
                issuerSerial)))));
        case NONE -> { }
      }
      final AttributeTable extra = new AttributeTable(attrs);
      // Default signed attributes (contentType, messageDigest, CMSAlgorithmProtection) plus ESS, minus signingTime:
      // the TSA's time is genTime, and a wall-clock signingTime would make tokens depend on the real clock.
      final CMSAttributeTableGenerator signedAttrs = params ->
          new DefaultSignedAttributeTableGenerator(extra).getAttributes(params).remove(CMSAttributes.signingTime);
      final String sigAlg = spec.tokenDigest.replace("-", "") + "with"
          + (spec.keyType.algorithm().equals("EC") ? "ECDSA" : "RSA");
      final ContentSigner signer = new JcaContentSignerBuilder(sigAlg).setProvider(TestPki.BC)
          .build(leaf.privateKey());
      final SignerInfoGenerator sig = new JcaSignerInfoGeneratorBuilder(
          new JcaDigestCalculatorProviderBuilder().build())
          .setSignedAttributeGenerator(signedAttrs)
          .build(signer, holder);
      final CMSSignedDataGenerator g = new CMSSignedDataGenerator();
      g.addSignerInfoGenerator(sig);
      if (withCerts) {
        g.addCertificates(new JcaCertStore(leaf.chain()));
      }
      final CMSSignedData sd = g.generate(
          new CMSProcessableByteArray(PKCSObjectIdentifiers.id_ct_TSTInfo, tstInfoBytes(tst)), true);
      return sd.toASN1Structure();
    } catch (Exception e) {
      throw new IllegalStateException("cannot build timestamp token: " + e.getMessage(), e);
    }
  }

  private byte[] tstInfoBytes(final TSTInfo tst) throws IOException {
    if (spec.tstInfoVersion == 1) {
      return tst.getEncoded(ASN1Encoding.DER);
    }
    // BouncyCastle always writes version 1; swap the first element to produce the invalid variant.
    final org.bouncycastle.asn1.ASN1Sequence seq = org.bouncycastle.asn1.ASN1Sequence.getInstance(tst);
    final ASN1EncodableVector v = new ASN1EncodableVector();
    v.add(new ASN1Integer(spec.tstInfoVersion));
    for (int i = 1; i < seq.size(); i++) {
      v.add(seq.getObjectAt(i));
    }
    return new org.bouncycastle.asn1.DERSequence(v).getEncoded(ASN1Encoding.DER);
  }

  private static Attribute essV2(final String hash, final byte[] certDer, final IssuerSerial issuerSerial)
      throws NoSuchAlgorithmException {
    final byte[] h = MessageDigest.getInstance(hash).digest(certDer);
    final AlgorithmIdentifier alg = new DefaultDigestAlgorithmIdentifierFinder().find(hash);
    // SHA-256 is the DEFAULT of ESSCertIDv2.hashAlgorithm and must then be omitted (DER).
    final ESSCertIDv2 id = "SHA-256".equals(hash) ? new ESSCertIDv2(h, issuerSerial)
        : new ESSCertIDv2(alg, h, issuerSerial);
    return new Attribute(PKCSObjectIdentifiers.id_aa_signingCertificateV2,
        new DERSet(new SigningCertificateV2(new ESSCertIDv2[] {id})));
  }

  private static Accuracy accuracy(final Duration d) {
    if (d == null) {
      return null;
    }
    final long ms = d.toMillis();
    final ASN1Integer seconds = ms / 1000 > 0 ? new ASN1Integer(ms / 1000) : null;
    final ASN1Integer millis = ms % 1000 > 0 ? new ASN1Integer(ms % 1000) : null;
    if (seconds == null && millis == null) {
      return new Accuracy(null, null, new ASN1Integer(1)); // "zero" is not encodable; 1 µs is the least.
    }
    return new Accuracy(seconds, millis, null);
  }

  private Date genTime() {
    final Clock c = genTimeClock != null ? genTimeClock : pki.clock();
    return Date.from(c.instant());
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
