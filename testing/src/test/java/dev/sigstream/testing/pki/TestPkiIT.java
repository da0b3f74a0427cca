package dev.sigstream.testing.pki;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.math.BigInteger;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.security.MessageDigest;
import java.security.cert.CertPathValidator;
import java.security.cert.CertPathValidatorException;
import java.security.cert.CertificateFactory;
import java.security.cert.PKIXParameters;
import java.security.cert.TrustAnchor;
import java.security.cert.X509CRL;
import java.security.cert.X509CRLEntry;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.Date;
import java.util.List;
import java.util.Set;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateHolder;
import org.bouncycastle.cert.ocsp.BasicOCSPResp;
import org.bouncycastle.cert.ocsp.CertificateID;
import org.bouncycastle.cert.ocsp.CertificateStatus;
import org.bouncycastle.cert.ocsp.OCSPReqBuilder;
import org.bouncycastle.cert.ocsp.OCSPResp;
import org.bouncycastle.cert.ocsp.RevokedStatus;
import org.bouncycastle.cert.ocsp.SingleResp;
import org.bouncycastle.cert.ocsp.UnknownStatus;
import org.bouncycastle.cms.jcajce.JcaSimpleSignerInfoVerifierBuilder;
import org.bouncycastle.operator.jcajce.JcaContentVerifierProviderBuilder;
import org.bouncycastle.operator.jcajce.JcaDigestCalculatorProviderBuilder;
import org.bouncycastle.tsp.TimeStampRequestGenerator;
import org.bouncycastle.tsp.TimeStampResponse;
import org.bouncycastle.tsp.TimeStampToken;
import org.bouncycastle.asn1.cms.ContentInfo;
import org.bouncycastle.asn1.ASN1Primitive;
import org.bouncycastle.cms.CMSSignedData;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Self-tests of the test PKI (issue 2): issue a chain, revoke a certificate, answer OCSP, timestamp data. */
class TestPkiIT {

  static final Instant NOW = Instant.parse("2026-01-01T00:00:00Z");
  static final Clock CLOCK = Clock.fixed(NOW, ZoneOffset.UTC);

  static TestPki pki;
  static Ca root;
  static Ca ca;
  final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  @BeforeAll
  static void start() {
    pki = TestPki.start(CLOCK);
    root = pki.root("CN=Self-Test Root,O=Sigstream,C=US", KeyType.EC_P384);
    ca = root.intermediate("CN=Self-Test CA,O=Sigstream,C=US", KeyType.EC_P256);
  }

  @AfterAll
  static void stop() {
    pki.close();
  }

  @Test
  void issuedChain_validatesWithPkix() throws Exception {
    // Given
    final Issued leaf = ca.leaf(CertSpec.leaf("CN=signer,O=Sigstream,ST=WA,C=US").keyType(KeyType.RSA_2048));
    // When
    final PKIXParameters params = new PKIXParameters(Set.of(new TrustAnchor(root.certificate(), null)));
    params.setRevocationEnabled(false);
    params.setDate(Date.from(NOW));
    final var path = CertificateFactory.getInstance("X.509").generateCertPath(leaf.chain().subList(0, 2));
    CertPathValidator.getInstance("PKIX").validate(path, params);
    // Then
    assertThat(leaf.chain()).hasSize(3).first().isEqualTo(leaf.certificate());
    assertThat(leaf.root()).isEqualTo(root.certificate());
    assertThat(leaf.certificate().getExtendedKeyUsage()).containsExactly(KeyPurposeId.id_kp_codeSigning.getId());
    assertThat(leaf.certificate().getKeyUsage()[0]).isTrue();
    assertThat(leaf.certificate().getBasicConstraints()).isEqualTo(-1);
    assertThat(ca.certificate().getBasicConstraints()).isGreaterThanOrEqualTo(0);
    assertThat(leaf.certificate().getNotBefore().toInstant()).isBefore(NOW);
    assertThat(leaf.certificate().getExtensionValue(Extension.authorityInfoAccess.getId())).isNotNull();
    assertThat(root.certificate().getExtensionValue(Extension.cRLDistributionPoints.getId())).isNull();
  }

  @Test
  void pkixRejectsChain_whenLeafExpired() throws Exception {
    final Issued leaf = ca.leaf(CertSpec.leaf("CN=old,O=Sigstream,C=US")
        .validity(NOW.minus(Duration.ofDays(10)), NOW.minus(Duration.ofDays(1))));
    final PKIXParameters params = new PKIXParameters(Set.of(new TrustAnchor(root.certificate(), null)));
    params.setRevocationEnabled(false);
    params.setDate(Date.from(NOW));
    final var path = CertificateFactory.getInstance("X.509").generateCertPath(leaf.chain().subList(0, 2));
    assertThatThrownBy(() -> CertPathValidator.getInstance("PKIX").validate(path, params))
        .isInstanceOf(CertPathValidatorException.class);
  }

