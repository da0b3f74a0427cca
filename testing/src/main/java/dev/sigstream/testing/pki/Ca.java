package dev.sigstream.testing.pki;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.net.URI;
import java.security.KeyPair;
import java.security.PrivateKey;
import java.security.cert.CertificateEncodingException;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.bouncycastle.asn1.ASN1Encodable;
import org.bouncycastle.asn1.ASN1GeneralizedTime;
import org.bouncycastle.asn1.DERNull;
import org.bouncycastle.asn1.ocsp.OCSPObjectIdentifiers;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.AccessDescription;
import org.bouncycastle.asn1.x509.AuthorityInformationAccess;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.CRLDistPoint;
import org.bouncycastle.asn1.x509.CRLNumber;
import org.bouncycastle.asn1.x509.CRLReason;
import org.bouncycastle.asn1.x509.DistributionPoint;
import org.bouncycastle.asn1.x509.DistributionPointName;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.Extensions;
import org.bouncycastle.asn1.x509.ExtensionsGenerator;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.X509v2CRLBuilder;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.cert.ocsp.BasicOCSPResp;
import org.bouncycastle.cert.ocsp.BasicOCSPRespBuilder;
import org.bouncycastle.cert.ocsp.CertificateID;
import org.bouncycastle.cert.ocsp.CertificateStatus;
import org.bouncycastle.cert.ocsp.OCSPException;
import org.bouncycastle.cert.ocsp.OCSPReq;
import org.bouncycastle.cert.ocsp.OCSPResp;
import org.bouncycastle.cert.ocsp.OCSPRespBuilder;
import org.bouncycastle.cert.ocsp.Req;
import org.bouncycastle.cert.ocsp.RespID;
import org.bouncycastle.cert.ocsp.RevokedStatus;
import org.bouncycastle.cert.ocsp.UnknownStatus;
import org.bouncycastle.operator.ContentSigner;
import org.bouncycastle.operator.DigestCalculatorProvider;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.operator.jcajce.JcaDigestCalculatorProviderBuilder;

/**
 * A certificate authority of the {@link TestPki}: a root or an intermediate. It issues certificates, keeps its own
 * revocation list, and answers OCSP for the certificates it issued; both are served by the PKI's loopback HTTP server
 * at {@link #ocspUrl()} and {@link #crlUrl()}. Thread-safe: tests may revoke or change behaviours while a verifier
 * is talking to the servers.
 */
public final class Ca {

  /** How the OCSP responder treats a request (per certificate, or as the CA-wide default). */
  public enum OcspBehaviour {
    /** Answer good, or revoked when {@link #revoke} was called. */
    NORMAL,
    /** Answer status {@code unknown}. */
    UNKNOWN,
    /** HTTP 503, no OCSP body: the responder is down. */
    DOWN,
    /** Hold the request without answering until the PKI closes (exercises client timeouts). */
    HANG,
    /** OCSP response status {@code tryLater} (no basic response). */
    TRY_LATER,
    /** HTTP 200 with bytes that are not an OCSP response. */
    MALFORMED,
    /** HTTP 200 with a 64 KiB body (exercises client size caps; OCSP responses are capped at 20 KiB). */
    OVERSIZED
  }

  /** Who signs OCSP responses. */
  public enum OcspSigner {
    /** The CA's own key (default). */
    ISSUER,
    /** A delegated responder certificate issued by this CA with EKU id-kp-OCSPSigning and id-pkix-ocsp-nocheck. */
    DELEGATED,
    /** A responder certificate issued by this CA but without the OCSPSigning EKU (must be rejected). */
    DELEGATED_WITHOUT_EKU,
    /**
     * A delegated responder (OCSPSigning EKU) without id-pkix-ocsp-nocheck and with this CA's CRL URL, so verifiers
     * should check it via the CRL; revoke {@link #delegatedResponderCertificate(OcspSigner)} to exercise that.
     */
    DELEGATED_WITHOUT_NOCHECK,
    /** A random key that claims to be the CA: the signature does not verify (must be rejected). */
    WRONG_KEY
  }

