package dev.sigstream.schemas;

import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.serialization.Serde;

/**
 * A topic with its key and value types, defined once in {@link Topics}.
 *
 * @param name topic name, kebab-case with a version suffix
 * @param keySerde serde for keys
 * @param valueSerde serde for values
 * @param partitions default partition count when Sigstream creates the topic
 * @param config topic-level configuration (cleanup policy, retention)
 */
public record Topic<K, V>(
    String name, Serde<K> keySerde, Serde<V> valueSerde, int partitions, Map<String, String> config) {

  public Topic {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(keySerde, "keySerde");
    Objects.requireNonNull(valueSerde, "valueSerde");
    config = Map.copyOf(config);
    if (partitions < 1) {
      throw new IllegalArgumentException("partitions must be >= 1");
    }
  }

  /** The admin-client definition of this topic with the given replication factor. */
  public NewTopic newTopic(final short replicationFactor) {
    return new NewTopic(name, Optional.of(partitions), Optional.of(replicationFactor)).configs(config);
  }
}
