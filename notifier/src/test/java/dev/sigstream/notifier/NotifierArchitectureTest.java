package dev.sigstream.notifier;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static org.assertj.core.api.Assertions.assertThat;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import dev.sigstream.notifier.channel.slack.SlackWebhookChannel;
import dev.sigstream.notifier.route.Router;
import org.junit.jupiter.api.Test;

/** Routing stays pure, adapters stay free of Kafka: the layering of docs/notifier.md. */
class NotifierArchitectureTest {

  private static final JavaClasses CLASSES =
      new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS).importPackages("dev.sigstream.notifier");

  @Test
  void route_isPure_noKafkaNoHttp() {
    assertThat(CLASSES.contain(Router.class)).isTrue();
    noClasses().that().resideInAPackage("dev.sigstream.notifier.route..")
        .should().dependOnClassesThat().resideInAnyPackage("org.apache.kafka..", "java.net.http..", "com.azure..", "io.javalin..",
            "dev.sigstream.notifier.channel..", "dev.sigstream.notifier.delivery..")
        .because("routing and lifecycle decisions are pure functions of (verdict, state, time)")
        .check(CLASSES);
  }

  @Test
  void channelsAndDelivery_dependOnNoKafka() {
    assertThat(CLASSES.contain(SlackWebhookChannel.class)).isTrue();
    noClasses().that().resideInAnyPackage("dev.sigstream.notifier.channel..", "dev.sigstream.notifier.delivery..")
        .should().dependOnClassesThat().resideInAnyPackage("org.apache.kafka..", "dev.sigstream.schemas.avro..")
        .because("adapters see domain steps, not records")
        .check(CLASSES);
  }
}
