package dev.sigstream.verifier.topology;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serializer;

/**
 * Binary serde for {@link PendingWork}: a version byte, then the fields. Hand-written because it is internal state of
 * one processor (not a contract), its shape is five scalars and a byte array, and a schema library would add a
 * per-record cost to every store write; the version byte lets a later release read what this one wrote.
 */
final class PendingWorkSerde implements Serde<PendingWork> {

  private static final byte VERSION = 1;
  private static final int MAX_EVENT_BYTES = 4 << 20;

  @Override
  public Serializer<PendingWork> serializer() {
    return (topic, w) -> {
      if (w == null) {
        return null;
      }
      final ByteArrayOutputStream bytes = new ByteArrayOutputStream(64 + w.event().length);
      try (DataOutputStream out = new DataOutputStream(bytes)) {
        out.writeByte(VERSION);
        out.writeByte(w.state().ordinal());
        out.writeLong(w.firstSeenMs());
        out.writeLong(w.dueMs());
        out.writeInt(w.attempts());
        out.writeUTF(w.lastReason() == null ? "" : w.lastReason());
        out.writeInt(w.event().length);
        out.write(w.event());
      } catch (final IOException e) {
        throw new UncheckedIOException(e);
      }
      return bytes.toByteArray();
    };
  }

  @Override
  public Deserializer<PendingWork> deserializer() {
    return (topic, data) -> {
      if (data == null) {
        return null;
      }
      try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(data))) {
        final byte version = in.readByte();
        if (version != VERSION) {
          throw new SerializationException("unknown pending-work version " + version);
        }
        final int state = in.readUnsignedByte();
        if (state >= PendingWork.State.values().length) {
          throw new SerializationException("unknown pending-work state " + state);
        }
        final long firstSeen = in.readLong();
        final long due = in.readLong();
        final int attempts = in.readInt();
        final String reason = in.readUTF();
        final int n = in.readInt();
        if (n < 0 || n > MAX_EVENT_BYTES) {
          throw new SerializationException("pending-work event of " + n + " bytes");
        }
        final byte[] event = in.readNBytes(n);
        if (event.length != n) {
          throw new SerializationException("truncated pending-work record");
        }
        return new PendingWork(event, PendingWork.State.values()[state], firstSeen, due, attempts,
            reason.isEmpty() ? null : reason);
      } catch (final IOException e) {
        throw new SerializationException("unreadable pending-work record", e);
      }
    };
  }
}
