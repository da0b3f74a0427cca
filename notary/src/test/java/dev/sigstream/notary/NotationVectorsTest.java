package dev.sigstream.notary;

import static dev.sigstream.notary.Fixtures.CLOCK;
import static dev.sigstream.notary.Fixtures.certs;
import static dev.sigstream.notary.Fixtures.read;
import static dev.sigstream.notary.Fixtures.vector;
import static org.assertj.core.api.Assertions.assertThat;

import dev.sigstream.notary.CheckResult.Action;
import dev.sigstream.notary.CheckResult.Status;
import dev.sigstream.notary.VerificationResult.Outcome;
import dev.sigstream.notary.cert.Certificates;
import dev.sigstream.notary.envelope.Headers;
import dev.sigstream.notary.policy.TrustPolicyDocument;
import dev.sigstream.notary.revocation.OcspCrlRevocationChecker;
import dev.sigstream.notary.revocation.RevocationFetcher;
import dev.sigstream.notary.revocation.RevocationStatus;
import dev.sigstream.notary.sign.SignatureManifest;
import dev.sigstream.notary.timestamp.BcTimestampVerifier;
import dev.sigstream.notary.truststore.TrustStore;
import dev.sigstream.notary.truststore.TrustStoreType;
import java.io.IOException;
import java.net.URI;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** Vector sections 1, 2 and 3 of shared/reference/notary/vectors/README.md, end to end, at each level. */
class NotationVectorsTest {

  /** Offline: any network fetch fails, so only chains without AIA/CDP come out OK. */
  static final RevocationFetcher OFFLINE = new RevocationFetcher() {
    @Override
    public byte[] fetchCrl(final URI uri) throws IOException {
      throw new IOException("offline");
    }

    @Override
    public byte[] ocsp(final URI responder, final byte[] request) throws IOException {
      throw new IOException("offline");
    }
  };

  static final String MOCK_REF =
      "registry.acme-rockets.io/software/net-monitor@sha256:60043cf45eaebc4c0867fea485a039b598f52fd09fd5b07b0b2d2f88fad9d74e";
  static final TargetDescriptor MOCK_TARGET = new TargetDescriptor(
      "application/vnd.docker.distribution.manifest.v2+json",
      "sha256:60043cf45eaebc4c0867fea485a039b598f52fd09fd5b07b0b2d2f88fad9d74e", 528);

  static NotaryVerifier mockVerifier(final String level) {
    final List<X509Certificate> root = certs(vector("notation-go/truststore/x509/ca/valid-trust-store/NotationTestRoot.pem"));
    final TrustStore store = TrustStore.of(Map.of(
        TrustStoreType.CA, Map.of("valid-trust-store", root),
        TrustStoreType.SIGNING_AUTHORITY, Map.of("valid-trust-store", root)));
    final String policy = Fixtures.policy("registry.acme-rockets.io/software/net-monitor", level, null,
        "[\"ca:valid-trust-store\",\"signingAuthority:valid-trust-store\"]",
        "[\"x509.subject:CN=Notation Test Root,O=Notary,L=Seattle,ST=WA,C=US\"]", null);
    return Fixtures.verifier(policy, store)
        .revocationChecker(new OcspCrlRevocationChecker(OFFLINE, CLOCK))
        .build();
  }

  static VerificationResult verifyMock(final String level, final String file) {
    final byte[] env = read(vector("notation-go/mock-envelopes/" + file));
    return mockVerifier(level).verify(MOCK_REF, MOCK_TARGET, List.of(new SignatureCandidate(Headers.MEDIA_TYPE_JWS, env)),
        Map.of());
  }

  @Nested
  class MockEnvelopes {