  @Test
  void specVariants_areReflectedInTheCertificate() throws Exception {
    final Issued tsa = ca.leaf(CertSpec.timestamping("CN=tsa,O=Sigstream,C=US"));
    final Issued sha1 = ca.leaf(CertSpec.leaf("CN=sha1,O=Sigstream,C=US").signatureAlgorithm("SHA1withECDSA")
        .eku(CertSpec.Eku.NONE).basicConstraints(CertSpec.Basic.ABSENT).noRevocationInfo());
    assertThat(tsa.certificate().getCriticalExtensionOIDs()).contains(Extension.extendedKeyUsage.getId());
    assertThat(tsa.certificate().getExtendedKeyUsage()).containsExactly(KeyPurposeId.id_kp_timeStamping.getId());
    assertThat(sha1.certificate().getSigAlgName()).containsIgnoringCase("SHA1");
    assertThat(sha1.certificate().getExtendedKeyUsage()).isNull();
    assertThat(sha1.certificate().getExtensionValue(Extension.basicConstraints.getId())).isNull();
    assertThat(sha1.certificate().getExtensionValue(Extension.authorityInfoAccess.getId())).isNull();
    sha1.certificate().verify(ca.certificate().getPublicKey());
  }

  @Test
  void crl_listsRevokedSerial_overHttp() throws Exception {
    // Given
    final Issued good = ca.leaf("CN=good,O=Sigstream,C=US");
    final Issued bad = ca.leaf("CN=bad,O=Sigstream,C=US");
    final Instant when = NOW.minus(Duration.ofHours(2));
    ca.revoke(bad.certificate(), when);
    // When
    final HttpResponse<byte[]> resp = http.send(HttpRequest.newBuilder(ca.crlUrl()).build(),
        HttpResponse.BodyHandlers.ofByteArray());
    // Then
    assertThat(resp.statusCode()).isEqualTo(200);
    final X509CRL crl = (X509CRL) CertificateFactory.getInstance("X.509")
        .generateCRL(new ByteArrayInputStream(resp.body()));
    crl.verify(ca.certificate().getPublicKey());
    final X509CRLEntry entry = crl.getRevokedCertificate(bad.certificate().getSerialNumber());
    assertThat(entry).isNotNull();
    assertThat(entry.getRevocationDate().toInstant()).isEqualTo(when);
    assertThat(crl.getRevokedCertificate(good.certificate().getSerialNumber())).isNull();
    assertThat(crl.getNextUpdate().toInstant()).isAfter(NOW);
    assertThat(crl.getThisUpdate().toInstant()).isEqualTo(NOW);
    assertThat(ca.crlRequestCount()).isPositive();
  }

  @Test
  void ocsp_answersGoodRevokedUnknown_overHttpPostAndGet() throws Exception {
    // Given
    final Issued good = ca.leaf("CN=ocsp-good,O=Sigstream,C=US");
    final Issued revoked = ca.leaf("CN=ocsp-revoked,O=Sigstream,C=US");
    final Issued unknown = ca.leaf("CN=ocsp-unknown,O=Sigstream,C=US");
    ca.revoke(revoked.certificate(), NOW.minusSeconds(60));
    ca.ocspBehaviour(unknown.certificate(), Ca.OcspBehaviour.UNKNOWN);
    final int before = ca.ocspRequestCount();
    // When / Then
    assertThat(ocspPost(good.certificate())).isSameAs(CertificateStatus.GOOD);
    assertThat(ocspPost(revoked.certificate())).isInstanceOf(RevokedStatus.class);
    assertThat(((RevokedStatus) ocspPost(revoked.certificate())).getRevocationTime().toInstant())
        .isEqualTo(NOW.minusSeconds(60));
    assertThat(ocspPost(unknown.certificate())).isInstanceOf(UnknownStatus.class);
    assertThat(ocspGet(revoked.certificate())).isInstanceOf(RevokedStatus.class);
    assertThat(ca.ocspRequestCount() - before).isEqualTo(5);
  }

  @Test
  void ocsp_responderDown_answers503() throws Exception {
    final Issued down = ca.leaf("CN=ocsp-down,O=Sigstream,C=US");
    ca.ocspBehaviour(down.certificate(), Ca.OcspBehaviour.DOWN);
    final HttpResponse<byte[]> r = http.send(HttpRequest.newBuilder(ca.ocspUrl())
        .POST(HttpRequest.BodyPublishers.ofByteArray(ocspRequest(down.certificate()))).build(),
        HttpResponse.BodyHandlers.ofByteArray());
    assertThat(r.statusCode()).isEqualTo(503);
  }

