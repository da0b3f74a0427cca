package dev.sigstream.bench.notary;

import dev.sigstream.notary.NotaryVerifier;
import dev.sigstream.notary.SignatureCandidate;
import dev.sigstream.notary.TargetDescriptor;
import dev.sigstream.notary.VerificationResult;
import dev.sigstream.notary.envelope.EnvelopeException;
import dev.sigstream.notary.envelope.Envelopes;
import dev.sigstream.notary.envelope.ParsedEnvelope;
import dev.sigstream.notary.envelope.SignatureAlgorithm;
import dev.sigstream.notary.policy.TrustPolicyDocument;
import dev.sigstream.notary.revocation.OcspCrlRevocationChecker;
import dev.sigstream.notary.revocation.RevocationFetcher;
import dev.sigstream.notary.sign.EnvelopeFormat;
import dev.sigstream.notary.sign.LocalSigningKey;
import dev.sigstream.notary.sign.NotarySigner;
import dev.sigstream.notary.sign.SignRequest;
import dev.sigstream.notary.truststore.TrustStore;
import dev.sigstream.notary.truststore.TrustStoreType;
import dev.sigstream.testing.pki.Ca;
import dev.sigstream.testing.pki.CertSpec;
import dev.sigstream.testing.pki.Issued;
import dev.sigstream.testing.pki.KeyType;
import dev.sigstream.testing.pki.TestPki;
import java.io.IOException;
import java.net.URI;
import java.security.PublicKey;
import java.security.Signature;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * Fully verified Notary signatures per second per thread, beside the raw single-signature verify rate with the
 * same key and provider, in the same run. Setup: a 3-certificate chain (root, intermediate, leaf) from the test
 * PKI, a strict policy, warm caches: the chain cache and the revocation checker's OCSP cache (the test PKI's real
 * OCSP responses, fetched in process once, then served from cache until nextUpdate as in production).
 *
 * <p>{@code alg}: ES256 (P-256), PS384 (RSA-3072: the only algorithm a 3072-bit key may use) and PS256 (RSA-2048).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class NotaryVerifyBenchmark {

  @Param({"ES256", "PS384", "PS256"})
  public String alg;

  @Param({"JWS", "COSE"})
  public String format;

  private TestPki pki;
  private NotaryVerifier verifier;
  private List<SignatureCandidate> candidates;
  private TargetDescriptor target;
  private String reference;
  private PublicKey leafKey;
  private PublicKey otherKey;
  private Signature raw;
  private Signature rawOther;
  private byte[] signingInput;
  private byte[] signature;

  @Setup(Level.Trial)
  public void setUp() throws Exception {
    final Clock clock = Clock.fixed(Instant.parse("2026-01-01T00:00:00Z"), ZoneOffset.UTC);
    pki = TestPki.start(clock);
    final Ca root = pki.root("CN=Bench Root,O=Sigstream,C=US", KeyType.EC_P384);
    final Ca ca = root.intermediate("CN=Bench CA,O=Sigstream,C=US", KeyType.EC_P256);
    final KeyType kt = switch (alg) {
      case "ES256" -> KeyType.EC_P256;
      case "PS384" -> KeyType.RSA_3072;
      default -> KeyType.RSA_2048;
    };
    final Issued leaf = ca.leaf(CertSpec.leaf("CN=bench,O=Sigstream,ST=WA,C=US").keyType(kt));
    final Map<URI, Ca> cas = new HashMap<>();
    cas.put(root.ocspUrl(), root);
    cas.put(ca.ocspUrl(), ca);
    final RevocationFetcher inProcess = new RevocationFetcher() {
      @Override
      public byte[] fetchCrl(final URI uri) throws IOException {
        throw new IOException("CRL not used in the benchmark");
      }

      @Override
      public byte[] ocsp(final URI responder, final byte[] request) throws IOException {
        final Ca c = cas.get(responder);
        if (c == null) {
          throw new IOException("unknown responder");
        }
        return c.ocspResponse(request);
      }
    };
    final String policy = "{\"version\":\"1.0\",\"trustPolicies\":[{\"name\":\"bench\",\"registryScopes\":[\"*\"],"
        + "\"signatureVerification\":{\"level\":\"strict\"},\"trustStores\":[\"ca:bench\"],"
        + "\"trustedIdentities\":[\"x509.subject:C=US,ST=WA,O=Sigstream\"]}]}";
    verifier = NotaryVerifier.builder()
        .trustPolicy(TrustPolicyDocument.parse(policy))
        .trustStore(TrustStore.of(Map.of(TrustStoreType.CA, Map.of("bench", List.of(root.certificate())))))
        .clock(clock)
        .revocationChecker(new OcspCrlRevocationChecker(inProcess, clock))
        .build();
    target = new TargetDescriptor("application/vnd.oci.image.manifest.v1+json", "sha256:" + "ab".repeat(32), 1024);
    reference = "registry.example/bench@" + target.digest();
    final EnvelopeFormat f = EnvelopeFormat.valueOf(format);
    final byte[] env = NotarySigner.create(new LocalSigningKey(leaf.privateKey(), leaf.chain()), clock, null, null)
        .sign(SignRequest.of(target, f)).envelope();
    candidates = List.of(new SignatureCandidate(f.mediaType(), env));
    final VerificationResult warm = verifier.verify(reference, target, candidates, Map.of());
    if (!warm.passed()) {
      throw new IllegalStateException("benchmark envelope does not verify: " + warm);
    }
    final ParsedEnvelope parsed = parse(f.mediaType(), env);
    signingInput = parsed.signingInput();
    signature = parsed.signature();
    // The key object the verifier itself uses: parsed from the envelope's certificate, in the provider's form.
    final PublicKey certKey = dev.sigstream.notary.cert.Certificates.parseDer(parsed.certificateChain().get(0))
        .getPublicKey();
    leafKey = SignatureAlgorithm.verificationKey(certKey);
    raw = parsed.algorithm().newSignature(); // the provider the verifier uses
    rawOther = otherProviderSignature(parsed.algorithm());
    // ECDSA: the JDK's own key object; RSA: BouncyCastle's (each provider with its native key form).
    otherKey = parsed.algorithm().isRsa()
        ? java.security.KeyFactory.getInstance("RSA", BC).generatePublic(
            new java.security.spec.X509EncodedKeySpec(certKey.getEncoded()))
        : certKey;
    if (!rawVerify() || !rawVerifyOtherProvider()) {
      throw new IllegalStateException("a raw signature check failed for " + alg);
    }
  }

  private static ParsedEnvelope parse(final String mediaType, final byte[] env) throws EnvelopeException {
    return Envelopes.parse(mediaType, env, Envelopes.DEFAULT_MAX_ENVELOPE_BYTES);
  }

  private static final java.security.Provider BC = new org.bouncycastle.jce.provider.BouncyCastleProvider();

  /** The provider the verifier does not use for this algorithm: SunEC for ECDSA, BouncyCastle for RSA-PSS. */
  private static Signature otherProviderSignature(final SignatureAlgorithm a) throws Exception {
    final String hash = a.hashAlgorithm().replace("-", "");
    if (a.isRsa()) {
      final Signature s = Signature.getInstance("RSASSA-PSS", BC);
      final int saltLength = Integer.parseInt(hash.substring(3)) / 8;
      s.setParameter(new java.security.spec.PSSParameterSpec(a.hashAlgorithm(), "MGF1",
          new java.security.spec.MGF1ParameterSpec(a.hashAlgorithm()), saltLength, 1));
      return s;
    }
    return Signature.getInstance(hash + "withECDSAinP1363Format", "SunEC");
  }

  @TearDown(Level.Trial)
  public void tearDown() {
    pki.close();
  }

  /** Everything: parse, chain (cached), signature, trust, identity, validity, expiry, revocation (cached), target. */
  @Benchmark
  public VerificationResult fullVerify() {
    return verifier.verify(reference, target, candidates, Map.of());
  }

  /** One signature check with the same key and provider: the floor. */
  @Benchmark
  public boolean rawVerify() throws Exception {
    raw.initVerify(leafKey);
    raw.update(signingInput);
    return raw.verify(signature);
  }

  /**
   * The same check with the provider not chosen (ECDSA: the JDK's SunEC; RSA-PSS: BouncyCastle), to show the
   * choice is the faster one. Must verify: a provider that rejected the signature would not be a candidate.
   */
  @Benchmark
  public boolean rawVerifyOtherProvider() throws Exception {
    rawOther.initVerify(otherKey);
    rawOther.update(signingInput);
    return rawOther.verify(signature);
  }
}