    @ParameterizedTest
    @CsvSource({"strict,ca_valid_sig_env.json", "permissive,ca_valid_sig_env.json", "audit,ca_valid_sig_env.json",
        "strict,sa_valid_sig_env.json", "permissive,sa_valid_sig_env.json", "audit,sa_valid_sig_env.json"})
    void validEnvelopes_passAtEveryLevel(final String level, final String file) {
      // When
      final VerificationResult r = verifyMock(level, file);
      // Then
      assertThat(r.outcome()).as(r.toString()).isEqualTo(Outcome.PASS);
      assertThat(r.warnings()).isEmpty();
      final SignatureResult s = r.signatures().get(0);
      assertThat(s.checks()).extracting(CheckResult::status).containsOnly(Status.PASSED);
      assertThat(s.checks()).extracting(CheckResult::check).containsExactly(Check.INTEGRITY, Check.AUTHENTICITY,
          Check.TRUSTED_IDENTITY, Check.AUTHENTIC_TIMESTAMP, Check.EXPIRY, Check.REVOCATION, Check.TARGET_ARTIFACT);
      assertThat(s.signerSubject()).contains("CN=Notation Test Root");
      assertThat(s.signingScheme()).isEqualTo(file.startsWith("sa") ? "notary.x509.signingAuthority" : "notary.x509");
    }

    @ParameterizedTest
    @ValueSource(strings = {"strict", "permissive", "audit"})
    void paddedPayload_failsIntegrityAtEveryLevel(final String level) {
      final VerificationResult r = verifyMock(level, "ca_invalid_sig_env.json");
      assertThat(r.outcome()).isEqualTo(Outcome.FAIL);
      assertThat(r.reason()).isEqualTo(ReasonCode.ENVELOPE_MALFORMED);
      assertThat(r.signatures().get(0).checks()).singleElement().satisfies(c -> {
        assertThat(c.check()).isEqualTo(Check.INTEGRITY);
        assertThat(c.action()).isEqualTo(Action.ENFORCED);
      });
    }

    @ParameterizedTest
    @ValueSource(strings = {"ca_expired_sig_env.json", "sa_expired_sig_env.json"})
    void expiredSignature_failsInStrict(final String file) {
      final VerificationResult r = verifyMock("strict", file);
      assertThat(r.outcome()).isEqualTo(Outcome.FAIL);
      assertThat(r.reason()).isEqualTo(ReasonCode.SIGNATURE_EXPIRED);
      assertThat(r.signatures().get(0).check(Check.EXPIRY)).get()
          .extracting(CheckResult::action, CheckResult::status).containsExactly(Action.ENFORCED, Status.FAILED);
    }

    @ParameterizedTest
    @CsvSource({"permissive,ca_expired_sig_env.json", "audit,ca_expired_sig_env.json",
        "permissive,sa_expired_sig_env.json", "audit,sa_expired_sig_env.json"})
    void expiredSignature_isLoggedInPermissiveAndAudit(final String level, final String file) {
      final VerificationResult r = verifyMock(level, file);
      assertThat(r.outcome()).isEqualTo(Outcome.PASS);
      assertThat(r.warnings()).singleElement().satisfies(w -> {
        assertThat(w.check()).isEqualTo(Check.EXPIRY);
        assertThat(w.action()).isEqualTo(Action.LOGGED);
        assertThat(w.reason()).isEqualTo(ReasonCode.SIGNATURE_EXPIRED);
      });
    }

    @ParameterizedTest
    @ValueSource(strings = {"strict", "permissive", "audit"})
    void pluginEnvelope_failsAtEveryLevel(final String level) {
      final VerificationResult r = verifyMock(level, "ca_plugin_sig_env.json");
      assertThat(r.outcome()).isEqualTo(Outcome.FAIL);
      assertThat(r.reason()).isEqualTo(ReasonCode.PLUGIN_UNSUPPORTED);
    }

    static final TargetDescriptor METADATA_TARGET = new TargetDescriptor(
        "application/vnd.docker.distribution.manifest.v2+json",
        "sha256:5a07385af4e6b6af81b0ebfd435aedccdfa3507f0609c658209e1aba57159b2b", 942);

