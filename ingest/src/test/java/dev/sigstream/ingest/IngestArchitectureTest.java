package dev.sigstream.ingest;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/** The source parsers and authenticators stay pure: no Kafka, no HTTP server, no publisher. */
class IngestArchitectureTest {

  private final JavaClasses classes = new ClassFileImporter()
      .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS).importPackages("dev.sigstream.ingest");

  @Test
  void sourcesArePure() {
    noClasses().that().resideInAPackage("dev.sigstream.ingest.source..")
        .should().dependOnClassesThat().resideInAnyPackage("org.apache.kafka..", "io.javalin..", "jakarta.servlet..",
            "org.eclipse.jetty..", "dev.sigstream.ingest.publish..", "io.micrometer..")
        .check(classes);
  }

  @Test
  void publisherKnowsNoHttp() {
    noClasses().that().resideInAPackage("dev.sigstream.ingest.publish..")
        .should().dependOnClassesThat().resideInAnyPackage("io.javalin..", "jakarta.servlet..", "dev.sigstream.ingest.source..")
        .check(classes);
  }
}
