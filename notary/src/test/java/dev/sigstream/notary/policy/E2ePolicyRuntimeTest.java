package dev.sigstream.notary.policy;

import static dev.sigstream.notary.Fixtures.CLOCK;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sigstream.notary.Fixtures;
import dev.sigstream.notary.NotaryVerifier;
import dev.sigstream.notary.ReasonCode;
import dev.sigstream.notary.SignatureCandidate;
import dev.sigstream.notary.TargetDescriptor;
import dev.sigstream.notary.VerificationResult;
import dev.sigstream.notary.VerificationResult.Outcome;
import dev.sigstream.notary.envelope.SigningScheme;
import dev.sigstream.notary.revocation.RevocationStatus;
import dev.sigstream.notary.sign.EnvelopeFormat;
import dev.sigstream.notary.sign.LocalSigningKey;
import dev.sigstream.notary.sign.NotarySigner;
import dev.sigstream.notary.sign.SignRequest;
import dev.sigstream.notary.sign.SignedEnvelope;
import dev.sigstream.notary.timestamp.BcTimestampVerifier;
import dev.sigstream.notary.truststore.TrustStore;
import dev.sigstream.notary.truststore.TrustStoreType;
import dev.sigstream.testing.Reference;
import dev.sigstream.testing.pki.CertSpec;
import dev.sigstream.testing.pki.Issued;
import dev.sigstream.testing.pki.KeyType;
import dev.sigstream.testing.pki.TestPki;
import dev.sigstream.testing.pki.Tsa;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Vector section 8 at run time: every valid e2e policy document of trustpolicy-cases.json verifies a real
 * signature from the e2e identity ({@code CN=e2e,O=Notary,L=Seattle,ST=WA,C=US}, self-signed, in store
 * {@code ca:e2e}) with the outcome the e2e suite asserts.
 */
class E2ePolicyRuntimeTest {

  static final TestPki PKI = TestPki.start(CLOCK);
  static final Issued E2E = PKI.selfSignedLeaf(CertSpec.leaf("CN=e2e,O=Notary,L=Seattle,ST=WA,C=US")
      .keyType(KeyType.RSA_2048).noRevocationInfo());
  static final Issued E2E_NEW = PKI.selfSignedLeaf(CertSpec.leaf("CN=e2e-new,O=Notary,L=Seattle,ST=WA,C=US")
      .noRevocationInfo());
  static final Tsa TSA = PKI.tsa();
  static final TargetDescriptor TARGET = new TargetDescriptor("application/vnd.oci.image.manifest.v1+json",
      "sha256:" + "e2".repeat(32), 1200);

  @AfterAll
  static void close() {
    PKI.close();
  }

  static Stream<Arguments> documents() throws Exception {
    final ObjectMapper json = new ObjectMapper();
    final List<Arguments> out = new ArrayList<>();
    for (final JsonNode c : json.readTree(Reference.resolve("notary/vectors/trustpolicy-cases.json").toFile())
        .get("oci_policy_cases")) {
      final String expected = c.get("expected").asText();
      if (expected.startsWith("invalid") || expected.contains("blob")) {
        continue;
      }
      out.add(Arguments.of(c.get("source").asText().replaceAll(".*/", ""), json.writeValueAsString(c.get("document"))));
    }
    assertThat(out).hasSize(20);
    return out.stream();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("documents")
  void policyDocument_verifiesTheE2eSignatureAsAsserted(final String name, final String document) throws Exception {
    // Given
    final TrustPolicyDocument policy = TrustPolicyDocument.parse(document, TrustPolicyDocument.Kind.OCI,
        TrustPolicyDocument.Compatibility.NOTATION_GO);
    final String scope = policy.statements().get(0).registryScopes().stream().filter(s -> !s.equals("*")).findFirst()
        .orElse("localhost:5000/e2e");
    final String reference = (name.equals("invalid_registry_scope_trustpolicy.json") ? "localhost:5000/test-repo"
        : scope) + "@" + TARGET.digest();
    final NotaryVerifier verifier = NotaryVerifier.builder()
        .trustPolicy(policy)
        .trustStore(TrustStore.of(Map.of(
            TrustStoreType.CA, Map.of("e2e", List.of(E2E.certificate()), "e2e-new", List.of(E2E_NEW.certificate())),
            TrustStoreType.TSA, Map.of("e2e", List.of(TSA.rootCertificate())))))
        .clock(CLOCK)
        .revocationChecker(Fixtures.revocation(RevocationStatus.OK))
        .timestampVerifier(new BcTimestampVerifier(CLOCK, Fixtures.revocation(RevocationStatus.OK)))
        .build();
    final SignedEnvelope env = NotarySigner.create(new LocalSigningKey(E2E.privateKey(), E2E.chain()), CLOCK,
        TSA::timestamp, null).sign(new SignRequest(TARGET, EnvelopeFormat.JWS, SigningScheme.X509, null, Map.of(), true));
    // When
    final VerificationResult r = verifier.verify(reference, TARGET,
        List.of(new SignatureCandidate(env.mediaType(), env.envelope())), Map.of());
    // Then
    switch (name) {
      case "skip_trustpolicy.json" -> assertThat(r.outcome()).isEqualTo(Outcome.SKIPPED);
      case "invalid_registry_scope_trustpolicy.json" -> {
        assertThat(r.outcome()).isEqualTo(Outcome.FAIL);
        assertThat(r.reason()).isEqualTo(ReasonCode.NO_APPLICABLE_POLICY);
      }
      case "invalid_trust_store_trustpolicy.json" -> {
        assertThat(r.outcome()).isEqualTo(Outcome.ERROR);
        assertThat(r.reason()).isEqualTo(ReasonCode.TRUST_STORE_MISSING);
      }
      case "invalid_trusted_identity_trustpolicy.json" -> {
        assertThat(r.outcome()).isEqualTo(Outcome.FAIL);
        assertThat(r.reason()).isEqualTo(ReasonCode.UNTRUSTED_IDENTITY);
      }
      default -> assertThat(r.outcome()).as(r.toString()).isEqualTo(Outcome.PASS);
    }
  }
}
