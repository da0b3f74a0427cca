package dev.sigstream.ingest.publish;

import dev.sigstream.schemas.avro.ArtifactPushed;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * Port: publishes a request's events. The returned future completes normally only once the broker acknowledged
 * every record (the caller answers 2xx only then); it completes exceptionally if any record failed. Never throws
 * on broker trouble; may block up to its configured send deadline while the client has no metadata.
 */
public interface ArtifactEventPublisher extends AutoCloseable {

  CompletableFuture<Void> publishAll(List<ArtifactPushed> events);

  /** Whether the broker answered recently; false means new requests should get 503 without trying. */
  boolean available();

  @Override
  void close();
}