    VerificationResult metadata(final Map<String, String> metadata) {
      final byte[] env = read(vector("notation-go/mock-envelopes/sig_env_with_metadata.json"));
      return mockVerifier("audit").verify(MOCK_REF, METADATA_TARGET,
          List.of(new SignatureCandidate(Headers.MEDIA_TYPE_JWS, env)), metadata);
    }

    @Test
    void userMetadata_matchingSubsets_pass() {
      for (final Map<String, String> m : List.of(Map.<String, String>of(),
          Map.of("io.wabbit-networks.buildId", "123"),
          Map.of("io.wabbit-networks.buildId", "123", "io.wabbit-networks.buildTime", "1672944615"))) {
        final VerificationResult r = metadata(m);
        assertThat(r.outcome()).as(m.toString()).isEqualTo(Outcome.PASS);
        // Audit: the untrusted self-signed leaf and its expired validity are only logged.
        assertThat(r.warnings()).extracting(CheckResult::check)
            .contains(Check.AUTHENTICITY, Check.AUTHENTIC_TIMESTAMP);
      }
    }

    @Test
    void userMetadata_mismatch_fails() {
      for (final Map<String, String> m : List.of(Map.of("io.wabbit-networks.buildId", "321"),
          Map.of("io.wabbit-networks.buildId", "123", "io.wabbit-networks.buildTime", "1"))) {
        final VerificationResult r = metadata(m);
        assertThat(r.outcome()).as(m.toString()).isEqualTo(Outcome.FAIL);
        assertThat(r.reason()).isEqualTo(ReasonCode.USER_METADATA_MISMATCH);
      }
    }

    @Test
    void metadataEnvelope_atStrict_failsAuthenticity() {
      final byte[] env = read(vector("notation-go/mock-envelopes/sig_env_with_metadata.json"));
      final VerificationResult r = mockVerifier("strict").verify(MOCK_REF, METADATA_TARGET,
          List.of(new SignatureCandidate(Headers.MEDIA_TYPE_JWS, env)), Map.of());
      assertThat(r.outcome()).isEqualTo(Outcome.FAIL);
      assertThat(r.reason()).isEqualTo(ReasonCode.UNTRUSTED_CHAIN);
    }

    @Test
    void validEnvelope_forAnotherTarget_failsDigestMismatch() {
      final byte[] env = read(vector("notation-go/mock-envelopes/ca_valid_sig_env.json"));
      final VerificationResult r = mockVerifier("strict").verify(MOCK_REF,
          new TargetDescriptor(MOCK_TARGET.mediaType(), "sha256:" + "0".repeat(64), 528),
          List.of(new SignatureCandidate(Headers.MEDIA_TYPE_JWS, env)), Map.of());
      assertThat(r.reason()).isEqualTo(ReasonCode.DIGEST_MISMATCH);
    }
  }

  @Nested
  class LongLivedEnvelopes {

    static final String REF = "registry.example/alpine@sha256:19dbd2e48e921426ee8ace4dc892edfb2ecdc1d1a72d5416c83670c30acecef0";
    static final TargetDescriptor TARGET = new TargetDescriptor("application/vnd.oci.image.manifest.v1+json",
        "sha256:19dbd2e48e921426ee8ace4dc892edfb2ecdc1d1a72d5416c83670c30acecef0", 481);

