package dev.sigstream.schemas;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sigstream.schemas.avro.ArtifactPushed;
import dev.sigstream.schemas.avro.Verdict;
import dev.sigstream.testing.kafka.KafkaBroker;
import dev.sigstream.testing.kafka.KafkaBrokerExtension;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.RecordDeserializationException;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.Serde;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/** Both contracts through the real broker with the production serdes and topic definitions. */
@Tag("integration")
@Timeout(120)
@ExtendWith(KafkaBrokerExtension.class)
class SerdeBrokerRoundTripIT {

  @Test
  void artifactPushedAndVerdict_roundTripThroughTheBroker(final KafkaBroker broker) throws Exception {
    // Given: Sigstream's own topic definitions, created on the broker under a unique suffix
    final Topics topics = Topics.withPartitions(3);
    final String suffix = "-" + UUID.randomUUID();
    final String eventsTopic = topics.artifactEvents().name() + suffix;
    final String verdictsTopic = topics.verdicts().name() + suffix;
    try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers()))) {
      admin.createTopics(List.of(
          new org.apache.kafka.clients.admin.NewTopic(eventsTopic, 3, (short) 1).configs(topics.artifactEvents().config()),
          new org.apache.kafka.clients.admin.NewTopic(verdictsTopic, 3, (short) 1).configs(topics.verdicts().config())))
          .all().get();
    }
    final ArtifactPushed pushed = Samples.pushed("evt-" + suffix);
    final Verdict verdict = Samples.verdict("evt-" + suffix);
    final String key = ArtifactKey.of(pushed.getArtifact());

    // When
    produce(broker, eventsTopic, topics.artifactEvents().valueSerde(), key, pushed);
    produce(broker, verdictsTopic, topics.verdicts().valueSerde(), key, verdict);

    // Then
    assertThat(consumeOne(broker, eventsTopic, topics.artifactEvents().valueSerde())).satisfies(r -> {
      assertThat(r.key()).isEqualTo("registry.example:5000/team/app@" + Samples.DIGEST);
      assertThat(r.value()).isEqualTo(pushed);
    });
    assertThat(consumeOne(broker, verdictsTopic, topics.verdicts().valueSerde()).value()).isEqualTo(verdict);
  }

  @Test
  void undecodableRecord_isReportedWithTopicPartitionAndOffset(final KafkaBroker broker) throws Exception {
    // Given: a record that is not a single-object-encoded Verdict
    final String topic = "verdicts-poison-" + UUID.randomUUID();
    try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers()))) {
      admin.createTopics(List.of(new org.apache.kafka.clients.admin.NewTopic(topic, 1, (short) 1))).all().get();
    }
    try (KafkaProducer<byte[], byte[]> p = new KafkaProducer<>(producerProps(broker), new ByteArraySerializer(), new ByteArraySerializer())) {
      p.send(new ProducerRecord<>(topic, "k".getBytes(), "{not avro}".getBytes())).get();
    }

    // When / Then: the consumer names where the bad record sits instead of swallowing it
    try (KafkaConsumer<String, Verdict> c = consumer(broker, Topics.create().verdicts().valueSerde())) {
      c.subscribe(Set.of(topic));
      assertThatThrownBy(() -> {
        final long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (System.nanoTime() < deadline) {
          c.poll(Duration.ofMillis(500));
        }
      }).isInstanceOfSatisfying(RecordDeserializationException.class, e -> {
        assertThat(e.topicPartition().topic()).isEqualTo(topic);
        assertThat(e.topicPartition().partition()).isZero();
        assertThat(e.offset()).isZero();
        assertThat(e.getMessage()).contains(topic);
        assertThat(e.getCause()).hasMessageContaining("bad header");
      });
    }
  }

  private static <V> void produce(final KafkaBroker broker, final String topic, final Serde<V> serde, final String key, final V value)
      throws Exception {
    try (KafkaProducer<String, V> p = new KafkaProducer<>(producerProps(broker),
        new org.apache.kafka.common.serialization.StringSerializer(), serde.serializer())) {
      p.send(new ProducerRecord<>(topic, key, value)).get();
    }
  }

  private static Map<String, Object> producerProps(final KafkaBroker broker) {
    return Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers(), ProducerConfig.ACKS_CONFIG, "all",
        ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
  }

  private static <V> KafkaConsumer<String, V> consumer(final KafkaBroker broker, final Serde<V> serde) {
    return new KafkaConsumer<>(Map.of(
        ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers(),
        ConsumerConfig.GROUP_ID_CONFIG, "g-" + UUID.randomUUID(),
        ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest"),
        new org.apache.kafka.common.serialization.StringDeserializer(), serde.deserializer());
  }

  private static <V> ConsumerRecord<String, V> consumeOne(final KafkaBroker broker, final String topic, final Serde<V> serde) {
    try (KafkaConsumer<String, V> c = consumer(broker, serde)) {
      c.subscribe(Set.of(topic));
      final List<ConsumerRecord<String, V>> got = new ArrayList<>();
      final long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
      while (got.isEmpty() && System.nanoTime() < deadline) {
        c.poll(Duration.ofMillis(200)).forEach(got::add);
      }
      assertThat(got).as("records on %s", topic).hasSize(1);
      return got.get(0);
    }
  }
}
