package dev.sigstream.app;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The module dependency rules of docs/architecture.md, checked on the compiled production classes of every module
 * (the app's classpath holds them all). Maven already prevents cycles; these rules prevent forbidden edges.
 */
class ArchitectureTest {

  private static JavaClasses classes;

  @BeforeAll
  static void importClasses() {
    // Sibling modules arrive as jars (or target/classes in a reactor build); both are imported.
    classes = new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS).importPackages("dev.sigstream");
    // Guard against a vacuous pass: the modules the rules talk about must really be imported.
    org.assertj.core.api.Assertions.assertThat(classes.contain(dev.sigstream.notary.ReasonCode.class)).isTrue();
    org.assertj.core.api.Assertions.assertThat(classes.contain(dev.sigstream.schemas.Topics.class)).isTrue();
    org.assertj.core.api.Assertions.assertThat(classes.contain(dev.sigstream.kafka.embedded.EmbeddedKafkaBroker.class)).isTrue();
  }

  @Test
  void trustCoreModules_dependOnNoKafka() {
    noClasses().that().resideInAnyPackage("dev.sigstream.notary..", "dev.sigstream.oci..")
        .should().dependOnClassesThat().resideInAnyPackage("org.apache.kafka..", "kafka..", "org.apache.avro..", "dev.sigstream.schemas..")
        .because("notary and oci are the trust core: pure libraries reused by the CLI and every service")
        .check(classes);
  }

  @Test
  void trustCoreModules_runNoHttpServer() {
    noClasses().that().resideInAnyPackage("dev.sigstream.notary..", "dev.sigstream.oci..")
        .should().dependOnClassesThat().resideInAnyPackage("io.javalin..", "org.eclipse.jetty..", "com.sun.net.httpserver..", "jakarta.servlet..")
        .because("notary and oci make outbound calls only, behind ports")
        .check(classes);
  }

  @Test
  void notary_doesNotDependOnOciOrServices() {
    noClasses().that().resideInAPackage("dev.sigstream.notary..")
        .should().dependOnClassesThat().resideInAnyPackage("dev.sigstream.oci..", "dev.sigstream.verifier..",
            "dev.sigstream.ingest..", "dev.sigstream.notifier..", "dev.sigstream.app..")
        .check(classes);
  }

  @Test
  void notaryInternals_stayInsideNotary() {
    org.assertj.core.api.Assertions.assertThat(
        classes.contain(dev.sigstream.notary.internal.BoundedMemo.class)).isTrue();
    noClasses().that().resideOutsideOfPackage("dev.sigstream.notary..")
        .should().dependOnClassesThat().resideInAPackage("dev.sigstream.notary.internal..")
        .because("dev.sigstream.notary.internal is notary's shared plumbing, not API")
        .check(classes);
  }

  @Test
  void oci_doesNotDependOnServices() {
    noClasses().that().resideInAPackage("dev.sigstream.oci..")
        .should().dependOnClassesThat().resideInAnyPackage("dev.sigstream.verifier..", "dev.sigstream.ingest..",
            "dev.sigstream.notifier..", "dev.sigstream.app..")
        .check(classes);
  }

  @Test
  void services_doNotDependOnEachOther() {
    noClasses().that().resideInAPackage("dev.sigstream.ingest..")
        .should().dependOnClassesThat().resideInAnyPackage("dev.sigstream.verifier..", "dev.sigstream.notifier..")
        .check(classes);
    noClasses().that().resideInAPackage("dev.sigstream.notifier..")
        .should().dependOnClassesThat().resideInAnyPackage("dev.sigstream.verifier..", "dev.sigstream.ingest..",
            "dev.sigstream.notary..", "dev.sigstream.oci..")
        .check(classes);
    noClasses().that().resideInAPackage("dev.sigstream.verifier..")
        .should().dependOnClassesThat().resideInAnyPackage("dev.sigstream.ingest..", "dev.sigstream.notifier..", "dev.sigstream.app..")
        .check(classes);
  }

  @Test
  void productionCode_neverDependsOnTestHarness() {
    noClasses().that().resideOutsideOfPackage("dev.sigstream.testing..")
        .and().resideOutsideOfPackage("dev.sigstream.bench..")
        .should().dependOnClassesThat().resideInAPackage("dev.sigstream.testing..")
        .check(classes);
  }

  @Test
  void verificationCore_isPureJava_noKafkaNoAvro() {
    org.assertj.core.api.Assertions.assertThat(classes.contain(dev.sigstream.verifier.core.ArtifactVerifier.class))
        .isTrue();
    noClasses().that().resideInAPackage("dev.sigstream.verifier.core..")
        .should().dependOnClassesThat().resideInAnyPackage("org.apache.kafka..", "kafka..", "org.apache.avro..",
            "dev.sigstream.schemas..")
        .because("the orchestration is shared by the CLI and the Kafka Streams verifier; Avro and Kafka stay at the"
            + " edges (VerdictMapper, processors)")
        .check(classes);
  }
}
