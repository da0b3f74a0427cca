package dev.sigstream.notary.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sigstream.testing.Reference;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import javax.security.auth.x500.X500Principal;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Vector section 8: trustpolicy-cases.json, every OCI/blob document and every unit case. */
class TrustPolicyCasesTest {

  static final ObjectMapper JSON = new ObjectMapper();

  static JsonNode cases() throws Exception {
    return JSON.readTree(Reference.resolve("notary/vectors/trustpolicy-cases.json").toFile());
  }

  static Stream<Arguments> documents() throws Exception {
    final List<Arguments> out = new ArrayList<>();
    for (final JsonNode c : cases().get("oci_policy_cases")) {
      final String name = c.get("source").asText().replaceAll(".*/", "");
      final JsonNode doc = c.get("document");
      final String text = doc.has("__raw_text__") ? doc.get("__raw_text__").asText() : JSON.writeValueAsString(doc);
      out.add(Arguments.of(name, c.get("expected").asText(), text));
    }
    assertThat(out).hasSize(41);
    return out.stream();
  }

  @ParameterizedTest(name = "{0}: {1}")
  @MethodSource("documents")
  void document_behavesAsExpected(final String name, final String expected, final String text) {
    if (expected.contains("blob")) {
      assertThatCode(() -> TrustPolicyDocument.parseBlob(text)).doesNotThrowAnyException();
      assertThat(TrustPolicyDocument.parseBlob(text).selectBlob(null)).get()
          .extracting(TrustPolicyStatement::name).isEqualTo("global-verification-policy");
      assertThat(TrustPolicyDocument.parseBlob(text).selectBlob("skip-verification-policy")).get()
          .extracting(TrustPolicyStatement::level).isEqualTo(VerificationLevel.SKIP);
      return;
    }
    if (expected.startsWith("invalid")) {
      final TrustPolicyException e = catchThrowableOfType(TrustPolicyException.class,
          () -> TrustPolicyDocument.parse(text));
      assertThat(e).as(name + " must be rejected").isNotNull();
      if (!name.equals("invalid_format_trustpolicy.json")) {
        assertThat(e.field()).as("error names the field: " + e.getMessage()).isNotBlank();
      }
      return;
    }
    if (name.equals("skip_trustpolicy.json")) {
      // Divergence row 14: the spec forbids skip with scope '*', notation-go (and its e2e suite) accept it.
      final TrustPolicyException e = catchThrowableOfType(TrustPolicyException.class,
          () -> TrustPolicyDocument.parse(text));
      assertThat(e.statement()).isEqualTo("e2e");
      assertThat(e.field()).isEqualTo("registryScopes");
      final TrustPolicyDocument d = TrustPolicyDocument.parse(text, TrustPolicyDocument.Kind.OCI,
          TrustPolicyDocument.Compatibility.NOTATION_GO);
      assertThat(d.select("localhost:5000/any@sha256:" + "a".repeat(64))).get()
          .extracting(TrustPolicyStatement::level).isEqualTo(VerificationLevel.SKIP);
      return;
    }
    // valid, valid-document / runtime failure, valid (not checked): the document parses.
    final TrustPolicyDocument d = TrustPolicyDocument.parse(text);
    assertThat(d.statements()).isNotEmpty();
    if (name.equals("overlapped_trust_store_trustpolicy.json")) {
      assertThat(d.statements().get(0).trustStores()).hasSize(1); // duplicates are deduplicated
    }
    if (name.equals("invalid_registry_scope_trustpolicy.json")) {
      assertThat(d.select("localhost:5000/test-repo@sha256:" + "a".repeat(64))).isEmpty();
    }
    if (name.equals("multi_statements_with_wildcard_registry_scope_trustpolicy.json")) {
      final String specific = d.statements().stream().flatMap(s -> s.registryScopes().stream())
          .filter(s -> !s.equals("*")).findFirst().orElseThrow();
      final TrustPolicyStatement exact = d.select(specific + "@sha256:" + "a".repeat(64)).orElseThrow();
      assertThat(exact.registryScopes()).contains(specific);
      assertThat(d.select("localhost:5000/other@sha256:" + "a".repeat(64)).orElseThrow().registryScopes())
          .containsExactly("*");
    }
  }