  @Test
  void ocsp_wrongKeySigner_producesSignatureThatDoesNotVerify() throws Exception {
    final Ca other = root.intermediate("CN=Wrong-Key CA,O=Sigstream,C=US", KeyType.EC_P256);
    final Issued leaf = other.leaf("CN=x,O=Sigstream,C=US");
    other.ocspSigner(Ca.OcspSigner.WRONG_KEY);
    final BasicOCSPResp basic = (BasicOCSPResp) new OCSPResp(other.ocspResponse(ocspRequest(leaf.certificate())))
        .getResponseObject();
    assertThat(basic.isSignatureValid(new JcaContentVerifierProviderBuilder().build(other.certificate()))).isFalse();
    other.ocspSigner(Ca.OcspSigner.ISSUER);
    final BasicOCSPResp ok = (BasicOCSPResp) new OCSPResp(other.ocspResponse(ocspRequest(leaf.certificate())))
        .getResponseObject();
    assertThat(ok.isSignatureValid(new JcaContentVerifierProviderBuilder().build(other.certificate()))).isTrue();
  }

  @Test
  void tsa_tokenVerifiesWithBouncyCastle_inProcessAndOverHttp() throws Exception {
    // Given
    final Tsa tsa = pki.tsa();
    final byte[] imprint = MessageDigest.getInstance("SHA-256").digest("signature bytes".getBytes());
    // When
    final TimeStampToken inProcess = new TimeStampToken(
        new CMSSignedData(ContentInfo.getInstance(ASN1Primitive.fromByteArray(tsa.timestamp(imprint, "SHA-256")))));
    final TimeStampRequestGenerator g = new TimeStampRequestGenerator();
    g.setCertReq(true);
    final var req = g.generate(new ASN1ObjectIdentifier("2.16.840.1.101.3.4.2.1"), imprint, BigInteger.TEN);
    final HttpResponse<byte[]> r = http.send(HttpRequest.newBuilder(tsa.url())
        .header("Content-Type", "application/timestamp-query")
        .POST(HttpRequest.BodyPublishers.ofByteArray(req.getEncoded())).build(),
        HttpResponse.BodyHandlers.ofByteArray());
    final TimeStampResponse resp = new TimeStampResponse(r.body());
    resp.validate(req);
    // Then
    for (final TimeStampToken t : List.of(inProcess, resp.getTimeStampToken())) {
      t.validate(new JcaSimpleSignerInfoVerifierBuilder().build(tsa.tsaCertificate().certificate()));
      assertThat(t.getTimeStampInfo().getGenTime().toInstant()).isEqualTo(NOW);
      assertThat(t.getTimeStampInfo().getMessageImprintDigest()).isEqualTo(imprint);
      assertThat(t.getTimeStampInfo().getGenTimeAccuracy().getSeconds()).isEqualTo(1);
      assertThat(t.getSignedAttributes().get(
          org.bouncycastle.asn1.pkcs.PKCSObjectIdentifiers.id_aa_signingCertificateV2)).isNotNull();
      assertThat(t.getCertificates().getMatches(null)).contains(
          new JcaX509CertificateHolder(tsa.tsaCertificate().certificate()));
    }
    assertThat(resp.getTimeStampToken().getTimeStampInfo().getNonce()).isEqualTo(BigInteger.TEN);
    assertThat(tsa.tsaCertificate().certificate().getCriticalExtensionOIDs())
        .contains(Extension.extendedKeyUsage.getId());
    assertThat(tsa.tsaCertificate().chain()).last().isEqualTo(tsa.rootCertificate());
  }

  @Test
  void tsa_v1OnlyToken_hasNoSigningCertificateV2() throws Exception {
    final Tsa v1 = pki.tsa(TsaSpec.defaults().ess(TsaSpec.Ess.V1_ONLY).keyType(KeyType.EC_P256));
    final TimeStampToken t = new TimeStampToken(new CMSSignedData(
        v1.timestamp(new byte[32], "SHA-256")));
    assertThat(t.getSignedAttributes().get(
        org.bouncycastle.asn1.pkcs.PKCSObjectIdentifiers.id_aa_signingCertificateV2)).isNull();
    assertThat(t.getSignedAttributes().get(
        org.bouncycastle.asn1.pkcs.PKCSObjectIdentifiers.id_aa_signingCertificate)).isNotNull();
  }