  /** How the CRL endpoint behaves. */
  public enum CrlBehaviour {
    NORMAL,
    /** HTTP 503. */
    DOWN,
    /** The CRL is signed by a random key, not the CA's. */
    BAD_SIGNATURE,
    /** The CRL carries an unknown critical extension. */
    UNKNOWN_CRITICAL_EXTENSION,
    /** HTTP 200 with bytes that are not a CRL. */
    MALFORMED
  }

  record Revocation(Instant time, int reason, Instant invalidityDate) {}

  private static final AtomicLong SERIALS = new AtomicLong(System.nanoTime() & 0xFFFFFFFFFFFL);

  private final TestPki pki;
  private final String id;
  private final X509Certificate certificate;
  private final PrivateKey privateKey;
  private final KeyType keyType;
  private final List<X509Certificate> chain;
  private final Map<BigInteger, X509Certificate> issued = new ConcurrentHashMap<>();
  private final Map<BigInteger, Revocation> revoked = new ConcurrentHashMap<>();
  private final Map<BigInteger, OcspBehaviour> behaviours = new ConcurrentHashMap<>();
  private final AtomicInteger ocspRequests = new AtomicInteger();
  private final AtomicInteger crlRequests = new AtomicInteger();
  private final Map<String, AtomicInteger> ocspByMethod = new ConcurrentHashMap<>();
  private final AtomicLong crlNumber = new AtomicLong(1);
  private volatile OcspBehaviour defaultBehaviour = OcspBehaviour.NORMAL;
  private volatile OcspSigner ocspSigner = OcspSigner.ISSUER;
  private volatile CrlBehaviour crlBehaviour = CrlBehaviour.NORMAL;
  private volatile Duration ocspValidity = Duration.ofDays(1);
  private volatile Instant ocspNextUpdate;
  private volatile boolean ocspNoNextUpdate;
  private volatile Duration crlValidity = Duration.ofDays(7);
  private volatile Instant crlNextUpdate;
  private volatile boolean crlNoNextUpdate;
  private volatile Map<BigInteger, Revocation> baseSnapshot;
  private volatile long baseCrlNumber;
  private final Map<OcspSigner, Issued> responders = new ConcurrentHashMap<>();

  Ca(final TestPki pki, final String id, final X509Certificate certificate, final PrivateKey privateKey,
      final KeyType keyType, final List<X509Certificate> chain) {
    this.pki = pki;
    this.id = id;
    this.certificate = certificate;
    this.privateKey = privateKey;
    this.keyType = keyType;
    this.chain = List.copyOf(chain);
  }

  // ---------------------------------------------------------------- accessors

  public X509Certificate certificate() {
    return certificate;
  }

  public PrivateKey privateKey() {
    return privateKey;
  }

  /** This CA's chain, itself first and the root last. */
  public List<X509Certificate> chain() {
    return chain;
  }

  /** This CA as an {@link Issued} (certificate, key, chain). */
  public Issued issued() {
    return new Issued(certificate, privateKey, chain);
  }

  public X509Certificate root() {
    return chain.get(chain.size() - 1);
  }

  /** URL of the OCSP responder for certificates this CA issues (embedded in them by default). */
  public URI ocspUrl() {
    return pki.baseUrl().resolve("/ocsp/" + id);
  }

  /** URL of this CA's CRL (embedded in the certificates it issues by default). */
  public URI crlUrl() {
    return pki.baseUrl().resolve("/crl/" + id + ".crl");
  }

  /** URL of this CA's delta CRL (embedded only when a {@link CertSpec#deltaCrl(boolean)} asks for it). */
  public URI deltaCrlUrl() {
    return pki.baseUrl().resolve("/crl/" + id + "-delta.crl");
  }

  /** Number of OCSP HTTP requests the responder has received for this CA. */
  public int ocspRequestCount() {
    return ocspRequests.get();
  }

  /** Number of CRL downloads of this CA's CRL. */
  public int crlRequestCount() {
    return crlRequests.get();
  }

  // ---------------------------------------------------------------- issuing

  /** Issues an intermediate CA (RSA-3072 key type unless given). */
  public Ca intermediate(final String dn, final KeyType type) {
    return intermediate(CertSpec.ca(dn).keyType(type));
  }

