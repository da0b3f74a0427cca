package dev.sigstream.verifier;

import dev.sigstream.schemas.KafkaConnection;
import dev.sigstream.oci.Reference;
import dev.sigstream.oci.CachingReader;
import dev.sigstream.oci.RegistryClient;
import dev.sigstream.oci.RegistryReader;
import dev.sigstream.oci.ThrottledReader;
import dev.sigstream.schemas.Topics;
import dev.sigstream.schemas.avro.ArtifactPushed;
import dev.sigstream.schemas.avro.ArtifactRef;
import dev.sigstream.schemas.avro.Verdict;
import dev.sigstream.verifier.api.VerdictQueries;
import dev.sigstream.verifier.core.ReloadingVerifier;
import dev.sigstream.verifier.core.VerifierFactory;
import dev.sigstream.verifier.core.VerifierSettings;
import dev.sigstream.verifier.topology.ArtifactCheck;
import dev.sigstream.verifier.topology.VerifierCheck;
import dev.sigstream.verifier.topology.PendingWork;
import dev.sigstream.verifier.topology.StreamPolicy;
import dev.sigstream.verifier.topology.VerifierMetrics;
import dev.sigstream.verifier.topology.VerifierTopology;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.kafka.KafkaStreamsMetrics;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Properties;
import java.util.function.Predicate;
import org.apache.kafka.streams.CloseOptions;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StoreQueryParameters;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.errors.InvalidStateStoreException;
import org.apache.kafka.streams.errors.LogAndContinueExceptionHandler;
import org.apache.kafka.streams.errors.LogAndContinueProcessingExceptionHandler;
import org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.QueryableStoreTypes;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The verifier as a running Kafka Streams application: {@link VerifierTopology} with exactly-once processing, poison
 * records to the dead-letter topic, Kafka Streams metrics bound to Micrometer, and read access to the verdict index
 * and the pending work for the query API and admission.
 */