  private CertificateStatus ocspPost(final X509Certificate cert) throws Exception {
    final HttpResponse<byte[]> r = http.send(HttpRequest.newBuilder(ca.ocspUrl())
        .header("Content-Type", "application/ocsp-request")
        .POST(HttpRequest.BodyPublishers.ofByteArray(ocspRequest(cert))).build(),
        HttpResponse.BodyHandlers.ofByteArray());
    return status(r, cert);
  }

  private CertificateStatus ocspGet(final X509Certificate cert) throws Exception {
    final String b64 = java.net.URLEncoder.encode(Base64.getEncoder().encodeToString(ocspRequest(cert)),
        java.nio.charset.StandardCharsets.UTF_8);
    final HttpResponse<byte[]> r = http.send(HttpRequest.newBuilder(URI.create(ca.ocspUrl() + "/" + b64)).build(),
        HttpResponse.BodyHandlers.ofByteArray());
    return status(r, cert);
  }

  private CertificateStatus status(final HttpResponse<byte[]> r, final X509Certificate cert) throws Exception {
    assertThat(r.statusCode()).isEqualTo(200);
    final OCSPResp resp = new OCSPResp(r.body());
    assertThat(resp.getStatus()).isEqualTo(OCSPResp.SUCCESSFUL);
    final BasicOCSPResp basic = (BasicOCSPResp) resp.getResponseObject();
    assertThat(basic.isSignatureValid(new JcaContentVerifierProviderBuilder().build(ca.certificate()))).isTrue();
    final SingleResp single = basic.getResponses()[0];
    assertThat(single.getCertID().getSerialNumber()).isEqualTo(cert.getSerialNumber());
    assertThat(single.getNextUpdate().toInstant()).isAfter(NOW);
    return single.getCertStatus();
  }

  private byte[] ocspRequest(final X509Certificate cert) throws Exception {
    final X509CertificateHolder issuer = new JcaX509CertificateHolder(ca.certificate());
    final CertificateID id = new CertificateID(new JcaDigestCalculatorProviderBuilder().build()
        .get(CertificateID.HASH_SHA1), issuer, cert.getSerialNumber());
    return new OCSPReqBuilder().addRequest(id).build().getEncoded();
  }

  @Test
  void deltaCrl_listsOnlyRevocationsAfterTheFreeze() throws Exception {
    final Ca dca = root.intermediate("CN=Delta CA,O=Sigstream,C=US", KeyType.EC_P256);
    final Issued before = dca.leaf(CertSpec.leaf("CN=before,O=Sigstream,C=US").deltaCrl(true));
    final Issued after = dca.leaf(CertSpec.leaf("CN=after,O=Sigstream,C=US").deltaCrl(true));
    dca.revoke(before.certificate(), NOW.minusSeconds(100));
    dca.freezeBaseCrl();
    dca.revoke(after.certificate(), NOW.minusSeconds(10));
    final CertificateFactory cf = CertificateFactory.getInstance("X.509");
    final X509CRL base = (X509CRL) cf.generateCRL(new ByteArrayInputStream(http.send(
        HttpRequest.newBuilder(dca.crlUrl()).build(), HttpResponse.BodyHandlers.ofByteArray()).body()));
    final X509CRL delta = (X509CRL) cf.generateCRL(new ByteArrayInputStream(http.send(
        HttpRequest.newBuilder(dca.deltaCrlUrl()).build(), HttpResponse.BodyHandlers.ofByteArray()).body()));
    base.verify(dca.certificate().getPublicKey());
    delta.verify(dca.certificate().getPublicKey());
    assertThat(base.getRevokedCertificate(before.certificate().getSerialNumber())).isNotNull();
    assertThat(base.getRevokedCertificate(after.certificate().getSerialNumber())).isNull();
    assertThat(delta.getRevokedCertificate(after.certificate().getSerialNumber())).isNotNull();
    assertThat(delta.getRevokedCertificate(before.certificate().getSerialNumber())).isNull();
    assertThat(delta.getCriticalExtensionOIDs()).contains(Extension.deltaCRLIndicator.getId());
    assertThat(after.certificate().getExtensionValue(Extension.freshestCRL.getId())).isNotNull();
  }