  /** Issues an intermediate CA from a spec (start from {@link CertSpec#ca(String)}). */
  public Ca intermediate(final CertSpec spec) {
    final KeyPair kp = spec.keyPair != null ? spec.keyPair : spec.keyType.generate();
    final X509Certificate cert = issueCertificate(spec, kp);
    final List<X509Certificate> c = new ArrayList<>();
    c.add(cert);
    c.addAll(chain);
    return pki.register(id -> new Ca(pki, id, cert, kp.getPrivate(), spec.keyType, c));
  }

  /** Issues an end-entity certificate; the returned chain runs from it to the root. */
  public Issued leaf(final CertSpec spec) {
    final KeyPair kp = spec.keyPair != null ? spec.keyPair : spec.keyType.generate();
    final X509Certificate cert = issueCertificate(spec, kp);
    final List<X509Certificate> c = new ArrayList<>();
    c.add(cert);
    c.addAll(chain);
    return new Issued(cert, kp.getPrivate(), c);
  }

  /** A default code-signing leaf ({@link CertSpec#leaf(String)}). */
  public Issued leaf(final String dn) {
    return leaf(CertSpec.leaf(dn));
  }

  private X509Certificate issueCertificate(final CertSpec spec, final KeyPair kp) {
    final Instant now = pki.clock().instant();
    final Instant nb = spec.notBefore != null ? spec.notBefore : now.minus(Duration.ofHours(1));
    final Instant na = spec.notAfter != null ? spec.notAfter
        : now.plus(spec.basic == CertSpec.Basic.CA_TRUE ? Duration.ofDays(5 * 365) : Duration.ofDays(365));
    final BigInteger serial = spec.serial != null ? spec.serial : BigInteger.valueOf(SERIALS.incrementAndGet());
    final String sigAlg = spec.signatureAlgorithm != null ? spec.signatureAlgorithm : keyType.certSignatureAlgorithm();
    final X509Certificate cert = build(spec, kp, x500(certificate), certificate, privateKey, serial, nb, na, sigAlg,
        ocspUrl(), crlUrl(), deltaCrlUrl());
    issued.put(serial, cert);
    return cert;
  }

  static X509Certificate selfSigned(final CertSpec spec, final KeyPair kp, final Instant now) {
    final Instant nb = spec.notBefore != null ? spec.notBefore : now.minus(Duration.ofDays(1));
    final Instant na = spec.notAfter != null ? spec.notAfter : now.plus(Duration.ofDays(10 * 365));
    final BigInteger serial = spec.serial != null ? spec.serial : BigInteger.valueOf(SERIALS.incrementAndGet());
    final String sigAlg = spec.signatureAlgorithm != null ? spec.signatureAlgorithm
        : spec.keyType.certSignatureAlgorithm();
    // A root never carries revocation pointers: nothing above it could sign a CRL or OCSP response for it.
    spec.ocsp = false;
    spec.crl = false;
    return build(spec, kp, new X500Name(spec.subject), null, kp.getPrivate(), serial, nb, na, sigAlg, null, null,
        null);
  }

