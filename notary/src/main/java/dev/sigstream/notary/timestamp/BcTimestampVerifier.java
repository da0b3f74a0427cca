package dev.sigstream.notary.timestamp;

import dev.sigstream.notary.ReasonCode;
import dev.sigstream.notary.revocation.RevocationChecker;
import dev.sigstream.notary.revocation.RevocationResult;
import java.io.IOException;
import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.Provider;
import java.security.cert.CertPathBuilder;
import java.security.cert.CertStore;
import java.security.cert.CertificateException;
import java.security.cert.CollectionCertStoreParameters;
import java.security.cert.PKIXBuilderParameters;
import java.security.cert.PKIXCertPathBuilderResult;
import java.security.cert.TrustAnchor;
import java.security.cert.X509CertSelector;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.cms.Attribute;
import org.bouncycastle.asn1.cms.AttributeTable;
import org.bouncycastle.asn1.ess.ESSCertIDv2;
import org.bouncycastle.asn1.ess.SigningCertificateV2;
import org.bouncycastle.asn1.nist.NISTObjectIdentifiers;
import org.bouncycastle.asn1.oiw.OIWObjectIdentifiers;
import org.bouncycastle.asn1.pkcs.PKCSObjectIdentifiers;
import org.bouncycastle.asn1.tsp.Accuracy;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.IssuerSerial;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cms.CMSException;
import org.bouncycastle.cms.CMSSignedData;
import org.bouncycastle.cms.SignerInformation;
import org.bouncycastle.cms.jcajce.JcaSimpleSignerInfoVerifierBuilder;
import dev.sigstream.notary.internal.BcProvider;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.tsp.TimeStampToken;
import org.bouncycastle.tsp.TimeStampTokenInfo;

/**
 * RFC 3161 countersignature verification as the Notary Project requires (SPEC-NOTES §11), with BouncyCastle TSP/CMS.
 *
 * <p>In order, each failure ending the check with an invalid {@link TimestampResult}:
 *
 * <ol>
 *   <li>CMS SignedData (BER accepted) whose content type is id-ct-TSTInfo, exactly one signer → else
 *       {@code TIMESTAMP_INVALID};
 *   <li>TSTInfo version 1; the message imprint equals the hash of the raw signature bytes. The hash is the one the
 *       caller pins (the signing key's, spec side of SPEC-NOTES §13 row 17, via the 4-argument {@code verify}); with
 *       the 3-argument form, the token's own algorithm is used but only SHA-256, SHA-384 or SHA-512 are accepted (the
 *       only hashes the spec can imply; notation-go accepts any known hash) → {@code TIMESTAMP_INVALID};
 *   <li>accuracy: explicit; else 1 s for the RFC 3628 baseline policy 0.4.0.2023.1.1; else zero;
 *   <li>ESS signing-certificate-v2 is mandatory (a v1-only token fails), its first ESSCertIDv2 names the TSA
 *       certificate: by IssuerSerial when present, else by the SignerInfo sid; the certificate comes from the token
 *       (none → fail); its hash (default SHA-256; SHA-1 rejected) must match → {@code TIMESTAMP_INVALID};
 *   <li>the CMS signature (with its signed attributes) verifies with that certificate → {@code TIMESTAMP_INVALID};
 *   <li>the TSA certificate chains, through certificates in the token, to one of {@code tsaRoots} by PKIX with the
 *       validation date set to genTime (the root's own validity is checked at genTime too); no certificate of the
 *       path is signed with SHA-1; CA certificates carry basicConstraints cA=true and keyUsage keyCertSign; the TSA
 *       leaf has an extendedKeyUsage extension that is critical and holds only id-kp-timeStamping, no cA=true, and
 *       digitalSignature when keyUsage is present → {@code TIMESTAMP_UNTRUSTED};
 *   <li>genTime minus accuracy is not later than now plus 5 minutes (a token from the future means a broken clock
 *       somewhere; fail closed) → {@code TIMESTAMP_INVALID};
 *   <li>the TSA chain is checked for revocation through the injected checker with purpose TIMESTAMPING: revoked →
 *       {@code CERT_REVOKED}, unknown → {@code REVOCATION_UNKNOWN}.
 * </ol>
 *
 * <p>The check that genTime ± accuracy lies inside the signing certificates' validity is the caller's (it needs the
 * signing chain). Validated TSA chains are cached per (TSA certificate, root set) together with the interval in which
 * all their certificates are valid; revocation and the token's own signature are checked on every call. Never throws
 * for bad input. Thread-safe.
 */
