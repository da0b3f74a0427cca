package dev.sigstream.notifier;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.util.Base64;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.serialization.Serializer;

/**
 * One artifact collected into an open digest, as kept in the changelogged store {@code notifier-digests} (key:
 * {@code <group>\u0000<artifact key>}), so that a restart inside the collection window sends the digest once instead
 * of losing it. It holds what rebuilds the step: the verdict as received and the lifecycle's decision.
 *
 * @param verdict the verdict record's value (single-object Avro), decoded again when the digest is sent
 * @param producedAtMillis the verdict record's timestamp (for the delay metric)
 * @param collectedAtMillis when it was collected (stream wall-clock time); the group is due groupWait after its first
 */
record DigestMember(
    String recordKey, byte[] verdict, long producedAtMillis, long collectedAtMillis, String action, String dedupeKey, boolean recover,
    String severity, String failureClass) {

  private static final ObjectMapper JSON = new ObjectMapper();

  static Serde<DigestMember> serde() {
    final Serializer<DigestMember> ser = (topic, m) -> {
      if (m == null) {
        return null;
      }
      final ObjectNode n = JSON.createObjectNode();
      n.put("recordKey", m.recordKey());
      n.put("verdict", Base64.getEncoder().encodeToString(m.verdict()));
      n.put("producedAt", m.producedAtMillis());
      n.put("collectedAt", m.collectedAtMillis());
      n.put("action", m.action());
      n.put("dedupeKey", m.dedupeKey());
      n.put("recover", m.recover());
      n.put("severity", m.severity());
      n.put("failureClass", m.failureClass());
      try {
        return JSON.writeValueAsBytes(n);
      } catch (IOException e) {
        throw new SerializationException(e);
      }
    };
    final Deserializer<DigestMember> de = (topic, b) -> {
      if (b == null) {
        return null;
      }
      try {
        final JsonNode n = JSON.readTree(b);
        return new DigestMember(n.path("recordKey").asText(), Base64.getDecoder().decode(n.path("verdict").asText("")),
            n.path("producedAt").asLong(), n.path("collectedAt").asLong(), n.path("action").asText(), n.path("dedupeKey").asText(),
            n.path("recover").asBoolean(), n.path("severity").asText(), n.path("failureClass").asText());
      } catch (IOException | IllegalArgumentException e) {
        throw new SerializationException("bad digest member", e);
      }
    };
    return Serdes.serdeFrom(ser, de);
  }
}
