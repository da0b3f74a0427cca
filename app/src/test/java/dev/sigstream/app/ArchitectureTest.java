package dev.sigstream.app;

import static com.tngtech.archunit.base.DescribedPredicate.not;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAPackage;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaAccess;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.domain.JavaCodeUnit;
import com.tngtech.archunit.lang.ArchCondition;
import com.tngtech.archunit.lang.ConditionEvents;
import com.tngtech.archunit.lang.SimpleConditionEvent;
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
    // Test jars on the test classpath (signing-azure's loopback fakes) are test code too.
    classes = new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
        .withImportOption(location -> !location.contains("-tests.jar")).importPackages("dev.sigstream");
    // Guard against a vacuous pass: the modules the rules talk about must really be imported.
    org.assertj.core.api.Assertions.assertThat(classes.contain(dev.sigstream.notary.ReasonCode.class)).isTrue();
    org.assertj.core.api.Assertions.assertThat(classes.contain(dev.sigstream.schemas.Topics.class)).isTrue();
    org.assertj.core.api.Assertions.assertThat(classes.contain(dev.sigstream.kafka.embedded.EmbeddedKafkaBroker.class)).isTrue();
    org.assertj.core.api.Assertions.assertThat(classes.contain(dev.sigstream.verdict.VerdictMapper.class)).isTrue();
    org.assertj.core.api.Assertions.assertThat(classes.contain(dev.sigstream.oci.Deadline.class)).isTrue();
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
  void signingAzure_isAnAdapterOfTheTrustCorePorts_only() {
    org.assertj.core.api.Assertions.assertThat(
        classes.contain(dev.sigstream.signing.azure.KeyVaultSigningKey.class)).isTrue();
    noClasses().that().resideInAPackage("dev.sigstream.signing..")
        .should().dependOnClassesThat().resideInAnyPackage("org.apache.kafka..", "dev.sigstream.verifier..",
            "dev.sigstream.ingest..", "dev.sigstream.notifier..", "dev.sigstream.app..", "dev.sigstream.schemas..")
        .because("the Azure adapters implement notary's SigningKey and oci's EntraTokenSource; the CLI and the"
            + " service select them")
        .check(classes);
    noClasses().that().resideInAnyPackage("dev.sigstream.notary..", "dev.sigstream.oci..")
        .should().dependOnClassesThat().resideInAnyPackage("com.azure..", "com.microsoft..", "dev.sigstream.signing..")
        .because("the trust core defines the ports; the Azure SDK stays in signing-azure")
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

  @Test
  void verificationCore_doesNotDependOnItsEdges() {
    noClasses().that().resideInAPackage("dev.sigstream.verifier.core..")
        .should().dependOnClassesThat(resideInAPackage("dev.sigstream.verdict..")
            .or(resideInAPackage("dev.sigstream.verifier..").and(not(resideInAPackage("dev.sigstream.verifier.core.."))))
            .or(resideInAPackage("dev.sigstream.app..")))
        .because("verifier-core is the shared path; the Avro mapping (verdict-avro), the stream service and the CLI"
            + " build on it, never the reverse")
        .check(classes);
  }

  @Test
  void verdictAvro_dependsOnNoKafkaStreamsAndNoService() {
    noClasses().that().resideInAPackage("dev.sigstream.verdict..")
        .should().dependOnClassesThat().resideInAnyPackage("org.apache.kafka.streams..", "dev.sigstream.app..",
            "dev.sigstream.ingest..", "dev.sigstream.notifier..")
        .because("verdict-avro only maps verifier-core's report to the Avro Verdict, for the CLI and the stream alike")
        .check(classes);
  }

  @Test
  void cli_importsNoBouncyCastle() {
    noClasses().that().resideInAPackage("dev.sigstream.app.cli..")
        .should().dependOnClassesThat().resideInAPackage("org.bouncycastle..")
        .because("the CLI only parses options into settings; certificates and signatures are notary's business")
        .check(classes);
  }

  @Test
  void cli_dependsOnNothingAboveIt_noCircleWithTheAppPackage() {
    noClasses().that().resideInAPackage("dev.sigstream.app.cli..")
        .should().dependOnClassesThat().resideInAPackage("dev.sigstream.app")
        .because("dev.sigstream.app assembles the commands (Sigstream, run); the commands own their exit codes,"
            + " version and option helpers, so the dependency goes one way")
        .check(classes);
  }

  @Test
  void cli_usesTheVerifierCore_notKafkaStreamsNorTheStreamService() {
    noClasses().that().resideInAPackage("dev.sigstream.app.cli..")
        .should().dependOnClassesThat(resideInAPackage("org.apache.kafka.streams..")
            .or(resideInAPackage("dev.sigstream.verifier..").and(not(resideInAPackage("dev.sigstream.verifier.core..")))))
        .because("the CLI and the stream call the same verifier-core; the CLI must not need Kafka Streams")
        .check(classes);
  }

  @Test
  void cores_readTimeOnlyFromAnInjectedClock() {
    classes().that().resideInAnyPackage("dev.sigstream.notary..", "dev.sigstream.oci..", "dev.sigstream.verifier.core..")
        .should(readTimeOnlyFromAnInjectedClock())
        .because("expiry, validity, freshness and timestamps are decided against an injected java.time.Clock so tests"
            + " fix it; only Deadline measures elapsed time, with System.nanoTime()")
        .check(classes);
  }

  @Test
  void clockRule_catchesWallClockAndNanoTimeReads() {
    // Guard against a vacuous pass: the test PKI reads the system clock in a static factory and nanoTime in a
    // static initialiser, both of which the rule must flag.
    org.assertj.core.api.Assertions.assertThat(classes().that()
        .haveFullyQualifiedName("dev.sigstream.testing.pki.TestPki").or()
        .haveFullyQualifiedName("dev.sigstream.testing.pki.Ca")
        .should(readTimeOnlyFromAnInjectedClock()).evaluate(classes).getFailureReport().getDetails())
        .anyMatch(d -> d.contains("Clock.systemUTC()")).anyMatch(d -> d.contains("System.nanoTime()"));
  }

  /**
   * No wall-clock reads (no-argument {@code now()} of java.time types, {@code Clock.systemUTC()} /
   * {@code systemDefaultZone()}, {@code System.currentTimeMillis()}, {@code new Date()}) except in constructors, where
   * a convenience constructor may pass {@code Clock.systemUTC()} as an explicit default; and {@code System.nanoTime()}
   * only in {@link dev.sigstream.oci.Deadline}.
   */
  private static ArchCondition<JavaClass> readTimeOnlyFromAnInjectedClock() {
    return new ArchCondition<>("read time only from an injected Clock") {
      @Override
      public void check(final JavaClass c, final ConditionEvents events) {
        for (final JavaAccess<?> a : c.getAccessesFromSelf()) {
          final String owner = a.getTargetOwner().getName();
          final String name = a.getTarget().getName();
          final boolean noArgs = a.getTarget() instanceof com.tngtech.archunit.core.domain.AccessTarget.CodeUnitAccessTarget t
              && t.getRawParameterTypes().isEmpty();
          final boolean wallClock = (owner.startsWith("java.time.") && name.equals("now") && noArgs)
              || (owner.equals("java.time.Clock") && (name.equals("systemUTC") || name.equals("systemDefaultZone")))
              || (owner.equals("java.lang.System") && name.equals("currentTimeMillis"))
              || (owner.equals("java.util.Date") && name.equals("<init>") && noArgs);
          final boolean monotonic = owner.equals("java.lang.System") && name.equals("nanoTime");
          final JavaCodeUnit origin = a.getOrigin();
          final boolean violation = wallClock && !origin.isConstructor()
              || monotonic && !c.getName().equals("dev.sigstream.oci.Deadline");
          if (violation) {
            events.add(SimpleConditionEvent.violated(a, a.getDescription()));
          }
        }
      }
    };
  }
}