  @Test
  void registryScopes_unitCases() throws Exception {
    final JsonNode u = cases().get("unit_cases");
    for (final JsonNode s : u.get("registryScope_valid")) {
      assertThat(TrustPolicyDocument.isValidScope(s.asText())).as(s.asText()).isTrue();
    }
    for (final String list : List.of("registryScope_invalid_format", "registryScope_invalid_wildcard")) {
      for (final JsonNode s : u.get(list)) {
        assertThat(TrustPolicyDocument.isValidScope(s.asText())).as(s.asText()).isFalse();
      }
    }
  }

  static String withIdentities(final List<String> identities) throws Exception {
    return "{\"version\":\"1.0\",\"trustPolicies\":[{\"name\":\"p\",\"registryScopes\":[\"*\"],"
        + "\"signatureVerification\":{\"level\":\"strict\"},\"trustStores\":[\"ca:s\"],\"trustedIdentities\":"
        + JSON.writeValueAsString(identities) + "}]}";
  }

  @Test
  void trustedIdentities_validUnitCases() throws Exception {
    for (final JsonNode s : cases().get("unit_cases").get("trustedIdentity_valid")) {
      assertThatCode(() -> TrustPolicyDocument.parse(withIdentities(List.of(s.asText())))).as(s.asText())
          .doesNotThrowAnyException();
    }
    final DistinguishedName dn = TrustPolicyDocument.parse(withIdentities(
        List.of("x509.subject:C=US,ST=WA,O=My \"special\" Org \\, \\; \\\\ others"))).statements().get(0)
        .x509Identities().get(0);
    assertThat(dn.attributes()).containsEntry("O", "My \"special\" Org , ; \\ others");
  }

  @Test
  void trustedIdentities_invalidUnitCases() throws Exception {
    final Iterator<Map.Entry<String, JsonNode>> it = cases().get("unit_cases").get("trustedIdentity_invalid").fields();
    int n = 0;
    while (it.hasNext()) {
      final String key = it.next().getKey();
      final List<String> identities;
      if (key.startsWith("[")) {
        identities = List.of(JSON.readValue(key, String[].class));
      } else if (key.startsWith("any value containing")) {
        identities = List.of("x509.subject:C=US,ST=WA,O=#4d794f7267");
      } else {
        identities = List.of(key);
      }
      final TrustPolicyException e = catchThrowableOfType(TrustPolicyException.class,
          () -> TrustPolicyDocument.parse(withIdentities(identities)));
      assertThat(e).as(key).isNotNull();
      assertThat(e.statement()).isEqualTo("p");
      assertThat(e.field()).isEqualTo("trustedIdentities");
      n++;
    }
    assertThat(n).isEqualTo(9);
  }

  static final X500Principal LEAF = new X500Principal("CN=SomeCN,OU=SomeOU,O=SomeOrg,L=Seattle,ST=WA,C=US");

