package dev.sigstream.notary.cert;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.sigstream.notary.ReasonCode;
import dev.sigstream.testing.Reference;
import java.nio.file.Files;
import java.security.cert.X509Certificate;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Vector section 6: notation-core-go's inline certificates and the outcome each Go test asserts. */
class CertificateRulesVectorsTest {

  static final Map<String, X509Certificate> CERTS = new HashMap<>();

  @BeforeAll
  static void load() throws Exception {
    final String text = Files.readString(Reference.resolve("notary/vectors/notation-core-go/x509-inline-test-certs.pem"));
    final Matcher m = Pattern.compile("# go-var: (\\w+)[^\\n]*\\n(?:#[^\\n]*\\n)*(-----BEGIN CERTIFICATE-----.*?-----END CERTIFICATE-----)",
        Pattern.DOTALL).matcher(text);
    while (m.find()) {
      CERTS.put(m.group(1), Certificates.parsePemOrDer(m.group(2).getBytes(java.nio.charset.StandardCharsets.US_ASCII))
          .get(0));
    }
    assertThat(CERTS).hasSize(23);
  }

  static X509Certificate c(final String name) {
    return java.util.Objects.requireNonNull(CERTS.get(name), name);
  }

  static ReasonCode chainFailure(final String... names) {
    final List<X509Certificate> chain = java.util.Arrays.stream(names).map(CertificateRulesVectorsTest::c).toList();
    final CertificateRuleException e = catchThrowableOfType(CertificateRuleException.class,
        () -> CertificateRules.validateCodeSigningChain(chain));
    assertThat(e).as("chain %s must fail", List.of(names)).isNotNull();
    return e.reason();
  }

  @Test
  void validFourCertificateChain_passes() {
    assertThatCode(() -> CertificateRules.validateCodeSigningChain(List.of(c("codeSigningLeafPem"),
        c("intermediateCertPem2"), c("intermediateCertPem1"), c("rootCertPem")))).doesNotThrowAnyException();
  }

  @Test
  void rootPathLen_isCheckedAgainstCasBelow() {
    final CertificateRuleException e = catchThrowableOfType(CertificateRuleException.class,
        () -> CertificateRules.ca(c("rootCertPem"), 3, false));
    assertThat(e.reason()).isEqualTo(ReasonCode.CERT_REQUIREMENTS_UNMET);
    assertThatCode(() -> CertificateRules.ca(c("rootCertPem"), 2, false)).doesNotThrowAnyException();
  }

  @Test
  void chainStructureFailures() {
    assertThat(chainFailure("codeSigningLeafPem")).isEqualTo(ReasonCode.CERT_CHAIN_INVALID);
    assertThat(chainFailure("codeSigningLeafPem", "intermediateCertPem1", "intermediateCertPem2", "rootCertPem"))
        .isEqualTo(ReasonCode.CERT_CHAIN_INVALID);
    assertThat(chainFailure("codeSigningLeafPem", "intermediateCertPem2", "intermediateCertPem1"))
        .isEqualTo(ReasonCode.CERT_CHAIN_INVALID);
    assertThat(chainFailure("codeSigningLeafPem", "intermediateCertPem2", "intermediateCertPem1", "rootCertPem",
        "rootCertPem")).isEqualTo(ReasonCode.CERT_CHAIN_INVALID);
    assertThat(chainFailure("rootCertPem", "rootCertPem", "rootCertPem")).isEqualTo(ReasonCode.CERT_CHAIN_INVALID);
    assertThat(chainFailure("codeSigningLeafPem", "unrelatedCertPem", "intermediateCertPem1", "rootCertPem"))
        .isEqualTo(ReasonCode.CERT_CHAIN_INVALID);
  }

  @Test
  void pathLenTooSmall_fails() {
    assertThat(chainFailure("codeSigningLeafInvalidPathLenPem", "intermediateCertInvalidPathLenPem",
        "intermediateCertPem2", "intermediateCertPem1", "rootCertPem")).isEqualTo(ReasonCode.CERT_REQUIREMENTS_UNMET);
  }

  @ParameterizedTest
  @ValueSource(strings = {"noBasicConstraintsCaPem", "basicConstraintsNotCaPem", "kuNotCriticalCertSignCaPem",
      "kuMissingCaPem", "kuNotCertSignCaPem"})
  void badCodeSigningCa_fails(final String name) {
    final CertificateRuleException e = catchThrowableOfType(CertificateRuleException.class,
        () -> CertificateRules.ca(c(name), 0, false));
    assertThat(e).isNotNull();
    assertThat(e.reason()).isEqualTo(ReasonCode.CERT_REQUIREMENTS_UNMET);
  }

  @Test
  void timestampingCa_acceptsNonCriticalKeyUsage_butNotMissing() {
    assertThatCode(() -> CertificateRules.ca(c("kuNotCriticalCertSignCaPem"), 0, true)).doesNotThrowAnyException();
    assertThat(catchThrowableOfType(CertificateRuleException.class,
        () -> CertificateRules.ca(c("kuMissingCaPem"), 0, true))).isNotNull();
  }

  @ParameterizedTest
  @ValueSource(strings = {"codeSigningLeafPem", "validNoOptionsLeafPem"})
  void validLeaves_pass(final String name) {
    assertThatCode(() -> CertificateRules.leaf(c(name), false)).doesNotThrowAnyException();
  }

  @ParameterizedTest
  @ValueSource(strings = {"caTrueLeafPem", "kuNoDigitalSignatureLeafPem", "kuWrongValuesLeafPem",
      "rsaKeyTooSmallLeafPem", "ecdsaKeyTooSmallLeafPem", "ekuWrongValuesCodeLeafPem", "ekuMissingCodeSigningLeafPem"})
  void badCodeSigningLeaves_fail(final String name) {
    final CertificateRuleException e = catchThrowableOfType(CertificateRuleException.class,
        () -> CertificateRules.leaf(c(name), false));
    assertThat(e).as(name).isNotNull();
    assertThat(e.reason()).isEqualTo(ReasonCode.CERT_REQUIREMENTS_UNMET);
  }

  @ParameterizedTest
  @ValueSource(strings = {"ekuNonCriticalTimeLeafPem", "ekuWrongValuesTimeLeafPem", "ekuMissingTimestampingLeafPem"})
  void badTimestampingLeaves_fail(final String name) {
    final CertificateRuleException e = catchThrowableOfType(CertificateRuleException.class,
        () -> CertificateRules.leaf(c(name), true));
    assertThat(e).as(name).isNotNull();
    assertThat(e.reason()).isEqualTo(ReasonCode.CERT_REQUIREMENTS_UNMET);
  }

  @Test
  void codeSigningLeaf_isNotATimestampingLeaf() {
    assertThat(catchThrowableOfType(CertificateRuleException.class,
        () -> CertificateRules.leaf(c("codeSigningLeafPem"), true))).isNotNull();
  }
}
