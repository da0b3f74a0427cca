package dev.sigstream.signing.azure;

import dev.sigstream.notary.NotaryVerifier;
import dev.sigstream.notary.SignatureCandidate;
import dev.sigstream.notary.TargetDescriptor;
import dev.sigstream.notary.VerificationResult;
import dev.sigstream.notary.envelope.SigningScheme;
import dev.sigstream.notary.policy.TrustPolicyDocument;
import dev.sigstream.notary.revocation.OcspCrlRevocationChecker;
import dev.sigstream.notary.revocation.RevocationFetcher;
import dev.sigstream.notary.sign.EnvelopeFormat;
import dev.sigstream.notary.sign.NotarySigner;
import dev.sigstream.notary.sign.SignRequest;
import dev.sigstream.notary.sign.SignedEnvelope;
import dev.sigstream.notary.sign.SigningException;
import dev.sigstream.notary.sign.SigningKey;
import dev.sigstream.notary.timestamp.BcTimestampVerifier;
import dev.sigstream.notary.truststore.TrustStore;
import dev.sigstream.notary.truststore.TrustStoreType;
import dev.sigstream.testing.MutableClock;
import dev.sigstream.testing.pki.Ca;
import dev.sigstream.testing.pki.KeyType;
import dev.sigstream.testing.pki.TestPki;
import dev.sigstream.testing.pki.Tsa;
import dev.sigstream.testing.pki.TsaSpec;
import java.io.IOException;
import java.net.URI;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * The project's own verifier over an offline test PKI (root, intermediate, TSA; OCSP and CRL answered in-process):
 * what a signature made through a remote key must pass, exactly as {@code sigstream verify} would decide it.
 */
final class OfflineTrust implements AutoCloseable {

  static final Instant NOW = Instant.parse("2026-06-01T00:00:00Z");
  static final String SUBJECT = "CN=signer,OU=Build,O=Sigstream,ST=WA,C=US";
  static final TargetDescriptor TARGET = new TargetDescriptor("application/vnd.oci.image.manifest.v1+json",
      "sha256:" + "cd".repeat(32), 4321);
  static final String REF = "registry.example/team/app@" + TARGET.digest();

  final MutableClock clock = new MutableClock(NOW);
  final TestPki pki = TestPki.offline(clock);
  final Ca root = pki.root("CN=Vault Test Root,O=Sigstream,C=US", KeyType.EC_P384);
  final Ca intermediate = root.intermediate("CN=Vault Test CA,O=Sigstream,C=US", KeyType.EC_P256);
  final Tsa tsa = pki.tsa(TsaSpec.defaults().keyType(KeyType.EC_P256));
  final NotaryVerifier verifier;

  OfflineTrust() {
    final String policy = "{\"version\":\"1.0\",\"trustPolicies\":[{\"name\":\"vault\",\"registryScopes\":[\"*\"],"
        + "\"signatureVerification\":{\"level\":\"strict\"},\"trustStores\":[\"ca:vault\",\"tsa:vault\"],"
        + "\"trustedIdentities\":[\"x509.subject:C=US,ST=WA,O=Sigstream,OU=Build\"]}]}";
    final TrustStore store = TrustStore.of(Map.of(
        TrustStoreType.CA, Map.of("vault", List.of(root.certificate())),
        TrustStoreType.TSA, Map.of("vault", List.of(tsa.rootCertificate()))));
    final RevocationFetcher inProcess = new RevocationFetcher() {
      @Override
      public byte[] fetchCrl(final URI uri) throws IOException {
        return pki.crl(uri);
      }

      @Override
      public byte[] ocsp(final URI responder, final byte[] request) throws IOException {
        return pki.ocsp(responder, request);
      }
    };
    verifier = NotaryVerifier.builder()
        .trustPolicy(TrustPolicyDocument.parse(policy))
        .trustStore(store)
        .clock(clock)
        .revocationChecker(new OcspCrlRevocationChecker(inProcess, clock))
        .timestampVerifier(new BcTimestampVerifier(clock, new OcspCrlRevocationChecker(inProcess, clock)))
        .build();
  }

  /** Signs {@link #TARGET} through {@code key}, timestamped by the test TSA when {@code timestamp}. */
  SignedEnvelope sign(final SigningKey key, final EnvelopeFormat format, final boolean timestamp)
      throws SigningException {
    return NotarySigner.create(key, clock, tsa::timestamp, NotarySigner.DEFAULT_SIGNING_AGENT)
        .sign(new SignRequest(TARGET, format, SigningScheme.X509, null, Map.of(), timestamp));
  }

  VerificationResult verify(final SignedEnvelope env) {
    return verifier.verify(REF, TARGET, List.of(new SignatureCandidate(env.mediaType(), env.envelope())), Map.of());
  }

  @Override
  public void close() {
    pki.close();
  }
}