    @ParameterizedTest
    @CsvSource({"jws_signature.sig,application/jose+json", "cose_signature.sig,application/cose"})
    void validAtStrict_withItsCertInCaStore(final String file, final String mediaType) throws Exception {
      // Given: the alpine certificate the envelope carries, in a ca store
      final byte[] env = read(vector("notation-go/envelopes/" + file));
      final EnvelopeInspection inspection = NotaryVerifier.inspect(mediaType, env);
      assertThat(inspection.parsed()).as(inspection.detail()).isTrue();
      final X509Certificate alpine = inspection.certificates().get(0);
      assertThat(Certificates.sha256Hex(alpine))
          .isEqualTo("9f5f5aecee24b5cfdc7a91f6d5ac5c3a5348feb17c934d403f59ac251549ea0d");
      final NotaryVerifier v = Fixtures.verifier(Fixtures.policy("*", "strict", null, "[\"ca:alpine\"]", "[\"*\"]", null),
          TrustStore.of(Map.of(TrustStoreType.CA, Map.of("alpine", List.of(alpine))))).build();
      // When
      final VerificationResult r = v.verify(REF, TARGET, List.of(new SignatureCandidate(mediaType, env)), Map.of());
      // Then
      assertThat(r.outcome()).as(r.toString()).isEqualTo(Outcome.PASS);
      assertThat(r.signatures().get(0).signingTime()).isEqualTo(mediaType.equals(Headers.MEDIA_TYPE_JWS)
          ? "2023-03-14T08:10:02Z" : "2023-03-14T04:45:22Z");
      // And the manifest annotations notation-go writes for it
      final SignatureManifest m = SignatureManifest.of(TARGET, mediaType, env, List.of(Certificates.sha256Hex(alpine)),
          java.time.Instant.parse("2023-03-14T08:10:02Z"));
      final var json = new com.fasterxml.jackson.databind.ObjectMapper().readTree(m.json());
      assertThat(json.at("/annotations").get("io.cncf.notary.x509chain.thumbprint#S256").asText())
          .isEqualTo("[\"9f5f5aecee24b5cfdc7a91f6d5ac5c3a5348feb17c934d403f59ac251549ea0d\"]");
      assertThat(json.at("/annotations").get("org.opencontainers.image.created").asText())
          .isEqualTo("2023-03-14T08:10:02Z");
      assertThat(json.at("/artifactType").asText()).isEqualTo("application/vnd.cncf.notary.signature");
      assertThat(json.at("/config/mediaType").asText()).isEqualTo("application/vnd.oci.empty.v1+json");
      assertThat(json.at("/subject/digest").asText()).isEqualTo(TARGET.digest());
      assertThat(json.at("/layers/0/mediaType").asText()).isEqualTo(mediaType);
    }

    @ParameterizedTest
    @CsvSource({"jws_signature.sig,application/jose+json", "cose_signature.sig,application/cose"})
    void untrustedAtStrict_withoutItsCert(final String file, final String mediaType) {
      final byte[] env = read(vector("notation-go/envelopes/" + file));
      final NotaryVerifier v = mockVerifier("strict");
      final VerificationResult r = v.verifyWith(
          v.selectPolicy(MOCK_REF) instanceof PolicySelection.Applicable a ? a.statement() : null, TARGET,
          List.of(new SignatureCandidate(mediaType, env)), Map.of());
      assertThat(r.reason()).isEqualTo(ReasonCode.UNTRUSTED_CHAIN);
    }
  }

  @Nested
  class TimestampEnvelopes {

    static final String REF = "registry.example/app@sha256:c0669ef34cdc14332c0f1ab0c2c01acb91d96014b172f1a76f3a39e63d1f0bda";
    static final TargetDescriptor TARGET = new TargetDescriptor("application/vnd.docker.distribution.manifest.v2+json",
        "sha256:c0669ef34cdc14332c0f1ab0c2c01acb91d96014b172f1a76f3a39e63d1f0bda", 528);