public final class VerifierService implements VerdictQueries, AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(VerifierService.class);

  /**
   * @param applicationId the Kafka Streams application id (consumer group, internal topic prefix)
   * @param stateDir where state stores live
   * @param streamThreads stream threads in this instance
   * @param commitInterval how often the exactly-once transaction commits: a verdict becomes visible to
   *     {@code read_committed} consumers at the next commit, so this bounds the latency it adds (default 25 ms)
   */
  public record Settings(String applicationId, Path stateDir, Topics topics, StreamPolicy policy, int streamThreads,
      String verifierVersion, Duration commitInterval) {

    public Settings(final String applicationId, final Path stateDir, final Topics topics, final StreamPolicy policy,
        final int streamThreads, final String verifierVersion) {
      this(applicationId, stateDir, topics, policy, streamThreads, verifierVersion, Duration.ofMillis(25));
    }

    public Settings {
      Objects.requireNonNull(applicationId, "applicationId");
      Objects.requireNonNull(stateDir, "stateDir");
      Objects.requireNonNull(topics, "topics");
      Objects.requireNonNull(policy, "policy");
      Objects.requireNonNull(verifierVersion, "verifierVersion");
      Objects.requireNonNull(commitInterval, "commitInterval");
      if (streamThreads < 1) {
        throw new IllegalArgumentException("streamThreads must be at least 1");
      }
    }
  }

  private final KafkaStreams streams;
  private final KafkaStreamsMetrics streamsMetrics;
  private final ArtifactCheck check;
  private final Topics topics;
  private final KafkaProducer<String, ArtifactPushed> rechecks;
  private final List<AutoCloseable> resources = new ArrayList<>();

  private VerifierService(final KafkaStreams streams, final KafkaStreamsMetrics streamsMetrics,
      final ArtifactCheck check, final Topics topics, final KafkaProducer<String, ArtifactPushed> rechecks) {
    this.streams = streams;
    this.streamsMetrics = streamsMetrics;
    this.check = check;
    this.topics = topics;
    this.rechecks = rechecks;
  }

  /**
   * Builds the verification path from {@code verifier} settings (one registry client for the life of the service; the
   * trust material re-read every {@code reload} and swapped in when it changed) and starts the application.
   *
   * @throws dev.sigstream.verifier.core.SettingsException when the trust material or registries are unusable
   */
  public static VerifierService start(final Settings s, final VerifierSettings verifier, final Duration reload,
      final String bootstrapServers, final MeterRegistry metrics) {
    return start(s, verifier, reload, KafkaConnection.plaintext(bootstrapServers), metrics);
  }

  /** As {@link #start(Settings, VerifierSettings, Duration, String, MeterRegistry)}, on the cluster {@code kafka} names. */
  public static VerifierService start(final Settings s, final VerifierSettings verifier, final Duration reload,
      final KafkaConnection kafka, final MeterRegistry metrics) {
    final RegistryClient client = VerifierFactory.registry(verifier.registry(), verifier.clock());
    // Polite per host (in-flight cap, token bucket, pause after 429), and no second fetch of immutable content.
    final RegistryReader registry = new CachingReader(new ThrottledReader(new RegistryTimings(client, metrics),
        ThrottledReader.Limits.DEFAULTS, verifier.clock()), new CachingReader.Cache(64L << 20, 256L << 10));
    final ReloadingVerifier verifiers = new ReloadingVerifier(verifier, registry);
    final VerifierService service = start(s, new VerifierCheck(verifiers, registry), kafka, metrics);
    final ScheduledExecutorService reloader = Executors.newSingleThreadScheduledExecutor(r -> {
      final Thread t = new Thread(r, "sigstream-trust-reload");
      t.setDaemon(true);
      return t;
    });
    reloader.scheduleWithFixedDelay(verifiers::poll, reload.toMillis(), reload.toMillis(), TimeUnit.MILLISECONDS);
    service.resources.add(reloader::shutdownNow);
    return service;
  }

  /** {@link #start(Settings, ArtifactCheck, KafkaConnection, MeterRegistry)} over PLAINTEXT (tests, benchmarks). */
  public static VerifierService start(final Settings s, final ArtifactCheck check, final String bootstrapServers,
      final MeterRegistry metrics) {
    return start(s, check, KafkaConnection.plaintext(bootstrapServers), metrics);
  }

  /**
   * Builds and starts the application; returns once it is starting (see {@link #running()}). The stream and the
   * re-check producer connect as {@code kafka} says.
   */
  public static VerifierService start(final Settings s, final ArtifactCheck check, final KafkaConnection kafka,
      final MeterRegistry metrics) {
    final Properties p = kafka.properties();
    p.put(StreamsConfig.APPLICATION_ID_CONFIG, s.applicationId());
    p.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2);
    p.put(StreamsConfig.STATE_DIR_CONFIG, s.stateDir().toString());
    p.put(StreamsConfig.NUM_STREAM_THREADS_CONFIG, s.streamThreads());
    p.put(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, s.commitInterval().toMillis());
    // The stream thread blocks in poll for up to poll.ms when no record arrives, and punctuations (which collect
    // finished verifications) and commits (which make their verdicts visible) wait for it: the default 100 ms
    // would add up to 100 ms to every verdict on a quiet topic. One tick bounds it.
    p.put(StreamsConfig.POLL_MS_CONFIG, s.policy().tick().toMillis());
    // Kafka Streams' producer lingers 100 ms by default, so a verdict forwarded by a tick sat in the producer until
    // the commit flushed it, and the commit waited for that send's acknowledgement before its own round trips. With
    // one tick of linger the verdicts of a tick go out as one batch before the commit comes round.
    p.put(StreamsConfig.producerPrefix(ProducerConfig.LINGER_MS_CONFIG),
        (int) s.policy().tick().toMillis());
    // Poison records (undeserializable, or naming no valid artifact) go to the DLQ with their bytes and the error
    // in headers (KIP-1034), are counted in the Streams metrics, and the partition moves on.
    p.put(StreamsConfig.ERRORS_DEAD_LETTER_QUEUE_TOPIC_NAME_CONFIG, s.topics().artifactEventsDlq().name());
    p.put(StreamsConfig.DESERIALIZATION_EXCEPTION_HANDLER_CLASS_CONFIG, LogAndContinueExceptionHandler.class);
    p.put(StreamsConfig.PROCESSING_EXCEPTION_HANDLER_CLASS_CONFIG, LogAndContinueProcessingExceptionHandler.class);
    final KafkaStreams streams = new KafkaStreams(VerifierTopology.build(s.topics(), check, s.policy(),
        s.verifierVersion(), new VerifierMetrics(metrics)), p);
    streams.setUncaughtExceptionHandler(e -> {
      if (KafkaConnection.isAccessDenied(e)) {
        // Retrying with the same credentials and ACLs cannot help: stop (readiness reports it) and say why, once.
        log.error("verifier stream stopped: {}", kafka.explain(e));
        return StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse.SHUTDOWN_CLIENT;
      }
      log.error("verifier stream thread failed; replacing it", e);
      return StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse.REPLACE_THREAD;
    });
    final KafkaStreamsMetrics km = new KafkaStreamsMetrics(streams);
    km.bindTo(metrics);
    final Properties pp = kafka.properties();
    pp.put(ProducerConfig.ACKS_CONFIG, "all");
    pp.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
    final KafkaProducer<String, ArtifactPushed> rechecks = new KafkaProducer<>(pp, new StringSerializer(),
        s.topics().artifactEvents().valueSerde().serializer());
    streams.start();
    log.info("verifier started: application {}, {} stream thread(s), exactly-once v2", s.applicationId(),
        s.streamThreads());
    return new VerifierService(streams, km, check, s.topics(), rechecks);
  }

  @Override
  public String trustVersion() {
    return check.trustVersion();
  }

  /** Writes a re-check event for {@code artifactKey} to the events topic (fire and forget; admission denies meanwhile). */
  @Override
  public void reverify(final String artifactKey) {
    final Reference ref;
    try {
      ref = Reference.parse(artifactKey);
    } catch (final IllegalArgumentException e) {
      return;
    }
    final Map<String, String> attributes = new HashMap<>();
    attributes.put(VerifierTopology.RECHECK_ATTRIBUTE, "trust-material");
    final Instant now = Instant.now();
    rechecks.send(new ProducerRecord<>(topics.artifactEvents().name(), artifactKey, ArtifactPushed.newBuilder()
        .setEventId(UUID.randomUUID().toString()).setSource("sigstream-reverify")
        .setArtifact(ArtifactRef.newBuilder().setRegistry(ref.registry()).setRepository(ref.repository())
            .setDigest(ref.isDigest() ? ref.digest().toString() : null).setTag(ref.tag()).setMediaType(null)
            .setSize(null).build())
        .setOccurredAt(now).setReceivedAt(now).setActor(null).setAttributes(attributes).build()));
  }

  /**
   * Verifies now through the same check the stream runs (same registry client, throttle and cache, same trust
   * material), and asks the stream to verify it too, so the decision is recorded as a verdict like any other.
   */
  @Override
  public java.util.concurrent.CompletableFuture<Optional<dev.sigstream.verifier.core.ArtifactReport>> verifyNow(
      final Reference artifact) {
    reverify(artifact.registry() + "/" + artifact.repository() + "@" + artifact.digest());
    try {
      return check.check(artifact).handle((o, e) -> o instanceof ArtifactCheck.Decided d ? Optional.of(d.report())
          : Optional.empty());
    } catch (final RuntimeException e) {
      return java.util.concurrent.CompletableFuture.completedFuture(Optional.empty());
    }
  }

  /** Whether the application is processing (RUNNING), for readiness. */
  public boolean running() {
    return streams.state() == KafkaStreams.State.RUNNING;
  }

  /** The latest verdict for {@code registry/repository@digest}, from this instance's copy of the index. */
  @Override
  public Optional<Verdict> verdict(final String artifactKey) {
    return Optional.ofNullable(index().get(artifactKey));
  }

  /** Verdicts matching {@code filter}, at most {@code limit}, in key order. */
  @Override
  public List<Verdict> verdicts(final Predicate<Verdict> filter, final int limit) {
    final List<Verdict> out = new ArrayList<>();
    try (KeyValueIterator<String, Verdict> it = index().all()) {
      while (it.hasNext() && out.size() < limit) {
        final Verdict v = it.next().value;
        if (v != null && filter.test(v)) {
          out.add(v);
        }
      }
    }
    return out;
  }

  /**
   * Work this instance holds for {@code artifactKey} and has not decided yet (waiting for a signature, retrying, or
   * in flight). Only this instance's partitions are searched.
   */
  @Override
  public Optional<PendingWork> pending(final String artifactKey) {
    try {
      ReadOnlyKeyValueStore<String, PendingWork> store = pendingStore;
      if (store == null) {
        store = streams.store(StoreQueryParameters.fromNameAndType(VerifierTopology.PENDING_STORE,
            QueryableStoreTypes.keyValueStore()));
        pendingStore = store;
      }
      return Optional.ofNullable(store.get(artifactKey));
    } catch (final InvalidStateStoreException e) {
      return Optional.empty();
    }
  }

  // Store handles, made once: Kafka Streams' composite read-only stores look up the stores behind them on every read,
  // so a handle stays right across rebalances (a read while none is available throws InvalidStateStoreException).
  // Making them per read cost admission a lookup and several objects per request.
  private volatile ReadOnlyKeyValueStore<String, PendingWork> pendingStore;
  private volatile ReadOnlyKeyValueStore<String, Verdict> indexStore;

  private ReadOnlyKeyValueStore<String, Verdict> index() {
    ReadOnlyKeyValueStore<String, Verdict> store = indexStore;
    if (store == null) {
      store = streams.store(StoreQueryParameters.fromNameAndType(VerifierTopology.VERDICT_INDEX,
          QueryableStoreTypes.keyValueStore()));
      indexStore = store;
    }
    return store;
  }

  @Override
  public void close() {
    // Leave the group on a clean stop so the partitions move at once instead of after the session timeout.
    for (final AutoCloseable r : resources) {
      try {
        r.close();
      } catch (final Exception e) {
        log.warn("error while stopping: {}", e.toString());
      }
    }
    streams.close(CloseOptions.groupMembershipOperation(CloseOptions.GroupMembershipOperation.LEAVE_GROUP)
        .withTimeout(Duration.ofSeconds(30)));
    rechecks.close(Duration.ofSeconds(5));
    streamsMetrics.close();
  }
}