  private static X509Certificate build(final CertSpec spec, final KeyPair kp, final X500Name issuer,
      final X509Certificate issuerCert, final PrivateKey signingKey, final BigInteger serial, final Instant nb,
      final Instant na, final String sigAlg, final URI defaultOcsp, final URI defaultCrl, final URI deltaCrl) {
    try {
      final X500Name subject = new X500Name(spec.subject);
      final X509v3CertificateBuilder b = new JcaX509v3CertificateBuilder(issuer, serial, Date.from(nb), Date.from(na),
          subject, kp.getPublic());
      final JcaX509ExtensionUtils u = new JcaX509ExtensionUtils();
      b.addExtension(Extension.subjectKeyIdentifier, false, u.createSubjectKeyIdentifier(kp.getPublic()));
      b.addExtension(Extension.authorityKeyIdentifier, false, issuerCert != null
          ? u.createAuthorityKeyIdentifier(issuerCert)
          : u.createAuthorityKeyIdentifier(kp.getPublic()));
      switch (spec.basic) {
        case CA_TRUE -> b.addExtension(Extension.basicConstraints, spec.basicCritical,
            spec.pathLen != null ? new BasicConstraints(spec.pathLen) : new BasicConstraints(true));
        case CA_FALSE -> b.addExtension(Extension.basicConstraints, spec.basicCritical, new BasicConstraints(false));
        case ABSENT -> { }
      }
      if (spec.keyUsage >= 0) {
        b.addExtension(Extension.keyUsage, spec.keyUsageCritical, new KeyUsage(spec.keyUsage));
      }
      if (spec.ekuPresent) {
        final KeyPurposeId[] ids = spec.ekus.stream().map(KeyPurposeId::getInstance).toArray(KeyPurposeId[]::new);
        b.addExtension(Extension.extendedKeyUsage, spec.ekuCritical, new ExtendedKeyUsage(ids));
      }
      if (spec.ocsp) {
        final URI url = spec.ocspUrl != null ? spec.ocspUrl : defaultOcsp;
        if (url != null) {
          b.addExtension(Extension.authorityInfoAccess, false, new AuthorityInformationAccess(
              new AccessDescription(AccessDescription.id_ad_ocsp,
                  new GeneralName(GeneralName.uniformResourceIdentifier, url.toString()))));
        }
      }
      if (spec.crl) {
        final URI url = spec.crlUrl != null ? spec.crlUrl : defaultCrl;
        if (url != null) {
          b.addExtension(Extension.cRLDistributionPoints, false, distPoints(url));
        }
      }
      if (spec.deltaCrl && deltaCrl != null) {
        b.addExtension(Extension.freshestCRL, false, distPoints(deltaCrl));
      }
      for (final CertSpec.Extra e : spec.extras) {
        b.addExtension(e.oid(), e.critical(), e.value());
      }
      final ContentSigner signer = new JcaContentSignerBuilder(sigAlg).setProvider(TestPki.BC).build(signingKey);
      return new JcaX509CertificateConverter().getCertificate(b.build(signer));
    } catch (Exception e) {
      throw new IllegalStateException("cannot issue certificate " + spec.subject + ": " + e.getMessage(), e);
    }
  }

  private static CRLDistPoint distPoints(final URI url) {
    return new CRLDistPoint(new DistributionPoint[] {
        new DistributionPoint(new DistributionPointName(new GeneralNames(
            new GeneralName(GeneralName.uniformResourceIdentifier, url.toString()))), null, null)});
  }

  static X500Name x500(final X509Certificate cert) {
    // Use the exact encoded subject so that issuer/subject names match byte-for-byte.
    return X500Name.getInstance(cert.getSubjectX500Principal().getEncoded());
  }

  // ---------------------------------------------------------------- revocation state

  /** Revokes a certificate this CA issued, at {@code time}, reason unspecified. Affects the CRL and OCSP. */
  public void revoke(final X509Certificate cert, final Instant time) {
    revoke(cert, time, CRLReason.unspecified, null);
  }

  /**
   * Revokes with a reason code ({@link CRLReason} constants, e.g. {@code CRLReason.keyCompromise},
   * {@code CRLReason.certificateHold}) and an optional invalidity date (CRL entry extension).
   */
  public void revoke(final X509Certificate cert, final Instant time, final int reason, final Instant invalidityDate) {
    requireIssued(cert);
    revoked.put(cert.getSerialNumber(), new Revocation(time, reason, invalidityDate));
  }

  /** Takes a certificate off the revocation list again (as after a released hold). */
  public void unrevoke(final X509Certificate cert) {
    revoked.remove(cert.getSerialNumber());
  }

  /** OCSP behaviour for one certificate. */
  public void ocspBehaviour(final X509Certificate cert, final OcspBehaviour behaviour) {
    behaviours.put(cert.getSerialNumber(), behaviour);
  }

  /** OCSP behaviour for every certificate without a per-certificate setting. */
  public void ocspBehaviour(final OcspBehaviour behaviour) {
    this.defaultBehaviour = behaviour;
  }

  public void ocspSigner(final OcspSigner signer) {
    this.ocspSigner = signer;
  }