    /** notation-go vector config: ca:valid-trust-store + tsa:test-timestamp, identities *, strict. */
    VerificationResult verify(final String file, final String stores, final String verifyTimestamp) {
      final String mediaType = file.startsWith("cose") || file.equals("timestampAfterNotAfter.sig")
          ? Headers.MEDIA_TYPE_COSE : Headers.MEDIA_TYPE_JWS;
      final byte[] env = read(vector("notation-go/timestamp-envelopes/" + file));
      final EnvelopeInspection inspection = NotaryVerifier.inspect(mediaType, env);
      assertThat(inspection.parsed()).as(file + ": " + inspection.detail()).isTrue();
      // Each envelope's self-signed leaf goes in the ca store, as the README says for an end-to-end run.
      final X509Certificate leaf = inspection.certificates().get(0);
      final TrustStore store;
      try {
        store = TrustStore.of(Map.of(
            TrustStoreType.CA, Map.of("valid-trust-store", List.of(leaf)),
            TrustStoreType.TSA, Map.of("test-timestamp",
                certs(vector("notation-go/truststore/x509/tsa/test-timestamp/globalsignRoot.cer")))));
      } catch (final RuntimeException e) {
        throw e;
      }
      final NotaryVerifier v = Fixtures.verifier(Fixtures.policy("*", "strict", null, stores, "[\"*\"]",
              verifyTimestamp), store)
          .revocationChecker(new OcspCrlRevocationChecker(OFFLINE, CLOCK))
          // The GlobalSign TSA chain has OCSP/CRL URLs; offline they are unknown, so the TSA checker answers OK.
          .timestampVerifier(new BcTimestampVerifier(CLOCK, Fixtures.revocation(RevocationStatus.OK)))
          .build();
      return v.verify(REF, TARGET, List.of(new SignatureCandidate(mediaType, env)), Map.of());
    }

    static final String WITH_TSA = "[\"ca:valid-trust-store\",\"tsa:test-timestamp\"]";

    @ParameterizedTest
    @CsvSource({"jwsWithTimestamp.sig,always", "jwsWithTimestamp.sig,afterCertExpiry",
        "coseWithTimestamp.sig,always", "coseWithTimestamp.sig,afterCertExpiry",
        "jwsExpiredWithTimestamp.sig,always", "coseExpiredWithTimestamp.sig,always",
        "jwsExpiredWithTimestamp.sig,afterCertExpiry", "coseExpiredWithTimestamp.sig,afterCertExpiry"})
    void authenticTimestamp_passes(final String file, final String mode) {
      final VerificationResult r = verify(file, WITH_TSA, mode);
      assertThat(r.outcome()).as(r.toString()).isEqualTo(Outcome.PASS);
      final CheckResult ts = r.signatures().get(0).check(Check.AUTHENTIC_TIMESTAMP).orElseThrow();
      assertThat(ts.status()).isEqualTo(Status.PASSED);
      if (mode.equals("always") || file.contains("Expired")) {
        assertThat(r.signatures().get(0).timestamp()).isNotNull();
      } else {
        // afterCertExpiry with an unexpired chain: the token is not needed and not verified.
        assertThat(r.signatures().get(0).timestamp()).isNull();
      }
    }

    @Test
    void expiredLeaf_withoutTsaStore_fails() {
      final VerificationResult r = verify("coseExpiredWithTimestamp.sig", "[\"ca:valid-trust-store\"]", null);
      assertThat(r.outcome()).isEqualTo(Outcome.FAIL);
      assertThat(r.reason()).isEqualTo(ReasonCode.CERT_EXPIRED);
      assertThat(r.signatures().get(0).decisiveFailure().orElseThrow().check()).isEqualTo(Check.AUTHENTIC_TIMESTAMP);
    }

    @ParameterizedTest
    @ValueSource(strings = {"timestampBeforeNotBefore.sig", "timestampAfterNotAfter.sig"})
    void timestampOutsideLeafValidity_fails(final String file) {
      final VerificationResult r = verify(file, WITH_TSA, "always");
      assertThat(r.outcome()).isEqualTo(Outcome.FAIL);
      assertThat(r.reason()).isEqualTo(ReasonCode.TIMESTAMP_OUTSIDE_CERT_VALIDITY);
    }

    @Test
    void withoutTimestamp_failsWhenTsaConfigured() {
      final VerificationResult r = verify("withoutTimestamp.sig", WITH_TSA, "always");
      assertThat(r.reason()).isEqualTo(ReasonCode.TIMESTAMP_MISSING);
    }