public final class BcTimestampVerifier implements TimestampVerifier {

  /** Largest token accepted; real tokens with a full chain are a few KiB. */
  static final int MAX_TOKEN_BYTES = 256 * 1024;

  static final Duration MAX_CLOCK_SKEW = Duration.ofMinutes(5);
  static final String BASELINE_POLICY = "0.4.0.2023.1.1";

  private static final Provider BC = BcProvider.get();
  private static final ASN1ObjectIdentifier ID_CT_TSTINFO = PKCSObjectIdentifiers.id_ct_TSTInfo;
  private static final Map<String, ASN1ObjectIdentifier> IMPRINT_HASHES = Map.of(
      "SHA-256", NISTObjectIdentifiers.id_sha256,
      "SHA-384", NISTObjectIdentifiers.id_sha384,
      "SHA-512", NISTObjectIdentifiers.id_sha512);
  private static final Set<ASN1ObjectIdentifier> SHA1_SIGNATURES = Set.of(
      PKCSObjectIdentifiers.sha1WithRSAEncryption,
      org.bouncycastle.asn1.x9.X9ObjectIdentifiers.ecdsa_with_SHA1,
      org.bouncycastle.asn1.x9.X9ObjectIdentifiers.id_dsa_with_sha1);

  private final Clock clock;
  private final RevocationChecker revocationChecker;
  private final ChainCache validChains = new ChainCache(256);

  private record ChainKey(X509Certificate tsaCertificate, Set<X509Certificate> roots) {}

  /** A validated TSA chain and the interval in which all its certificates are valid. */
  private record ValidChain(List<X509Certificate> chain, Instant from, Instant to) {
    static ValidChain of(final List<X509Certificate> chain) {
      Instant from = Instant.MIN;
      Instant to = Instant.MAX;
      for (final X509Certificate c : chain) {
        final Instant nb = c.getNotBefore().toInstant();
        final Instant na = c.getNotAfter().toInstant();
        from = nb.isAfter(from) ? nb : from;
        to = na.isBefore(to) ? na : to;
      }
      return new ValidChain(List.copyOf(chain), from, to);
    }
  }

  /** Bounded, lock-free cache of validated TSA chains (a handful of TSAs sign everything; the bound stops growth). */
  private static final class ChainCache {
    private final dev.sigstream.notary.internal.BoundedMemo<ChainKey, ValidChain> memo;

    ChainCache(final int max) {
      this.memo = new dev.sigstream.notary.internal.BoundedMemo<>(max, 8L * max);
    }

    ValidChain get(final ChainKey key) {
      return memo.get(key);
    }

    void put(final ChainKey key, final ValidChain value) {
      memo.put(key, value, 1);
    }
  }

  /**
   * @param clock "now", for the future-genTime sanity check (chain validity is evaluated at genTime)
   * @param revocationChecker checker for the TSA chain, called with purpose TIMESTAMPING
   */
  public BcTimestampVerifier(final Clock clock, final RevocationChecker revocationChecker) {
    this.clock = Objects.requireNonNull(clock, "clock");
    this.revocationChecker = Objects.requireNonNull(revocationChecker, "revocationChecker");
  }

  @Override
  public TimestampResult verify(final byte[] token, final byte[] signatureBytes,
      final List<X509Certificate> tsaRoots) {
    return verify(token, signatureBytes, null, tsaRoots);
  }

