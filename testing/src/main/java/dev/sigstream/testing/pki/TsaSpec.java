package dev.sigstream.testing.pki;

import java.time.Clock;
import java.time.Duration;
import java.util.function.UnaryOperator;

/**
 * Configuration of a {@link Tsa}. Defaults: RSA-3072 root and TSA leaf (EKU timeStamping only, critical, with OCSP and
 * CRL URLs of the TSA root), ESS signing-certificate-v2 with SHA-256, accuracy 1 s, policy {@link #DEFAULT_POLICY},
 * genTime from the PKI clock, token signed with SHA-256, certificates included. Tokens are assembled directly (not
 * with BouncyCastle's TimeStampTokenGenerator, which refuses non-conforming TSA certificates), so every variant here
 * yields a token, including ones a verifier must reject. They carry no CMS signingTime attribute.
 */
public final class TsaSpec {

  /** Test TSA policy OID (private arc; not the RFC 3628 baseline policy). */
  public static final String DEFAULT_POLICY = "1.3.6.1.4.1.99999.2.1";

  /** RFC 3628 baseline time-stamp policy; the Notary spec implies 1 s accuracy for it when none is stated. */
  public static final String BASELINE_POLICY = "0.4.0.2023.1.1";

  /** Which ESS signing-certificate attribute the token carries. */
  public enum Ess {
    /** signing-certificate-v2 with a SHA-256 certificate hash and IssuerSerial (what the Notary spec requires). */
    V2,
    /** signing-certificate-v2 without IssuerSerial (the verifier falls back to the SignerInfo sid). */
    V2_WITHOUT_ISSUER_SERIAL,
    /** signing-certificate (v1, SHA-1 certificate hash) only: must be rejected by Notary verifiers. */
    V1_ONLY,
    /** signing-certificate-v2 whose certificate hash is SHA-1: must be rejected. */
    V2_SHA1_HASH,
    /** signing-certificate-v2 whose certificate hash does not match the TSA certificate: must be rejected. */
    V2_WRONG_HASH,
    /** No signing-certificate attribute at all: must be rejected. */
    NONE
  }

  String rootDn = "CN=Sigstream Test TSA Root,O=Sigstream,C=US";
  String tsaDn = "CN=Sigstream Test TSA,O=Sigstream,C=US";
  KeyType keyType = KeyType.RSA_3072;
  Clock genTimeClock;
  Duration accuracy = Duration.ofSeconds(1);
  String policy = DEFAULT_POLICY;
  Ess ess = Ess.V2;
  String tokenDigest = "SHA-256";
  UnaryOperator<CertSpec> leafCustomizer = UnaryOperator.identity();
  UnaryOperator<CertSpec> rootCustomizer = UnaryOperator.identity();
  boolean includeCertificates = true;
  boolean intermediate;
  int tstInfoVersion = 1;

  /** Defaults (see class doc). */
  public static TsaSpec defaults() {
    return new TsaSpec();
  }

  public TsaSpec rootDn(final String dn) {
    this.rootDn = dn;
    return this;
  }

  public TsaSpec tsaDn(final String dn) {
    this.tsaDn = dn;
    return this;
  }

  public TsaSpec keyType(final KeyType type) {
    this.keyType = type;
    return this;
  }

  /** Clock that supplies genTime (default: the PKI clock). */
  public TsaSpec genTimeClock(final Clock clock) {
    this.genTimeClock = clock;
    return this;
  }

  /** Accuracy placed in TSTInfo; null omits the field. Whole milliseconds only. */
  public TsaSpec accuracy(final Duration accuracy) {
    this.accuracy = accuracy;
    return this;
  }

  public TsaSpec policy(final String oid) {
    this.policy = oid;
    return this;
  }

  public TsaSpec ess(final Ess ess) {
    this.ess = ess;
    return this;
  }

  /** Digest of the CMS signer info (SHA-256, SHA-384, SHA-512). */
  public TsaSpec tokenDigest(final String jcaDigest) {
    this.tokenDigest = jcaDigest;
    return this;
  }

  /**
   * Adjusts the TSA leaf certificate spec before issuance (e.g. {@code s -> s.ekuCritical(false)} for a bad TSA
   * certificate, or {@code s -> s.validity(a, b)}).
   */
  public TsaSpec leaf(final UnaryOperator<CertSpec> customizer) {
    this.leafCustomizer = customizer;
    return this;
  }

  /** Adjusts the TSA root spec (start: {@link CertSpec#ca(String)}), e.g. {@code s -> s.validity(a, b)}. */
  public TsaSpec root(final UnaryOperator<CertSpec> customizer) {
    this.rootCustomizer = customizer;
    return this;
  }

  /** TSTInfo version written into tokens (RFC 3161 defines only 1; anything else must be rejected). */
  public TsaSpec tstInfoVersion(final int version) {
    this.tstInfoVersion = version;
    return this;
  }

  /** Put an intermediate CA between the TSA root and the TSA leaf (a 3-certificate chain, as public TSAs have). */
  public TsaSpec withIntermediate(final boolean withIntermediate) {
    this.intermediate = withIntermediate;
    return this;
  }

  /**
   * Whether tokens carry the TSA certificates (default true; the HTTP endpoint also honours the request's certReq).
   * False yields a token without certificates, which Notary verifiers must reject.
   */
  public TsaSpec includeCertificates(final boolean include) {
    this.includeCertificates = include;
    return this;
  }
}
