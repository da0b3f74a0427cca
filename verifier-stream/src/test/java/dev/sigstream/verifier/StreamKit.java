package dev.sigstream.verifier;

import dev.sigstream.schemas.Topic;
import dev.sigstream.schemas.Topics;
import dev.sigstream.schemas.avro.ArtifactPushed;
import dev.sigstream.schemas.avro.Verdict;
import dev.sigstream.testing.kafka.KafkaBroker;
import java.util.List;
import java.util.Optional;
import java.util.Properties;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

/** What the service's integration tests need of the real broker: unique topics, an event producer, a counter. */
final class StreamKit {

  private StreamKit() {}

  /** Every Sigstream topic under a prefix unique to this call, created on {@code broker}. */
  static Topics topics(final KafkaBroker broker, final String name) throws Exception {
    final Topics topics = Topics.withPrefix(name.replaceAll("[^A-Za-z0-9._-]", "_") + "-"
        + Long.toHexString(System.nanoTime()) + ".", 2);
    topics.createMissing(broker.bootstrapServers(), Optional.empty());
    return topics;
  }

  static KafkaProducer<String, ArtifactPushed> producer(final KafkaBroker broker, final Topics topics) {
    final Properties p = new Properties();
    p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers());
    p.put(ProducerConfig.ACKS_CONFIG, "all");
    p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
    return new KafkaProducer<>(p, new StringSerializer(), topics.artifactEvents().valueSerde().serializer());
  }

  /** A consumer of committed records only: what downstream consumers see. */
  static KafkaConsumer<String, Verdict> committed(final KafkaBroker broker, final Topic<String, Verdict> t) {
    final Properties p = new Properties();
    p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers());
    p.put(ConsumerConfig.GROUP_ID_CONFIG, "count-" + UUID.randomUUID());
    p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    final KafkaConsumer<String, Verdict> c = new KafkaConsumer<>(p, new StringDeserializer(),
        t.valueSerde().deserializer());
    c.subscribe(List.of(t.name()));
    return c;
  }
}