  @Test
  void trustedIdentities_matchingUnitCases() throws Exception {
    final DistinguishedName leaf = DistinguishedName.fromCertificateSubject(LEAF);
    assertThat(match(List.of("x509.subject:C=US,O=SomeOrg,ST=WA"), leaf)).isTrue();
    assertThat(match(List.of("x509.subject:C=US,O=SomeOrg,ST=WA", "nonX509Prefix:my-custom-identity"), leaf)).isTrue();
    assertThat(match(List.of("nonX509Prefix:my-custom-identity"), leaf)).isFalse();
    assertThat(match(List.of("*"), leaf)).isTrue();
    assertThat(match(List.of("x509.subject:C=IND,O=SomeOrg,ST=TS"), leaf)).isFalse();
    // A leaf whose rendered subject contains "=#" can never match.
    assertThat(catchThrowableOfType(IllegalArgumentException.class,
        () -> DistinguishedName.fromCertificateSubject(new X500Principal("CN=Bad=#CN,O=SomeOrg,ST=WA,C=US"))))
        .isNotNull();
    // Nor one with an attribute notation renders as OID=#hex (emailAddress).
    assertThat(catchThrowableOfType(IllegalArgumentException.class,
        () -> DistinguishedName.fromCertificateSubject(
            new X500Principal("EMAILADDRESS=a@b.c,CN=x,O=SomeOrg,ST=WA,C=US")))).isNotNull();
  }

  static boolean match(final List<String> identities, final DistinguishedName leaf) throws Exception {
    return TrustPolicyDocument.parse(withIdentities(identities)).statements().get(0).identityMismatch(leaf).isEmpty();
  }

  static String statement(final String signatureVerification, final String rest) {
    return "{\"version\":\"1.0\",\"trustPolicies\":[{\"name\":\"p\",\"registryScopes\":[\"r.io/a\"],"
        + "\"signatureVerification\":" + signatureVerification + rest + "}]}";
  }

  static final String STORES = ",\"trustStores\":[\"ca:s\"],\"trustedIdentities\":[\"*\"]";

  @Test
  void signatureVerification_rules() {
    final Map<String, String> invalid = Map.of(
        "{\"level\":\"\"}", "signatureVerification.level",
        "{}", "signatureVerification.level",
        "{\"level\":\"Strict\"}", "signatureVerification.level",
        "{\"level\":\"strict\",\"override\":{\"integrity\":\"log\"}}", "signatureVerification.override.integrity",
        "{\"level\":\"strict\",\"override\":{\"authenticity\":\"skip\"}}", "signatureVerification.override.authenticity",
        "{\"level\":\"strict\",\"override\":{\"expiry\":\"warn\"}}", "signatureVerification.override.expiry",
        "{\"level\":\"strict\",\"override\":{\"bogus\":\"log\"}}", "signatureVerification.override.bogus",
        "{\"level\":\"strict\",\"verifyTimestamp\":\"never\"}", "signatureVerification.verifyTimestamp");
    invalid.forEach((sv, field) -> {
      final TrustPolicyException e = catchThrowableOfType(TrustPolicyException.class,
          () -> TrustPolicyDocument.parse(statement(sv, STORES)));
      assertThat(e).as(sv).isNotNull();
      assertThat(e.field()).as(sv).isEqualTo(field);
      assertThat(e.statement()).isEqualTo("p");
    });
    final TrustPolicyException skipOverride = catchThrowableOfType(TrustPolicyException.class,
        () -> TrustPolicyDocument.parse(statement("{\"level\":\"skip\",\"override\":{\"revocation\":\"skip\"}}", "")));
    assertThat(skipOverride.field()).isEqualTo("signatureVerification.override");
    final TrustPolicyException skipWithStores = catchThrowableOfType(TrustPolicyException.class,
        () -> TrustPolicyDocument.parse(statement("{\"level\":\"skip\"}", STORES)));
    assertThat(skipWithStores).isNotNull();

    final TrustPolicyStatement s = TrustPolicyDocument.parse(statement(
        "{\"level\":\"permissive\",\"override\":{\"revocation\":\"skip\",\"authenticity\":\"log\",\"expiry\":\"enforce\"},"
            + "\"verifyTimestamp\":\"afterCertExpiry\"}", STORES)).statements().get(0);
    assertThat(s.action(ValidationType.INTEGRITY)).isEqualTo(ValidationAction.ENFORCE);
    assertThat(s.action(ValidationType.AUTHENTICITY)).isEqualTo(ValidationAction.LOG);
    assertThat(s.action(ValidationType.AUTHENTIC_TIMESTAMP)).isEqualTo(ValidationAction.LOG);
    assertThat(s.action(ValidationType.EXPIRY)).isEqualTo(ValidationAction.ENFORCE);
    assertThat(s.action(ValidationType.REVOCATION)).isEqualTo(ValidationAction.SKIP);
    assertThat(s.signatureVerification().verifyTimestamp()).isEqualTo(VerifyTimestamp.AFTER_CERT_EXPIRY);
  }