  @Override
  public TimestampResult verify(final byte[] token, final byte[] signatureBytes, final String imprintHash,
      final List<X509Certificate> tsaRoots) {
    try {
      return doVerify(token, signatureBytes, imprintHash, tsaRoots);
    } catch (Fail f) {
      return f.result;
    } catch (RuntimeException e) {
      // A parser bug on hostile input must still end as a failed check, never as an exception or a pass.
      return invalid(ReasonCode.TIMESTAMP_INVALID, "timestamp token cannot be processed: " + e, null, Duration.ZERO,
          List.of());
    }
  }

  private TimestampResult doVerify(final byte[] token, final byte[] signatureBytes, final String imprintHash,
      final List<X509Certificate> tsaRoots) throws Fail {
    if (token == null || token.length == 0) {
      throw fail(ReasonCode.TIMESTAMP_MISSING, "no timestamp countersignature was found in the signature envelope");
    }
    if (token.length > MAX_TOKEN_BYTES) {
      throw fail(ReasonCode.TIMESTAMP_INVALID, "timestamp token is larger than " + MAX_TOKEN_BYTES + " bytes");
    }
    if (signatureBytes == null || signatureBytes.length == 0) {
      throw fail(ReasonCode.TIMESTAMP_INVALID, "no signature bytes to compare the timestamp against");
    }
    if (tsaRoots == null || tsaRoots.isEmpty() || tsaRoots.stream().anyMatch(Objects::isNull)) {
      throw fail(ReasonCode.TIMESTAMP_UNTRUSTED, "no TSA root certificates to verify the timestamp against");
    }
    if (imprintHash != null && !IMPRINT_HASHES.containsKey(imprintHash.toUpperCase(Locale.ROOT))) {
      throw fail(ReasonCode.TIMESTAMP_INVALID, "unsupported timestamp hash algorithm " + imprintHash);
    }

    // 1. CMS SignedData over id-ct-TSTInfo
    final CMSSignedData cms;
    try {
      cms = new CMSSignedData(token);
    } catch (CMSException | RuntimeException e) {
      throw fail(ReasonCode.TIMESTAMP_INVALID, "timestamp token is not CMS SignedData: " + e.getMessage());
    }
    if (!ID_CT_TSTINFO.equals(cms.getSignedContentType())) {
      throw fail(ReasonCode.TIMESTAMP_INVALID, "timestamp token content type is " + cms.getSignedContentType()
          + ", not id-ct-TSTInfo");
    }
    if (cms.getSignerInfos().size() != 1) {
      throw fail(ReasonCode.TIMESTAMP_INVALID, "timestamp token must have exactly one signer, has "
          + cms.getSignerInfos().size());
    }
    final TimeStampToken tst;
    try {
      tst = new TimeStampToken(cms);
    } catch (org.bouncycastle.tsp.TSPException | IOException | RuntimeException e) {
      // BouncyCastle refuses tokens without any ESS signing-certificate attribute here.
      throw fail(ReasonCode.TIMESTAMP_INVALID, "invalid timestamp token: " + e.getMessage());
    }
    final TimeStampTokenInfo info = tst.getTimeStampInfo();
    final Instant genTime = info.getGenTime().toInstant();
    final Duration accuracy = accuracy(info);

    // 2. TSTInfo version and message imprint
    final BigInteger version = info.toASN1Structure().getVersion().getValue();
    if (!BigInteger.ONE.equals(version)) {
      throw fail(ReasonCode.TIMESTAMP_INVALID, "TSTInfo version must be 1, is " + version, genTime, accuracy);
    }
    final ASN1ObjectIdentifier tokenHash = info.getMessageImprintAlgOID();
    final String jcaHash = jcaHashName(tokenHash);
    if (jcaHash == null) {
      throw fail(ReasonCode.TIMESTAMP_INVALID, "timestamp message imprint uses unsupported hash " + tokenHash
          + " (SHA-256, SHA-384 or SHA-512 required)", genTime, accuracy);
    }
    if (imprintHash != null && !jcaHash.equals(imprintHash.toUpperCase(Locale.ROOT))) {
      throw fail(ReasonCode.TIMESTAMP_INVALID, "timestamp message imprint uses " + jcaHash + " but the signing key"
          + " requires " + imprintHash.toUpperCase(Locale.ROOT), genTime, accuracy);
    }
    final byte[] expected = digest(jcaHash, signatureBytes);
    if (!MessageDigest.isEqual(expected, info.getMessageImprintDigest())) {
      throw fail(ReasonCode.TIMESTAMP_INVALID, "timestamp message imprint does not match the signature (the token"
          + " covers other data)", genTime, accuracy);
    }

    // 4. ESS signing-certificate-v2 → the TSA certificate, from the token
    final SignerInformation signer = cms.getSignerInfos().getSigners().iterator().next();
    final X509CertificateHolder tsaHolder = locateTsaCertificate(cms, signer, genTime, accuracy);

    // 5. CMS signature
    try {
      if (!signer.verify(new JcaSimpleSignerInfoVerifierBuilder().setProvider(BC).build(tsaHolder))) {
        throw fail(ReasonCode.TIMESTAMP_INVALID, "timestamp token signature does not verify", genTime, accuracy);
      }
    } catch (CMSException | OperatorCreationException | CertificateException | RuntimeException e) {
      throw fail(ReasonCode.TIMESTAMP_INVALID, "timestamp token signature does not verify: " + e.getMessage(),
          genTime, accuracy);
    }

    // 6. TSA chain at genTime + TSA certificate rules
    final X509Certificate tsaCert = toX509(tsaHolder, genTime, accuracy);
    final ChainKey key = new ChainKey(tsaCert, Set.copyOf(tsaRoots));
    final ValidChain known = validChains.get(key);
    final List<X509Certificate> chain;
    if (known != null && !genTime.isBefore(known.from()) && !genTime.isAfter(known.to())) {
      // Same TSA certificate, same roots, genTime inside the window where every chain certificate is valid: the
      // path and its rule checks depend on nothing else, so the earlier result holds.
      chain = known.chain();
    } else {
      chain = buildChain(tsaCert, cms, tsaRoots, genTime, accuracy);
      checkChainRules(chain, genTime, accuracy);
      validChains.put(key, ValidChain.of(chain));
    }

    // 7. genTime sanity
    final Instant now = clock.instant();
    if (genTime.minus(accuracy).isAfter(now.plus(MAX_CLOCK_SKEW))) {
      throw fail(ReasonCode.TIMESTAMP_INVALID, "timestamp genTime " + genTime + " is in the future", genTime, accuracy,
          chain);
    }

    // 8. TSA chain revocation (timestamping purpose)
    final RevocationResult rev;
    try {
      rev = revocationChecker.check(chain, RevocationChecker.Purpose.TIMESTAMPING, null);
    } catch (RuntimeException e) {
      throw fail(ReasonCode.REVOCATION_UNKNOWN, "TSA revocation check failed: " + e, genTime, accuracy, chain);
    }
    switch (rev.status()) {
      case REVOKED -> throw fail(ReasonCode.CERT_REVOKED, rev.detail(), genTime, accuracy, chain);
      case UNKNOWN -> throw fail(ReasonCode.REVOCATION_UNKNOWN, rev.detail(), genTime, accuracy, chain);
      case OK -> { }
    }
    return new TimestampResult(true, ReasonCode.OK, "timestamp by \"" + subject(tsaCert) + "\" at " + genTime
        + " (accuracy " + accuracy.toMillis() + " ms) is valid", genTime, accuracy, chain);
  }

