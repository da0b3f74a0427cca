package dev.sigstream.oci.sbom;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class SbomCheckerTest {

  private static final SbomPolicy POLICY = new SbomPolicy(Set.of("GPL-3.0-only"),
      List.of(new SbomPolicy.PackageRule("log4j-core", "2.14.1"), new SbomPolicy.PackageRule("event-stream", null)),
      false);
  private final SbomChecker checker = new SbomChecker(POLICY);

  static final String SPDX23 = """
      {"spdxVersion":"SPDX-2.3","SPDXID":"SPDXRef-DOCUMENT","dataLicense":"CC0-1.0","name":"app",
       "documentNamespace":"https://example.com/app-1",
       "creationInfo":{"created":"2026-01-01T00:00:00Z","creators":["Tool: test"]},
       "packages":[
        {"SPDXID":"SPDXRef-a","name":"left-pad","versionInfo":"1.0.0","downloadLocation":"NOASSERTION",
         "licenseConcluded":"MIT OR GPL-3.0-only"},
        {"SPDXID":"SPDXRef-b","name":"gplthing","versionInfo":"2.0","downloadLocation":"NOASSERTION",
         "licenseConcluded":"NOASSERTION","licenseDeclared":"Apache-2.0 AND GPL-3.0-only"},
        {"SPDXID":"SPDXRef-c","name":"log4j-core","versionInfo":"2.14.1","downloadLocation":"NOASSERTION",
         "licenseConcluded":"Apache-2.0"},
        {"SPDXID":"SPDXRef-d","name":"log4j-core","versionInfo":"2.17.1","downloadLocation":"NOASSERTION"}
       ]}""";

  static final String SPDX3 = """
      {"@context":"https://spdx.org/rdf/3.0.1/spdx-context.jsonld","@graph":[
        {"type":"CreationInfo","@id":"_:ci","specVersion":"3.0.1","created":"2026-01-01T00:00:00Z",
         "createdBy":["https://example.com/tool"]},
        {"type":"SpdxDocument","spdxId":"https://example.com/doc","creationInfo":"_:ci",
         "rootElement":["https://example.com/sbom"]},
        {"type":"software_Sbom","spdxId":"https://example.com/sbom","creationInfo":"_:ci",
         "rootElement":["https://example.com/pkg1"]},
        {"type":"software_Package","spdxId":"https://example.com/pkg1","creationInfo":"_:ci","name":"openssl",
         "software_packageVersion":"3.0.0"},
        {"type":"software_Package","spdxId":"https://example.com/pkg2","creationInfo":"_:ci","name":"readline",
         "software_packageVersion":"8.1"},
        {"type":"simplelicensing_LicenseExpression","spdxId":"https://example.com/lic1","creationInfo":"_:ci",
         "simplelicensing_licenseExpression":"GPL-3.0-only"},
        {"type":"Relationship","spdxId":"https://example.com/rel1","creationInfo":"_:ci",
         "relationshipType":"hasConcludedLicense","from":"https://example.com/pkg2","to":["https://example.com/lic1"]},
        {"type":"Relationship","spdxId":"https://example.com/rel2","creationInfo":"_:ci",
         "relationshipType":"hasDeclaredLicense","from":"https://example.com/pkg1",
         "to":["https://spdx.org/licenses/Apache-2.0"]}
      ]}""";

  static final String CDX_JSON = """
      {"bomFormat":"CycloneDX","specVersion":"1.6","serialNumber":"urn:uuid:3e671687-395b-41f5-a30f-a58921a69b79",
       "version":1,"components":[
        {"type":"library","name":"jackson-databind","version":"2.21.7","licenses":[{"license":{"id":"Apache-2.0"}}],
         "components":[{"type":"library","name":"event-stream","version":"3.3.6"}]},
        {"type":"library","name":"mysql-connector","version":"8.0","licenses":[{"expression":"GPL-3.0-only OR MIT"}]},
        {"type":"library","name":"dual","version":"1","licenses":[{"license":{"id":"MIT"}},{"license":{"id":"GPL-3.0-only"}}]}
       ]}""";

  static final String CDX_XML = """
      <?xml version="1.0" encoding="UTF-8"?>
      <bom xmlns="http://cyclonedx.org/schema/bom/1.5" version="1">
        <components>
          <component type="library"><name>zlib</name><version>1.3</version>
            <licenses><license><id>Zlib</id></license></licenses></component>
          <component type="library"><name>gnu-thing</name><version>1.0</version>
            <licenses><expression>GPL-3.0-only AND MIT</expression></licenses></component>
        </components>
      </bom>""";

  static final String SYFT = """
      {"artifacts":[
        {"name":"busybox","version":"1.36.1","type":"binary","licenses":[{"value":"GPL-2.0-only","spdxExpression":"GPL-2.0-only"}]},
        {"name":"bash","version":"5.2","type":"apk","licenses":["GPL-3.0-only"]}],
       "source":{"type":"image"},"descriptor":{"name":"syft","version":"1.0.0"},
       "schema":{"version":"16.0.0","url":"https://raw.githubusercontent.com/anchore/syft/main/schema/json/schema-16.0.0.json"}}""";

  private static byte[] b(final String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  @Test
  void spdx23_validCountsPackagesAndEvaluatesExpressions() {
    final SbomReport r = checker.check(b(SPDX23), "application/spdx+json");
    assertThat(r.format()).isEqualTo(SbomFormat.SPDX_2_JSON);
    assertThat(r.problems()).isEmpty();
    assertThat(r.packageCount()).isEqualTo(4);
    // left-pad is MIT OR GPL: fine. gplthing's declared licence (concluded is NOASSERTION) needs GPL: violation.
    assertThat(r.licenseViolations()).extracting(SbomReport.Violation::packageName).containsExactly("gplthing");
    // Only the pinned version of log4j-core is denied.
    assertThat(r.packageViolations()).extracting(SbomReport.Violation::packageVersion).containsExactly("2.14.1");
    assertThat(r.passed()).isFalse();
  }

  @Test
  void spdx23_missingRequiredFieldsAreProblems() {
    final String bad = SPDX23.replace("\"dataLicense\":\"CC0-1.0\",", "").replace("\"SPDX-2.3\"", "\"SPDX-2.9\"")
        .replace("\"versionInfo\":\"1.0.0\",\"downloadLocation\":\"NOASSERTION\",", "\"versionInfo\":\"1.0.0\",");
    final SbomReport r = checker.check(b(bad), null);
    assertThat(r.valid()).isFalse();
    assertThat(r.problems()).contains("dataLicense is required", "packages[0].downloadLocation is required")
        .anyMatch(p -> p.startsWith("spdxVersion must match"));
  }

  @Test
  void spdx3_requiresDocumentAndFollowsLicenceRelationships() {
    final SbomReport r = checker.check(b(SPDX3), "application/spdx+json");
    assertThat(r.format()).isEqualTo(SbomFormat.SPDX_3_JSONLD);
    assertThat(r.specVersion()).isEqualTo("3.0.1");
    assertThat(r.problems()).isEmpty();
    assertThat(r.packageCount()).isEqualTo(2);
    assertThat(r.licenseViolations()).extracting(SbomReport.Violation::packageName).containsExactly("readline");
    final SbomReport missing = checker.check(b(SPDX3.replace("\"software_Sbom\"", "\"software_File\"")), null);
    assertThat(missing.problems()).contains("no software_Sbom element");
  }

  @Test
  void cycloneDxJson_nestedComponentsAndMultipleLicencesAreAnded() {
    final SbomReport r = checker.check(b(CDX_JSON), "application/vnd.cyclonedx+json");
    assertThat(r.format()).isEqualTo(SbomFormat.CYCLONEDX_JSON);
    assertThat(r.problems()).isEmpty();
    assertThat(r.packageCount()).isEqualTo(4);
    assertThat(r.licenseViolations()).extracting(SbomReport.Violation::packageName).containsExactly("dual");
    assertThat(r.packageViolations()).extracting(SbomReport.Violation::packageName).containsExactly("event-stream");
  }

  @Test
  void cycloneDxJson_15RequiresVersion_andComponentsNeedTypeAndName() {
    final String bad = CDX_JSON.replace("\"specVersion\":\"1.6\"", "\"specVersion\":\"1.5\"")
        .replace("\"version\":1,", "").replace("{\"type\":\"library\",\"name\":\"dual\"", "{\"name\":\"dual\"");
    assertThat(checker.check(b(bad), null).problems()).contains("version is required for CycloneDX 1.5",
        "components[2].type is required");
  }

  @Test
  void cycloneDxXml_parsesSecurelyAndEvaluates() {
    final SbomReport r = checker.check(b(CDX_XML), "application/vnd.cyclonedx+xml");
    assertThat(r.format()).isEqualTo(SbomFormat.CYCLONEDX_XML);
    assertThat(r.specVersion()).isEqualTo("1.5");
    assertThat(r.packageCount()).isEqualTo(2);
    assertThat(r.licenseViolations()).extracting(SbomReport.Violation::packageName).containsExactly("gnu-thing");
  }

  @Test
  void cycloneDxXml_withDoctype_isRefused() {
    final String xxe = "<?xml version=\"1.0\"?><!DOCTYPE bom [<!ENTITY x SYSTEM \"file:///etc/passwd\">]>"
        + "<bom xmlns=\"http://cyclonedx.org/schema/bom/1.5\"><components><component type=\"library\"><name>&x;"
        + "</name></component></components></bom>";
    final SbomReport r = checker.check(b(xxe), null);
    assertThat(r.valid()).isFalse();
    assertThat(r.problems()).anyMatch(p -> p.contains("DTD"));
  }

  @Test
  void syft_readsArtifactsAndLicences() {
    final SbomReport r = checker.check(b(SYFT), "application/vnd.syft+json");
    assertThat(r.format()).isEqualTo(SbomFormat.SYFT_JSON);
    assertThat(r.problems()).isEmpty();
    assertThat(r.packageCount()).isEqualTo(2);
    assertThat(r.licenseViolations()).extracting(SbomReport.Violation::packageName).containsExactly("bash");
  }

  @Test
  void contentThatContradictsTheMediaType_isAProblem() {
    final SbomReport r = checker.check(b(CDX_JSON), "application/spdx+json");
    assertThat(r.valid()).isFalse();
    assertThat(r.problems()).anyMatch(p -> p.contains("media type says"));
  }

  @Test
  void garbageAndUnknownJson_areInvalid() {
    assertThat(checker.check(b("not json"), null).format()).isEqualTo(SbomFormat.UNKNOWN);
    assertThat(checker.check(b("{\"hello\":1}"), null).valid()).isFalse();
    assertThat(checker.check(new byte[0], null).valid()).isFalse();
  }

  @Test
  void freeTextLicence_fallsBackToWholeWordMatching() {
    final String doc = CDX_JSON.replace("{\"expression\":\"GPL-3.0-only OR MIT\"}",
        "{\"license\":{\"name\":\"Licensed under GPL-3.0-only terms\"}}");
    final SbomReport r = checker.check(b(doc), null);
    assertThat(r.licenseViolations()).extracting(SbomReport.Violation::packageName).contains("mysql-connector");
    assertThat(r.warnings()).isNotEmpty();
  }

  @Test
  void emptyPolicy_passesAValidSbom() {
    assertThat(new SbomChecker(SbomPolicy.NONE).check(b(SPDX23), null).passed()).isTrue();
  }
}