    @Test
    void withoutTimestamp_passesWithoutTsaStore() {
      assertThat(verify("withoutTimestamp.sig", "[\"ca:valid-trust-store\"]", null).outcome()).isEqualTo(Outcome.PASS);
    }

    @Test
    void unrelatedTsaRoot_fails() {
      // A tsa store holding a root the token does not chain to (the code-signing root of section 1).
      final byte[] env = read(vector("notation-go/timestamp-envelopes/jwsWithTimestamp.sig"));
      final X509Certificate leaf = NotaryVerifier.inspect(Headers.MEDIA_TYPE_JWS, env).certificates().get(0);
      final TrustStore store = TrustStore.of(Map.of(
          TrustStoreType.CA, Map.of("valid-trust-store", List.of(leaf)),
          TrustStoreType.TSA, Map.of("test-timestamp",
              certs(vector("notation-go/truststore/x509/ca/valid-trust-store/NotationTestRoot.pem")))));
      final NotaryVerifier v = Fixtures.verifier(Fixtures.policy("*", "strict", null, WITH_TSA, "[\"*\"]", "always"),
              store)
          .timestampVerifier(new BcTimestampVerifier(CLOCK, Fixtures.revocation(RevocationStatus.OK))).build();
      final VerificationResult r = v.verify(REF, TARGET, List.of(new SignatureCandidate(Headers.MEDIA_TYPE_JWS, env)),
          Map.of());
      assertThat(r.outcome()).isEqualTo(Outcome.FAIL);
      assertThat(r.signatures().get(0).decisiveFailure().orElseThrow().check()).isEqualTo(Check.AUTHENTIC_TIMESTAMP);
    }

    @Test
    void tsaChainRevocationUnknown_failsAuthenticTimestamp() {
      final byte[] env = read(vector("notation-go/timestamp-envelopes/jwsWithTimestamp.sig"));
      final X509Certificate leaf = NotaryVerifier.inspect(Headers.MEDIA_TYPE_JWS, env).certificates().get(0);
      final TrustStore store = TrustStore.of(Map.of(
          TrustStoreType.CA, Map.of("valid-trust-store", List.of(leaf)),
          TrustStoreType.TSA, Map.of("test-timestamp",
              certs(vector("notation-go/truststore/x509/tsa/test-timestamp/globalsignRoot.cer")))));
      final NotaryVerifier v = Fixtures.verifier(Fixtures.policy("*", "strict", null, WITH_TSA, "[\"*\"]", "always"),
              store)
          .timestampVerifier(new BcTimestampVerifier(CLOCK, new OcspCrlRevocationChecker(OFFLINE, CLOCK))).build();
      final VerificationResult r = v.verify(REF, TARGET, List.of(new SignatureCandidate(Headers.MEDIA_TYPE_JWS, env)),
          Map.of());
      assertThat(r.outcome()).isNotEqualTo(Outcome.PASS);
      assertThat(r.signatures().get(0).decisiveFailure().orElseThrow().check()).isEqualTo(Check.AUTHENTIC_TIMESTAMP);
    }

    @Test
    void trustStoreLoadedInPlace_fromNotationLayout() throws Exception {
      final TrustStore store = TrustStore.load(vector("notation-go"));
      assertThat(store.get(TrustStoreType.CA, "valid-trust-store")).get().isInstanceOf(TrustStore.Entry.Loaded.class);
      assertThat(((TrustStore.Entry.Loaded) store.get(TrustStoreType.CA, "valid-trust-store").orElseThrow())
          .certificates()).hasSize(2);
      assertThat(store.get(TrustStoreType.TSA, "test-timestamp")).get().isInstanceOf(TrustStore.Entry.Loaded.class);
      // The policy document parses and the store it names resolves.
      TrustPolicyDocument.parse(Fixtures.policy("*", "strict", null, WITH_TSA, "[\"*\"]", null));
    }
  }
}
