package dev.sigstream.app.demo;

import dev.sigstream.schemas.KafkaConnection;
import dev.sigstream.schemas.AvroSerde;
import dev.sigstream.schemas.Topics;
import dev.sigstream.schemas.avro.Verdict;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.BiConsumer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * Reads {@code verdicts.v1} from the beginning, committed records only (what every other consumer sees), and hands
 * each verdict to a callback on its own thread. A record that does not deserialize is reported, not fatal.
 */
final class VerdictWatcher implements AutoCloseable {

  private final KafkaConsumer<String, byte[]> consumer;
  private final Thread thread;

  VerdictWatcher(final KafkaConnection kafka, final BiConsumer<String, Verdict> onVerdict,
      final BiConsumer<String, String> onUnreadable) {
    final Map<String, Object> p = kafka.clientProperties();
    p.put(ConsumerConfig.GROUP_ID_CONFIG, "sigstream-demo-" + Long.toHexString(System.nanoTime()));
    p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    consumer = new KafkaConsumer<>(p, new StringDeserializer(), new ByteArrayDeserializer());
    final AvroSerde<Verdict> serde = AvroSerde.of(Verdict.class);
    thread = new Thread(() -> {
      try {
        consumer.subscribe(List.of(Topics.VERDICTS));
        while (!Thread.currentThread().isInterrupted()) {
          for (final ConsumerRecord<String, byte[]> r : consumer.poll(Duration.ofMillis(200))) {
            if (r.value() == null) {
              continue;
            }
            final Verdict v;
            try {
              v = serde.deserializer().deserialize(r.topic(), r.value());
            } catch (final RuntimeException e) {
              onUnreadable.accept(r.key(), e.getMessage());
              continue;
            }
            onVerdict.accept(r.key(), v);
          }
        }
      } catch (final WakeupException e) {
        // closing
      } finally {
        consumer.close(Duration.ofSeconds(2));
      }
    }, "sigstream-demo-verdicts");
    thread.setDaemon(true);
  }

  VerdictWatcher start() {
    thread.start();
    return this;
  }

  @Override
  public void close() {
    consumer.wakeup();
    try {
      thread.join(5_000);
    } catch (final InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
