package dev.sigstream.notary.sign;

import dev.sigstream.notary.cert.CertificateRuleException;
import dev.sigstream.notary.cert.CertificateRules;
import dev.sigstream.notary.cert.Certificates;
import dev.sigstream.notary.envelope.EnvelopeWriter;
import dev.sigstream.notary.envelope.Payload;
import dev.sigstream.notary.envelope.SignatureAlgorithm;
import dev.sigstream.notary.envelope.SigningScheme;
import dev.sigstream.notary.timestamp.TsaClient;
import java.security.MessageDigest;
import java.security.cert.CertificateEncodingException;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Produces Notary Project signature envelopes (JWS or COSE) for an artifact descriptor. The algorithm follows the
 * leaf key; the chain is checked against the certificate rules before anything is signed, so the signer never
 * emits an envelope a conformant verifier must reject for its chain. With {@link SignRequest#timestamp()} the raw
 * signature is countersigned by the configured TSA; any TSA failure fails signing. Thread-safe if the
 * {@link SigningKey} is.
 */
public final class NotarySigner {

  /** Default {@code io.cncf.notary.signingAgent}. */
  public static final String DEFAULT_SIGNING_AGENT = "sigstream/0.1.0";

  private final SigningKey key;
  private final Clock clock;
  private final TsaClient tsa;
  private final String signingAgent;
  private final SignatureAlgorithm algorithm;
  private final List<byte[]> chainDer;
  private final List<String> thumbprints;

  private NotarySigner(final SigningKey key, final Clock clock, final TsaClient tsa, final String signingAgent)
      throws SigningException {
    this.key = Objects.requireNonNull(key, "key");
    this.clock = Objects.requireNonNull(clock, "clock");
    this.tsa = tsa;
    this.signingAgent = signingAgent;
    final List<X509Certificate> chain = key.certificateChain();
    try {
      CertificateRules.validateCodeSigningChain(chain);
    } catch (final CertificateRuleException e) {
      throw new SigningException("the signing certificate chain does not meet the Notary Project rules: "
          + e.getMessage(), e);
    }
    this.algorithm = SignatureAlgorithm.forKey(chain.get(0).getPublicKey()).orElseThrow(() ->
        new SigningException("the signing key type or size is not supported"));
    final List<byte[]> ders = new ArrayList<>();
    final List<String> tps = new ArrayList<>();
    for (final X509Certificate c : chain) {
      try {
        ders.add(c.getEncoded());
      } catch (final CertificateEncodingException e) {
        throw new SigningException("cannot encode the certificate chain", e);
      }
      tps.add(Certificates.sha256Hex(c));
    }
    this.chainDer = List.copyOf(ders);
    this.thumbprints = List.copyOf(tps);
  }

  /**
   * @param tsa TSA client for timestamped signatures, or null
   * @param signingAgent value of {@code io.cncf.notary.signingAgent}, or null to omit it
   * @throws SigningException when the key's chain or key type does not meet the rules
   */
  public static NotarySigner create(final SigningKey key, final Clock clock, final TsaClient tsa,
      final String signingAgent) throws SigningException {
    return new NotarySigner(key, clock, tsa, signingAgent);
  }

  public SignatureAlgorithm algorithm() {
    return algorithm;
  }

  /** Signs; never returns a partial envelope. */
  public SignedEnvelope sign(final SignRequest req) throws SigningException {
    if (req.timestamp() && req.scheme() != SigningScheme.X509) {
      throw new SigningException("timestamps are only defined for signing scheme notary.x509");
    }
    if (!req.timestamp() && key.requiresTimestamp()) {
      throw new SigningException(key + " issues short-lived certificates: its signatures need an RFC 3161"
          + " timestamp, and none was requested (configure a timestamp authority)");
    }
    if (req.timestamp() && tsa == null) {
      throw new SigningException("a timestamp was requested but no TSA is configured");
    }
    // Whole seconds: COSE times are integers, and the spec discourages fractional seconds in JWS.
    final Instant now = clock.instant().truncatedTo(ChronoUnit.SECONDS);
    final Instant expiry = req.expiry() == null ? null : now.plus(req.expiry()).truncatedTo(ChronoUnit.SECONDS);
    final var t = req.target();
    final byte[] payload = new Payload(t.mediaType(), t.digest(), t.size(), null, req.userMetadata()).toJson();
    final EnvelopeWriter.Attributes attrs = new EnvelopeWriter.Attributes(algorithm, req.scheme(), now, expiry, Map.of());
    final EnvelopeWriter.Signer signer = data -> key.sign(data, algorithm);
    final EnvelopeWriter.Timestamper ts = req.timestamp() ? sig -> {
      final MessageDigest md = MessageDigest.getInstance(algorithm.hashAlgorithm());
      final byte[] token = tsa.timestamp(md.digest(sig), algorithm.hashAlgorithm());
      if (token == null || token.length == 0) {
        throw new SigningException("the TSA returned no timestamp token");
      }
      return token;
    } : null;
    final byte[] env;
    try {
      env = switch (req.format()) {
        case JWS -> EnvelopeWriter.jws(attrs, payload, chainDer, signingAgent, signer, ts);
        case COSE -> EnvelopeWriter.cose(attrs, payload, chainDer, signingAgent, signer, ts);
      };
    } catch (final SigningException e) {
      throw e;
    } catch (final Exception e) {
      throw new SigningException("signing failed: " + e.getMessage(), e);
    }
    return new SignedEnvelope(req.format().mediaType(), env, thumbprints, now);
  }
}