  // ------------------------------------------------------------------------------------------ steps

  static Duration accuracy(final TimeStampTokenInfo info) {
    final Accuracy a = info.toASN1Structure().getAccuracy();
    if (a == null) {
      // RFC 3628 baseline policy promises one second; for anything else nothing is promised beyond genTime itself.
      return BASELINE_POLICY.equals(info.getPolicy().getId()) ? Duration.ofSeconds(1) : Duration.ZERO;
    }
    long micros = 0;
    if (a.getSeconds() != null) {
      micros += a.getSeconds().longValueExact() * 1_000_000L;
    }
    if (a.getMillis() != null) {
      micros += a.getMillis().longValueExact() * 1_000L;
    }
    if (a.getMicros() != null) {
      micros += a.getMicros().longValueExact();
    }
    return Duration.ofNanos(micros * 1_000L);
  }

  private static X509CertificateHolder locateTsaCertificate(final CMSSignedData cms, final SignerInformation signer,
      final Instant genTime, final Duration accuracy) throws Fail {
    final AttributeTable signed = signer.getSignedAttributes();
    final Attribute v2 = signed == null ? null : signed.get(PKCSObjectIdentifiers.id_aa_signingCertificateV2);
    if (v2 == null) {
      throw fail(ReasonCode.TIMESTAMP_INVALID, "timestamp token lacks the mandatory ESS signing-certificate-v2"
          + " attribute" + (signed != null && signed.get(PKCSObjectIdentifiers.id_aa_signingCertificate) != null
              ? " (it has only the v1 attribute with a SHA-1 certificate hash)" : ""), genTime, accuracy);
    }
    final ESSCertIDv2 certId;
    try {
      if (v2.getAttrValues().size() != 1) {
        throw new IllegalArgumentException("signing-certificate-v2 must have exactly one value");
      }
      final ESSCertIDv2[] ids = SigningCertificateV2.getInstance(v2.getAttrValues().getObjectAt(0)).getCerts();
      if (ids.length == 0) {
        throw new IllegalArgumentException("no ESSCertIDv2");
      }
      certId = ids[0];
    } catch (RuntimeException e) {
      throw fail(ReasonCode.TIMESTAMP_INVALID, "malformed signing-certificate-v2 attribute: " + e.getMessage(),
          genTime, accuracy);
    }
    final ASN1ObjectIdentifier hashOid = certId.getHashAlgorithm().getAlgorithm();
    final String hash = OIWObjectIdentifiers.idSHA1.equals(hashOid) ? null : jcaHashName(hashOid);
    if (hash == null) {
      throw fail(ReasonCode.TIMESTAMP_INVALID, "signing-certificate-v2 uses unsupported or weak certificate hash "
          + hashOid.getId(), genTime, accuracy);
    }
    final IssuerSerial issuerSerial = certId.getIssuerSerial();
    X509CertificateHolder found = null;
    for (final X509CertificateHolder h : cms.getCertificates().getMatches(null)) {
      final boolean matches = issuerSerial != null ? matches(issuerSerial, h) : signer.getSID().match(h);
      if (matches) {
        found = h;
        break;
      }
    }
    if (found == null) {
      throw fail(ReasonCode.TIMESTAMP_INVALID, "signing certificate not found in the timestamp token", genTime,
          accuracy);
    }
    final byte[] actual;
    try {
      actual = digest(hash, found.getEncoded());
    } catch (IOException e) {
      throw fail(ReasonCode.TIMESTAMP_INVALID, "cannot encode the TSA certificate", genTime, accuracy);
    }
    if (!MessageDigest.isEqual(actual, certId.getCertHash())) {
      throw fail(ReasonCode.TIMESTAMP_INVALID, "signing-certificate-v2 hash does not match the TSA certificate",
          genTime, accuracy);
    }
    // The certificate named by ESS must also be the one the SignerInfo says signed (no swapping of the two).
    if (!signer.getSID().match(found)) {
      throw fail(ReasonCode.TIMESTAMP_INVALID, "signing-certificate-v2 names a different certificate than the"
          + " SignerInfo", genTime, accuracy);
    }
    return found;
  }