  /** nextUpdate of OCSP responses = response time + this (default one day). */
  public void ocspValidity(final Duration validity) {
    this.ocspValidity = validity;
  }

  /** Fixed nextUpdate for OCSP responses (e.g. in the past, for a stale response); null restores the default. */
  public void ocspNextUpdate(final Instant nextUpdate) {
    this.ocspNextUpdate = nextUpdate;
  }

  /** Omit nextUpdate from OCSP responses. */
  public void ocspWithoutNextUpdate(final boolean omit) {
    this.ocspNoNextUpdate = omit;
  }

  public void crlBehaviour(final CrlBehaviour behaviour) {
    this.crlBehaviour = behaviour;
  }

  /** nextUpdate of the CRL = its thisUpdate (the PKI clock) + this (default seven days). */
  public void crlValidity(final Duration validity) {
    this.crlValidity = validity;
  }

  /** Fixed nextUpdate of the CRL (e.g. in the past, for a stale CRL); null restores the default. */
  public void crlNextUpdate(final Instant nextUpdate) {
    this.crlNextUpdate = nextUpdate;
  }

  /** Omit nextUpdate from the CRL. */
  public void crlWithoutNextUpdate(final boolean omit) {
    this.crlNoNextUpdate = omit;
  }

  private void requireIssued(final X509Certificate cert) {
    if (!issued.containsKey(cert.getSerialNumber())) {
      throw new IllegalArgumentException("certificate " + cert.getSubjectX500Principal() + " was not issued by "
          + certificate.getSubjectX500Principal());
    }
  }

  // ---------------------------------------------------------------- CRL

  /**
   * Freezes the base CRL: revocations made from now on appear only in the delta CRL ({@link #deltaCrl()}), and the
   * base CRL keeps its current CRL number. Before this call there is no split: the base CRL lists everything and the
   * delta CRL lists nothing.
   */
  public void freezeBaseCrl() {
    synchronized (this) {
      baseSnapshot = Map.copyOf(revoked);
      baseCrlNumber = crlNumber.getAndIncrement();
    }
  }

  /** The current DER base CRL, as the CRL endpoint serves it (thisUpdate = PKI clock). */
  public byte[] crl() {
    final Map<BigInteger, Revocation> base = baseSnapshot;
    return base == null ? buildCrl(Map.copyOf(revoked), crlNumber.getAndIncrement(), null)
        : buildCrl(base, baseCrlNumber, null);
  }

  /**
   * The current DER delta CRL: entries added or changed since {@link #freezeBaseCrl()} (e.g. a removeFromCRL for a
   * certificate on hold in the base), with deltaCRLIndicator = the base CRL number.
   */
  public byte[] deltaCrl() {
    final Map<BigInteger, Revocation> base = baseSnapshot;
    final Map<BigInteger, Revocation> changed = new java.util.HashMap<>();
    if (base != null) {
      revoked.forEach((serial, r) -> {
        if (!r.equals(base.get(serial))) {
          changed.put(serial, r);
        }
      });
    }
    final long baseNumber = base == null ? Math.max(crlNumber.get() - 1, 0) : baseCrlNumber;
    return buildCrl(changed, crlNumber.getAndIncrement(), BigInteger.valueOf(baseNumber));
  }