  @Test
  void levelTable_matchesTheSpec() {
    final ValidationType[] t = {ValidationType.INTEGRITY, ValidationType.AUTHENTICITY,
        ValidationType.AUTHENTIC_TIMESTAMP, ValidationType.EXPIRY, ValidationType.REVOCATION};
    final String[][] table = {
        {"strict", "enforce", "enforce", "enforce", "enforce", "enforce"},
        {"permissive", "enforce", "enforce", "log", "log", "log"},
        {"audit", "enforce", "log", "log", "log", "log"},
        {"skip", "skip", "skip", "skip", "skip", "skip"}};
    for (final String[] row : table) {
      final VerificationLevel l = VerificationLevel.fromId(row[0]).orElseThrow();
      for (int i = 0; i < t.length; i++) {
        assertThat(l.defaultAction(t[i]).id()).as(row[0] + "/" + t[i]).isEqualTo(row[i + 1]);
      }
    }
  }

  @Test
  void documentLevelRules() {
    assertThat(catchThrowableOfType(TrustPolicyException.class,
        () -> TrustPolicyDocument.parse("{\"version\":\"2.0\",\"trustPolicies\":[]}")).field()).isEqualTo("version");
    assertThat(catchThrowableOfType(TrustPolicyException.class,
        () -> TrustPolicyDocument.parse("{\"version\":\"1.0\",\"trustPolicies\":[]}")).field())
        .isEqualTo("trustPolicies");
    assertThat(catchThrowableOfType(TrustPolicyException.class,
        () -> TrustPolicyDocument.parse(statement("{\"level\":\"strict\"}", STORES + ",\"trustedIdentity\":[]")))
        .field()).isEqualTo("trustedIdentity");
    // Blob: at most one global policy; global skip forbidden by the spec.
    final String two = "{\"version\":\"1.0\",\"trustPolicies\":["
        + "{\"name\":\"a\",\"globalPolicy\":true,\"signatureVerification\":{\"level\":\"audit\"}" + STORES + "},"
        + "{\"name\":\"b\",\"globalPolicy\":true,\"signatureVerification\":{\"level\":\"audit\"}" + STORES + "}]}";
    assertThat(catchThrowableOfType(TrustPolicyException.class, () -> TrustPolicyDocument.parseBlob(two)).field())
        .isEqualTo("globalPolicy");
    final String globalSkip = "{\"version\":\"1.0\",\"trustPolicies\":["
        + "{\"name\":\"a\",\"globalPolicy\":true,\"signatureVerification\":{\"level\":\"skip\"}}]}";
    assertThat(catchThrowableOfType(TrustPolicyException.class, () -> TrustPolicyDocument.parseBlob(globalSkip))
        .field()).isEqualTo("globalPolicy");
  }

  @Test
  void selection_needsADigestReference() {
    final TrustPolicyDocument d = TrustPolicyDocument.parse(statement("{\"level\":\"strict\"}", STORES));
    assertThat(d.select("r.io/a@sha256:" + "b".repeat(64))).isPresent();
    assertThat(d.select("r.io/a:tag@sha256:" + "b".repeat(64))).isPresent();
    assertThat(d.select("r.io/b@sha256:" + "b".repeat(64))).isEmpty();
    assertThat(catchThrowableOfType(IllegalArgumentException.class, () -> d.select("r.io/a:latest"))).isNotNull();
  }
}