  private static boolean matches(final IssuerSerial is, final X509CertificateHolder h) {
    if (!is.getSerial().getValue().equals(h.getSerialNumber())) {
      return false;
    }
    for (final GeneralName gn : is.getIssuer().getNames()) {
      if (gn.getTagNo() == GeneralName.directoryName && X500Name.getInstance(gn.getName()).equals(h.getIssuer())) {
        return true;
      }
    }
    return false;
  }

  private static List<X509Certificate> buildChain(final X509Certificate tsaCert, final CMSSignedData cms,
      final List<X509Certificate> roots, final Instant genTime, final Duration accuracy) throws Fail {
    final List<X509Certificate> pool = new ArrayList<>();
    for (final X509CertificateHolder h : cms.getCertificates().getMatches(null)) {
      pool.add(toX509(h, genTime, accuracy));
    }
    pool.add(tsaCert);
    final Set<TrustAnchor> anchors = new HashSet<>();
    for (final X509Certificate r : roots) {
      anchors.add(new TrustAnchor(r, null));
    }
    // The TSA certificate itself is a trusted root: the chain is just that root.
    for (final X509Certificate r : roots) {
      if (r.equals(tsaCert)) {
        return List.of(tsaCert);
      }
    }
    try {
      final X509CertSelector target = new X509CertSelector();
      target.setCertificate(tsaCert);
      final PKIXBuilderParameters params = new PKIXBuilderParameters(anchors, target);
      // Revocation is checked separately, through the injected checker (OCSP/CRL with bounded timeouts).
      params.setRevocationEnabled(false);
      // The TSA chain must have been valid when the token was issued, not necessarily now.
      params.setDate(Date.from(genTime));
      params.addCertStore(CertStore.getInstance("Collection", new CollectionCertStoreParameters(pool)));
      final PKIXCertPathBuilderResult r = (PKIXCertPathBuilderResult) CertPathBuilder.getInstance("PKIX")
          .build(params);
      final List<X509Certificate> chain = new ArrayList<>();
      for (final var c : r.getCertPath().getCertificates()) {
        chain.add((X509Certificate) c);
      }
      chain.add(r.getTrustAnchor().getTrustedCert());
      return chain;
    } catch (GeneralSecurityException e) {
      throw fail(ReasonCode.TIMESTAMP_UNTRUSTED, "TSA certificate \"" + subject(tsaCert) + "\" does not chain to a"
          + " trusted TSA root at genTime " + genTime + ": " + e.getMessage(), genTime, accuracy);
    }
  }