  private byte[] buildCrl(final Map<BigInteger, Revocation> entries, final long number, final BigInteger deltaOf) {
    try {
      final Instant now = pki.clock().instant();
      final X509v2CRLBuilder b = new X509v2CRLBuilder(x500(certificate), Date.from(now));
      if (!crlNoNextUpdate) {
        final Instant next = crlNextUpdate != null ? crlNextUpdate : now.plus(crlValidity);
        b.setNextUpdate(Date.from(next));
      }
      for (final Map.Entry<BigInteger, Revocation> e : entries.entrySet()) {
        final ExtensionsGenerator eg = new ExtensionsGenerator();
        eg.addExtension(Extension.reasonCode, false, CRLReason.lookup(e.getValue().reason()));
        if (e.getValue().invalidityDate() != null) {
          eg.addExtension(Extension.invalidityDate, false,
              new ASN1GeneralizedTime(Date.from(e.getValue().invalidityDate())));
        }
        b.addCRLEntry(e.getKey(), Date.from(e.getValue().time()), eg.generate());
      }
      b.addExtension(Extension.cRLNumber, false, new CRLNumber(BigInteger.valueOf(number)));
      if (deltaOf != null) {
        b.addExtension(Extension.deltaCRLIndicator, true, new CRLNumber(deltaOf));
      }
      b.addExtension(Extension.authorityKeyIdentifier, false,
          new JcaX509ExtensionUtils().createAuthorityKeyIdentifier(certificate));
      if (crlBehaviour == CrlBehaviour.UNKNOWN_CRITICAL_EXTENSION) {
        b.addExtension(new org.bouncycastle.asn1.ASN1ObjectIdentifier("1.3.6.1.4.1.99999.1"), true, DERNull.INSTANCE);
      }
      final PrivateKey key = crlBehaviour == CrlBehaviour.BAD_SIGNATURE ? keyType.generate().getPrivate() : privateKey;
      return b.build(signer(key)).getEncoded();
    } catch (Exception e) {
      throw new IllegalStateException("cannot build CRL: " + e.getMessage(), e);
    }
  }

  CrlBehaviour crlBehaviour() {
    return crlBehaviour;
  }

  void countCrlRequest() {
    crlRequests.incrementAndGet();
  }

  // ---------------------------------------------------------------- OCSP

  /** Number of OCSP requests received with this HTTP method ({@code GET} or {@code POST}). */
  public int ocspRequestCount(final String httpMethod) {
    return ocspByMethod.computeIfAbsent(httpMethod, k -> new AtomicInteger()).get();
  }

  /** What the HTTP handler should do with an OCSP request body. */
  OcspBehaviour behaviourFor(final byte[] request, final String httpMethod) {
    ocspRequests.incrementAndGet();
    ocspByMethod.computeIfAbsent(httpMethod, k -> new AtomicInteger()).incrementAndGet();
    try {
      final OCSPReq req = new OCSPReq(request);
      for (final Req r : req.getRequestList()) {
        final OcspBehaviour b = behaviours.get(r.getCertID().getSerialNumber());
        if (b != null && b != OcspBehaviour.NORMAL) {
          return b;
        }
      }
    } catch (IOException e) {
      return OcspBehaviour.NORMAL; // malformed request → respond() produces malformedRequest
    }
    return defaultBehaviour;
  }

