package dev.sigstream.app.notifier;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sigstream.app.Sigstream;
import dev.sigstream.schemas.AvroSerde;
import dev.sigstream.schemas.Topics;
import dev.sigstream.schemas.avro.ArtifactClass;
import dev.sigstream.schemas.avro.ArtifactRef;
import dev.sigstream.schemas.avro.Outcome;
import dev.sigstream.schemas.avro.ReasonCode;
import dev.sigstream.schemas.avro.ReferrersSummary;
import dev.sigstream.schemas.avro.Verdict;
import dev.sigstream.testing.kafka.KafkaBroker;
import dev.sigstream.testing.kafka.KafkaBrokerExtension;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code sigstream notifier replay} against the real (in-JVM KRaft) broker: the documented dead-letter format in, a delivery out. */
@Tag("integration")
@Timeout(120)
@ExtendWith(KafkaBrokerExtension.class)
class ReplayCommandIT {

  static {
    // Installs Avro's class trust for the generated package (builders need it).
    AvroSerde.of(Verdict.class);
  }

  @TempDir
  Path dir;

  record Result(int exit, String out, String err) {}

  private static Result run(final Map<String, String> env, final String... args) {
    final CommandLine cl = Sigstream.newCommandLine();
    final StringWriter out = new StringWriter();
    final StringWriter err = new StringWriter();
    cl.setOut(new PrintWriter(out, true));
    cl.setErr(new PrintWriter(err, true));
    ((ReplayCommand) cl.getSubcommands().get("notifier").getSubcommands().get("replay").getCommand()).env = env;
    final int exit = cl.execute(args);
    return new Result(exit, out.toString(), err.toString());
  }

  private static byte[] verdict(final String repository) {
    final Verdict v = Verdict.newBuilder()
        .setEventId("evt-" + repository)
        .setArtifact(ArtifactRef.newBuilder().setRegistry("registry.example.com").setRepository(repository).setDigest("sha256:" + "b".repeat(64)).build())
        .setArtifactClass(ArtifactClass.CONTAINER_IMAGE)
        .setOutcome(Outcome.FAIL)
        .setReasonCode(ReasonCode.NO_SIGNATURE)
        .setDetail("no signature")
        .setSignatures(List.of())
        .setReferrers(ReferrersSummary.newBuilder().build())
        .setDecidedAt(Instant.parse("2026-01-01T00:00:00Z"))
        .setVerifierVersion("test")
        .build();
    return AvroSerde.of(Verdict.class).serializer().serialize(Topics.VERDICTS, v);
  }

  @Test
  void replay_deliversADeadLetter_ofTheNamedDestination(final KafkaBroker broker) throws Exception {
    // Given a console destination (unique name: the dead-letter topic is shared) and one dead letter of it
    final String dest = "console-" + Long.toHexString(System.nanoTime());
    final Path routes = dir.resolve("routes.yaml");
    Files.writeString(routes, """
        destinations:
          %s: {type: console}
        rules: [{name: all, destinations: [%s]}]
        """.formatted(dest, dest));
    final var letter = new ObjectMapper().createObjectNode()
        .put("destination", dest).put("dedupeKey", "0123456789abcdef0123456789abcdef").put("action", "OPEN")
        .put("artifactKey", "registry.example.com/prod/app@sha256:" + "b".repeat(64)).put("attempts", 5).put("lastStatus", 503)
        .put("lastReason", "gave up").put("failedAtMillis", Instant.now().toEpochMilli())
        .put("verdict", Base64.getEncoder().encodeToString(verdict("prod/app")));
    try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers()))) {
      admin.createTopics(List.of(new NewTopic(Topics.NOTIFICATIONS_DLQ, 1, (short) 1))).all().get();
    } catch (java.util.concurrent.ExecutionException e) {
      if (!(e.getCause() instanceof org.apache.kafka.common.errors.TopicExistsException)) {
        throw e;
      }
    }
    try (KafkaProducer<String, byte[]> p = new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers(),
        ProducerConfig.ACKS_CONFIG, "all"), new StringSerializer(), new ByteArraySerializer())) {
      p.send(new ProducerRecord<>(Topics.NOTIFICATIONS_DLQ, dest, new ObjectMapper().writeValueAsBytes(letter))).get();
    }

    // When
    final Result r = run(Map.of(), "notifier", "replay", "--bootstrap-servers", broker.bootstrapServers(), "--routes", routes.toString(),
        "--destination", dest, "--since", "1h");

    // Then
    assertThat(r.exit()).as(r.toString()).isZero();
    assertThat(r.out()).contains("delivered 1, failed again 0");
  }

  @Test
  void usageErrors_exit2_withOneLineEach() throws Exception {
    assertThat(run(Map.of(), "notifier", "replay")).satisfies(r -> {
      assertThat(r.exit()).isEqualTo(2);
      assertThat(r.err()).contains("--routes FILE is required");
    });
    final Path bad = dir.resolve("bad.yaml");
    Files.writeString(bad, "destinations: {x: {type: carrier-pigeon}}\nrules: [{name: r, destinations: [y]}]\n");
    assertThat(run(Map.of(), "notifier", "replay", "--routes", bad.toString())).satisfies(r -> {
      assertThat(r.exit()).isEqualTo(2);
      assertThat(r.err()).contains("unknown type 'carrier-pigeon'").contains("unknown destination 'y'");
    });
    final Path ok = dir.resolve("ok.yaml");
    Files.writeString(ok, "destinations: {c: {type: console}}\nrules: [{name: r, destinations: [c]}]\n");
    assertThat(run(Map.of(), "notifier", "replay", "--routes", ok.toString(), "--destination", "nope")).satisfies(r -> {
      assertThat(r.exit()).isEqualTo(2);
      assertThat(r.err()).contains("no destination 'nope'");
    });
    assertThat(run(Map.of(), "notifier", "replay", "--routes", ok.toString(), "--since", "yesterday")).satisfies(r -> {
      assertThat(r.exit()).isEqualTo(2);
      assertThat(r.err()).contains("--since");
    });
    assertThat(run(Map.of(), "notifier").exit()).isEqualTo(2);
  }
}