  private static void checkChainRules(final List<X509Certificate> chain, final Instant genTime,
      final Duration accuracy) throws Fail {
    final X509Certificate leaf = chain.get(0);
    final X509Certificate root = chain.get(chain.size() - 1);
    final Date at = Date.from(genTime);
    try {
      root.checkValidity(at);
    } catch (CertificateException e) {
      throw fail(ReasonCode.TIMESTAMP_UNTRUSTED, "TSA root \"" + subject(root) + "\" was not valid at genTime "
          + genTime, genTime, accuracy, chain);
    }
    for (int i = 0; i < chain.size() - 1; i++) {
      final X509Certificate c = chain.get(i);
      if (SHA1_SIGNATURES.contains(new ASN1ObjectIdentifier(c.getSigAlgOID()))) {
        throw fail(ReasonCode.TIMESTAMP_UNTRUSTED, "TSA chain certificate \"" + subject(c) + "\" is signed with SHA-1",
            genTime, accuracy, chain);
      }
    }
    for (int i = 1; i < chain.size(); i++) {
      final X509Certificate ca = chain.get(i);
      final boolean[] ku = ca.getKeyUsage();
      if (ca.getBasicConstraints() < 0 || ku == null || !ku[5]) {
        throw fail(ReasonCode.TIMESTAMP_UNTRUSTED, "TSA CA certificate \"" + subject(ca) + "\" lacks basicConstraints"
            + " cA=true or keyUsage keyCertSign", genTime, accuracy, chain);
      }
    }
    // RFC 3161 §2.3: the TSA certificate has exactly one extendedKeyUsage, id-kp-timeStamping, marked critical.
    final List<String> eku;
    try {
      eku = leaf.getExtendedKeyUsage();
    } catch (CertificateException e) {
      throw fail(ReasonCode.TIMESTAMP_UNTRUSTED, "TSA certificate extendedKeyUsage is malformed", genTime, accuracy,
          chain);
    }
    final Set<String> critical = leaf.getCriticalExtensionOIDs() == null ? Set.of() : leaf.getCriticalExtensionOIDs();
    if (eku == null || !critical.contains(org.bouncycastle.asn1.x509.Extension.extendedKeyUsage.getId())
        || !eku.equals(List.of(KeyPurposeId.id_kp_timeStamping.getId()))) {
      throw fail(ReasonCode.TIMESTAMP_UNTRUSTED, "TSA certificate \"" + subject(leaf) + "\" must have a critical"
          + " extendedKeyUsage with only id-kp-timeStamping", genTime, accuracy, chain);
    }
    if (chain.size() > 1 && leaf.getBasicConstraints() >= 0) {
      throw fail(ReasonCode.TIMESTAMP_UNTRUSTED, "TSA certificate \"" + subject(leaf) + "\" is a CA certificate",
          genTime, accuracy, chain);
    }
    final boolean[] ku = leaf.getKeyUsage();
    if (ku != null && !ku[0]) {
      throw fail(ReasonCode.TIMESTAMP_UNTRUSTED, "TSA certificate \"" + subject(leaf) + "\" keyUsage lacks"
          + " digitalSignature", genTime, accuracy, chain);
    }
  }