  /** Builds the DER OCSP response for a DER request, as the responder would send it. */
  public byte[] ocspResponse(final byte[] request) {
    try {
      final OCSPReq req;
      try {
        req = new OCSPReq(request);
      } catch (IOException e) {
        return new OCSPRespBuilder().build(OCSPRespBuilder.MALFORMED_REQUEST, null).getEncoded();
      }
      if (defaultBehaviour == OcspBehaviour.TRY_LATER || anyBehaviour(req, OcspBehaviour.TRY_LATER)) {
        return new OCSPRespBuilder().build(OCSPRespBuilder.TRY_LATER, null).getEncoded();
      }
      final OcspSigner mode = ocspSigner;
      final Issued responder = mode == OcspSigner.ISSUER || mode == OcspSigner.WRONG_KEY ? null
          : delegatedResponderCertificate(mode);
      final X509Certificate respCert = responder != null ? responder.certificate() : certificate;
      final DigestCalculatorProvider dcp = new JcaDigestCalculatorProviderBuilder().build();
      final RespID respId = new RespID(
          org.bouncycastle.asn1.x509.SubjectPublicKeyInfo.getInstance(respCert.getPublicKey().getEncoded()),
          dcp.get(CertificateID.HASH_SHA1));
      final BasicOCSPRespBuilder b = new BasicOCSPRespBuilder(respId);
      final Instant now = pki.clock().instant();
      final Date next = ocspNoNextUpdate ? null
          : Date.from(ocspNextUpdate != null ? ocspNextUpdate : now.plus(ocspValidity));
      final X509CertificateHolder caHolder = new JcaX509CertificateHolder(certificate);
      for (final Req r : req.getRequestList()) {
        final CertificateID cid = r.getCertID();
        final CertificateStatus status = statusOf(cid, caHolder, dcp);
        final Revocation rev = status instanceof RevokedStatus ? revoked.get(cid.getSerialNumber()) : null;
        final Extensions single = rev != null && rev.invalidityDate() != null
            ? new Extensions(new Extension(Extension.invalidityDate, false,
                new ASN1GeneralizedTime(Date.from(rev.invalidityDate())).getEncoded()))
            : null;
        b.addResponse(cid, status, Date.from(now), next, single);
      }
      final Extension nonce = req.getExtension(OCSPObjectIdentifiers.id_pkix_ocsp_nonce);
      if (nonce != null) {
        b.setResponseExtensions(new Extensions(nonce));
      }
      final PrivateKey key = switch (mode) {
        case ISSUER -> privateKey;
        case DELEGATED, DELEGATED_WITHOUT_EKU, DELEGATED_WITHOUT_NOCHECK -> responder.privateKey();
        case WRONG_KEY -> keyType.generate().getPrivate();
      };
      final X509CertificateHolder[] certs = responder != null
          ? new X509CertificateHolder[] {new JcaX509CertificateHolder(responder.certificate())}
          : null;
      final BasicOCSPResp basic = b.build(signer(key), certs, Date.from(now));
      return new OCSPRespBuilder().build(OCSPRespBuilder.SUCCESSFUL, basic).getEncoded();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (OCSPException | OperatorCreationException | CertificateEncodingException e) {
      throw new IllegalStateException("cannot build OCSP response: " + e.getMessage(), e);
    }
  }

  private boolean anyBehaviour(final OCSPReq req, final OcspBehaviour b) {
    for (final Req r : req.getRequestList()) {
      if (behaviours.get(r.getCertID().getSerialNumber()) == b) {
        return true;
      }
    }
    return false;
  }

  private CertificateStatus statusOf(final CertificateID cid, final X509CertificateHolder caHolder,
      final DigestCalculatorProvider dcp) throws OCSPException {
    // Answer only for certificates this CA issued; anything else is "unknown" (RFC 6960 §2.2).
    if (!cid.matchesIssuer(caHolder, dcp) || !issued.containsKey(cid.getSerialNumber())) {
      return new UnknownStatus();
    }
    final OcspBehaviour b = behaviours.getOrDefault(cid.getSerialNumber(), defaultBehaviour);
    if (b == OcspBehaviour.UNKNOWN) {
      return new UnknownStatus();
    }
    final Revocation r = revoked.get(cid.getSerialNumber());
    if (r != null) {
      return new RevokedStatus(Date.from(r.time()), r.reason());
    }
    return CertificateStatus.GOOD;
  }

  /** The responder certificate used for a delegated {@link OcspSigner} mode (issued on first use). */
  public Issued delegatedResponderCertificate(final OcspSigner mode) {
    return responders.computeIfAbsent(mode, m -> switch (m) {
      case DELEGATED -> leaf(CertSpec.leaf("CN=OCSP Responder " + id + ",O=Sigstream Test PKI")
          .eku(CertSpec.Eku.OCSP_SIGNING).noRevocationInfo()
          .extension(OCSPObjectIdentifiers.id_pkix_ocsp_nocheck.getId(), false, DERNull.INSTANCE));
      case DELEGATED_WITHOUT_EKU -> leaf(CertSpec.leaf("CN=Not An OCSP Responder " + id + ",O=Sigstream Test PKI")
          .eku(CertSpec.Eku.NONE).noRevocationInfo());
      case DELEGATED_WITHOUT_NOCHECK -> leaf(CertSpec.leaf("CN=Checked OCSP Responder " + id
          + ",O=Sigstream Test PKI").eku(CertSpec.Eku.OCSP_SIGNING).ocsp(false).crl(true));
      default -> throw new IllegalArgumentException(m + " is not a delegated responder mode");
    });
  }

  private ContentSigner signer(final PrivateKey key) throws OperatorCreationException {
    return new JcaContentSignerBuilder(keyType.certSignatureAlgorithm()).setProvider(TestPki.BC).build(key);
  }

  String id() {
    return id;
  }

}