  @Test
  void ocsp_delegatedResponder_signsWithItsOwnCertificate() throws Exception {
    final Ca dca = root.intermediate("CN=Delegating CA,O=Sigstream,C=US", KeyType.EC_P256);
    final Issued leaf = dca.leaf("CN=delegated,O=Sigstream,C=US");
    dca.ocspSigner(Ca.OcspSigner.DELEGATED);
    final X509CertificateHolder issuer = new JcaX509CertificateHolder(dca.certificate());
    final CertificateID id = new CertificateID(new JcaDigestCalculatorProviderBuilder().build()
        .get(CertificateID.HASH_SHA1), issuer, leaf.certificate().getSerialNumber());
    final BasicOCSPResp basic = (BasicOCSPResp) new OCSPResp(dca.ocspResponse(
        new OCSPReqBuilder().addRequest(id).build().getEncoded())).getResponseObject();
    final X509Certificate responder = dca.delegatedResponderCertificate(Ca.OcspSigner.DELEGATED).certificate();
    assertThat(basic.getCerts()).hasSize(1);
    assertThat(basic.isSignatureValid(new JcaContentVerifierProviderBuilder().build(responder))).isTrue();
    assertThat(responder.getExtendedKeyUsage()).containsExactly(KeyPurposeId.id_kp_OCSPSigning.getId());
    assertThat(basic.getResponses()[0].getCertStatus()).isSameAs(CertificateStatus.GOOD);
  }

  @Test
  void tsa_httpEndpoint_honoursBehaviours() throws Exception {
    final Tsa t = pki.tsa(TsaSpec.defaults().keyType(KeyType.EC_P256));
    final TimeStampRequestGenerator g = new TimeStampRequestGenerator();
    g.setCertReq(true);
    final var req = g.generate(new ASN1ObjectIdentifier("2.16.840.1.101.3.4.2.1"), new byte[32], BigInteger.TWO);
    t.behaviour(Tsa.Behaviour.REJECT);
    final TimeStampResponse rejected = new TimeStampResponse(post(t, req.getEncoded()).body());
    assertThat(rejected.getStatus()).isEqualTo(org.bouncycastle.asn1.cmp.PKIStatus.REJECTION);
    t.behaviour(Tsa.Behaviour.WRONG_NONCE);
    final TimeStampResponse wrongNonce = new TimeStampResponse(post(t, req.getEncoded()).body());
    assertThat(wrongNonce.getTimeStampToken().getTimeStampInfo().getNonce()).isNotEqualTo(BigInteger.TWO);
    t.behaviour(Tsa.Behaviour.DOWN);
    assertThat(post(t, req.getEncoded()).statusCode()).isEqualTo(503);
    assertThat(t.requestCount()).isEqualTo(3);
  }

  private HttpResponse<byte[]> post(final Tsa t, final byte[] body) throws Exception {
    return http.send(HttpRequest.newBuilder(t.url()).header("Content-Type", "application/timestamp-query")
        .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build(), HttpResponse.BodyHandlers.ofByteArray());
  }

  @Test
  void pem_andPkcs12_roundTrip() throws Exception {
    final Issued leaf = ca.leaf("CN=pem,O=Sigstream,C=US");
    final byte[] pem = Pem.certificates(leaf.chain()).getBytes(java.nio.charset.StandardCharsets.US_ASCII);
    final java.util.Collection<? extends java.security.cert.Certificate> parsed =
        CertificateFactory.getInstance("X.509").generateCertificates(new ByteArrayInputStream(pem));
    assertThat(new java.util.ArrayList<Object>(parsed)).isEqualTo(new java.util.ArrayList<Object>(leaf.chain()));
    assertThat(Pem.privateKey(leaf.privateKey())).startsWith("-----BEGIN PRIVATE KEY-----");
    final java.security.KeyStore ks = java.security.KeyStore.getInstance("PKCS12");
    ks.load(new ByteArrayInputStream(Pem.pkcs12(leaf, "signer", "pw".toCharArray())), "pw".toCharArray());
    assertThat(ks.getKey("signer", "pw".toCharArray()).getEncoded()).isEqualTo(leaf.privateKey().getEncoded());
    assertThat(ks.getCertificateChain("signer")).hasSize(3);
  }

  @Test
  void tsa_withIntermediate_hasAThreeCertificateChain() throws Exception {
    final Tsa t = pki.tsa(TsaSpec.defaults().keyType(KeyType.EC_P256).withIntermediate(true));
    assertThat(t.chain()).hasSize(3);
    assertThat(t.rootCertificate()).isEqualTo(t.rootCa().certificate());
    assertThat(t.ca().certificate()).isEqualTo(t.chain().get(1));
    final TimeStampToken token = new TimeStampToken(new CMSSignedData(t.timestampData(new byte[] {1}, "SHA-256")));
    token.validate(new JcaSimpleSignerInfoVerifierBuilder().build(t.tsaCertificate().certificate()));
    assertThat(token.getCertificates().getMatches(null)).hasSize(3);
  }
}