  // ------------------------------------------------------------------------------------------ helpers

  private static String jcaHashName(final ASN1ObjectIdentifier oid) {
    for (final Map.Entry<String, ASN1ObjectIdentifier> e : IMPRINT_HASHES.entrySet()) {
      if (e.getValue().equals(oid)) {
        return e.getKey();
      }
    }
    return null;
  }

  private static byte[] digest(final String jcaHash, final byte[] data) {
    try {
      return MessageDigest.getInstance(jcaHash).digest(data);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(jcaHash + " unavailable", e);
    }
  }

  private static X509Certificate toX509(final X509CertificateHolder h, final Instant genTime,
      final Duration accuracy) throws Fail {
    try {
      return new JcaX509CertificateConverter().getCertificate(h);
    } catch (CertificateException | RuntimeException e) {
      throw fail(ReasonCode.TIMESTAMP_INVALID, "malformed certificate in the timestamp token", genTime, accuracy);
    }
  }

  private static String subject(final X509Certificate c) {
    return c.getSubjectX500Principal().getName(javax.security.auth.x500.X500Principal.RFC2253);
  }

  private static TimestampResult invalid(final ReasonCode reason, final String detail, final Instant genTime,
      final Duration accuracy, final List<X509Certificate> chain) {
    return new TimestampResult(false, reason, detail, genTime, accuracy == null ? Duration.ZERO : accuracy, chain);
  }

  /** Early exit carrying the failed result (no stack trace: it is control flow, not an error). */
  private static final class Fail extends Exception {
    private static final long serialVersionUID = 1L;
    final transient TimestampResult result;

    Fail(final TimestampResult result) {
      super(result.detail(), null, false, false);
      this.result = result;
    }
  }

  private static Fail fail(final ReasonCode reason, final String detail) {
    return new Fail(invalid(reason, detail, null, Duration.ZERO, List.of()));
  }

  private static Fail fail(final ReasonCode reason, final String detail, final Instant genTime,
      final Duration accuracy) {
    return new Fail(invalid(reason, detail, genTime, accuracy, List.of()));
  }

  private static Fail fail(final ReasonCode reason, final String detail, final Instant genTime,
      final Duration accuracy, final List<X509Certificate> chain) {
    return new Fail(invalid(reason, detail, genTime, accuracy, chain));
  }
}
