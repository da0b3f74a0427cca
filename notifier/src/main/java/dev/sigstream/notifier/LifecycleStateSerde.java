package dev.sigstream.notifier;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sigstream.notifier.route.LifecycleState;
import java.io.IOException;
import java.time.Instant;
import java.util.Optional;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.serialization.Serializer;

/** JSON for the lifecycle store (and its changelog topic): small, readable with kafka-console-consumer. */
final class LifecycleStateSerde {

  private static final ObjectMapper JSON = new ObjectMapper();

  private LifecycleStateSerde() {}

  static Serde<LifecycleState> serde() {
    final Serializer<LifecycleState> ser = (topic, s) -> {
      if (s == null) {
        return null;
      }
      final ObjectNode n = JSON.createObjectNode();
      n.put("status", s.status().name());
      n.put("failureClass", s.failureClass());
      n.put("dedupeKey", s.dedupeKey());
      s.remoteId().ifPresent(r -> n.put("remoteId", r));
      n.put("openedAt", s.openedAt().toEpochMilli());
      n.put("lastNotifiedAt", s.lastNotifiedAt().toEpochMilli());
      s.resolvedAt().ifPresent(r -> n.put("resolvedAt", r.toEpochMilli()));
      try {
        return JSON.writeValueAsBytes(n);
      } catch (IOException e) {
        throw new SerializationException(e);
      }
    };
    final Deserializer<LifecycleState> de = (topic, b) -> {
      if (b == null) {
        return null;
      }
      try {
        final JsonNode n = JSON.readTree(b);
        return new LifecycleState(LifecycleState.Status.valueOf(n.path("status").asText()), n.path("failureClass").asText(),
            n.path("dedupeKey").asText(), Optional.ofNullable(n.get("remoteId")).map(JsonNode::asText),
            Instant.ofEpochMilli(n.path("openedAt").asLong()), Instant.ofEpochMilli(n.path("lastNotifiedAt").asLong()),
            Optional.ofNullable(n.get("resolvedAt")).map(x -> Instant.ofEpochMilli(x.asLong())));
      } catch (IOException | IllegalArgumentException e) {
        throw new SerializationException("bad lifecycle state", e);
      }
    };
    return Serdes.serdeFrom(ser, de);
  }
}
