package dev.sigstream.notifier;

import dev.sigstream.schemas.KafkaConnection;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sigstream.notifier.delivery.DeadLetter;
import dev.sigstream.notifier.delivery.DeadLetters;
import java.io.IOException;
import java.util.Base64;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * Publishes to {@code notifications.dlq.v1} (key: destination; value: JSON with the classification and the verdict
 * as base64 single-object Avro) and waits for the broker's acknowledgement, so the verdict's offset is committed
 * only after its failure is durable.
 */
final class KafkaDeadLetters implements DeadLetters, AutoCloseable {

  private static final ObjectMapper JSON = new ObjectMapper();
  private final KafkaProducer<String, byte[]> producer;
  private final String topic;

  KafkaDeadLetters(final KafkaConnection kafka, final String topic) {
    final Map<String, Object> p = kafka.clientProperties();
    p.put(ProducerConfig.ACKS_CONFIG, "all");
    p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
    p.put(ProducerConfig.CLIENT_ID_CONFIG, "sigstream-notifier-dlq");
    this.producer = new KafkaProducer<>(p, new StringSerializer(), new ByteArraySerializer());
    this.topic = topic;
  }

  static byte[] encode(final DeadLetter d) {
    final ObjectNode n = JSON.createObjectNode();
    n.put("destination", d.destination());
    n.put("dedupeKey", d.dedupeKey());
    n.put("action", d.action());
    n.put("artifactKey", d.artifactKey());
    n.put("attempts", d.attempts());
    n.put("lastStatus", d.lastStatus());
    n.put("lastReason", d.lastReason());
    n.put("failedAtMillis", d.failedAtMillis());
    n.put("verdict", Base64.getEncoder().encodeToString(d.verdict()));
    try {
      return JSON.writeValueAsBytes(n);
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  static DeadLetter decode(final byte[] b) throws IOException {
    final var n = JSON.readTree(b);
    return new DeadLetter(n.path("destination").asText(), n.path("dedupeKey").asText(), n.path("action").asText(),
        n.path("artifactKey").asText(), n.path("attempts").asInt(), n.path("lastStatus").asInt(), n.path("lastReason").asText(),
        n.path("failedAtMillis").asLong(), Base64.getDecoder().decode(n.path("verdict").asText("")));
  }

  @Override
  public void publish(final DeadLetter letter) {
    try {
      producer.send(new ProducerRecord<>(topic, letter.destination(), encode(letter))).get(30, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while dead-lettering", e);
    } catch (ExecutionException | TimeoutException e) {
      // Not durable: fail the stream task so the verdict is reprocessed rather than lost.
      throw new IllegalStateException("cannot write to " + topic + ": " + e, e);
    }
  }

  @Override
  public void close() {
    producer.close();
  }
}
