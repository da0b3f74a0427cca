package dev.sigstream.schemas;

import dev.sigstream.schemas.avro.ArtifactPushed;
import dev.sigstream.schemas.avro.Verdict;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.serialization.Serdes;

/**
 * The topics Sigstream owns, with their key and value types. Documented in {@code docs/topics.md}.
 *
 * <p>Keys are artifact keys ({@link ArtifactKey}): {@code registry/repository@digest}, so every event and verdict for
 * one artifact lands on one partition and the compacted verdicts topic keeps the latest verdict per artifact.
 *
 * <p>Each instance owns its own serdes; there is no static mutable state.
 */
public final class Topics {

  public static final String ARTIFACT_EVENTS = "artifact-events.v1";
  public static final String ARTIFACT_EVENTS_RETRY = "artifact-events.retry.v1";
  public static final String ARTIFACT_EVENTS_DLQ = "artifact-events.dlq.v1";
  public static final String VERDICTS = "verdicts.v1";
  public static final String VIOLATIONS = "violations.v1";
  public static final String NOTIFICATIONS_DLQ = "notifications.dlq.v1";

  private static final String WEEK_MS = Long.toString(7L * 24 * 3600 * 1000);
  private static final String MONTH_MS = Long.toString(30L * 24 * 3600 * 1000);

  private final Topic<String, ArtifactPushed> artifactEvents;
  private final Topic<String, ArtifactPushed> artifactEventsRetry;
  private final Topic<String, byte[]> artifactEventsDlq;
  private final Topic<String, Verdict> verdicts;
  private final Topic<String, Verdict> violations;
  private final Topic<String, byte[]> notificationsDlq;

  private Topics(final String prefix, final int partitions) {
    final var events = AvroSerde.of(ArtifactPushed.class);
    final var verdictSerde = AvroSerde.of(Verdict.class);
    final Map<String, String> deleteWeek =
        Map.of(TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_DELETE, TopicConfig.RETENTION_MS_CONFIG, WEEK_MS);
    final Map<String, String> deleteMonth =
        Map.of(TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_DELETE, TopicConfig.RETENTION_MS_CONFIG, MONTH_MS);
    artifactEvents = new Topic<>(prefix + ARTIFACT_EVENTS, Serdes.String(), events, partitions, deleteWeek);
    artifactEventsRetry = new Topic<>(prefix + ARTIFACT_EVENTS_RETRY, Serdes.String(), events, partitions, deleteWeek);
    artifactEventsDlq = new Topic<>(prefix + ARTIFACT_EVENTS_DLQ, Serdes.String(), Serdes.ByteArray(), 1, deleteMonth);
    verdicts = new Topic<>(prefix + VERDICTS, Serdes.String(), verdictSerde, partitions,
        Map.of(TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT,
            TopicConfig.MIN_COMPACTION_LAG_MS_CONFIG, "3600000"));
    violations = new Topic<>(prefix + VIOLATIONS, Serdes.String(), verdictSerde, partitions, deleteMonth);
    notificationsDlq = new Topic<>(prefix + NOTIFICATIONS_DLQ, Serdes.String(), Serdes.ByteArray(), 1, deleteMonth);
  }

  /** Topics with the default of 12 partitions for keyed topics. */
  public static Topics create() {
    return new Topics("", 12);
  }

  /** Topics with {@code partitions} partitions for keyed topics (DLQs keep one). */
  public static Topics withPartitions(final int partitions) {
    return new Topics("", partitions);
  }

  /**
   * Topics whose names start with {@code prefix}: tests sharing one broker, or several Sigstream deployments sharing
   * one cluster. Production uses the unprefixed names of docs/topics.md.
   */
  public static Topics withPrefix(final String prefix, final int partitions) {
    if (!prefix.matches("[A-Za-z0-9._-]*")) {
      throw new IllegalArgumentException("topic prefix may hold only [A-Za-z0-9._-]: " + prefix);
    }
    return new Topics(prefix, partitions);
  }

  public Topic<String, ArtifactPushed> artifactEvents() {
    return artifactEvents;
  }

  public Topic<String, ArtifactPushed> artifactEventsRetry() {
    return artifactEventsRetry;
  }

  public Topic<String, byte[]> artifactEventsDlq() {
    return artifactEventsDlq;
  }

  public Topic<String, Verdict> verdicts() {
    return verdicts;
  }

  public Topic<String, Verdict> violations() {
    return violations;
  }

  public Topic<String, byte[]> notificationsDlq() {
    return notificationsDlq;
  }

  /** Every topic, in creation order. */
  public List<Topic<?, ?>> all() {
    return List.of(artifactEvents, artifactEventsRetry, artifactEventsDlq, verdicts, violations, notificationsDlq);
  }

  /** {@link #createMissing(KafkaConnection, java.util.Optional)} over PLAINTEXT (the embedded broker, tests). */
  public List<String> createMissing(final String bootstrapServers, final java.util.Optional<Short> replicationFactor) {
    return createMissing(KafkaConnection.plaintext(bootstrapServers), replicationFactor);
  }

  /**
   * Creates those of {@link #all()} that do not exist yet on the cluster {@code kafka} names (a topic created
   * meanwhile by another instance is fine), with each topic's partitions and configuration.
   *
   * <p>On a cluster with ACLs a service's user sees only its own topics and may create none: topics it is not allowed
   * to create are left to the cluster's operator (Strimzi {@code KafkaTopic}s, k8s/base/kafka-topics.yaml) and logged
   * once; a service whose own topic is missing then says so when its client uses it.
   *
   * @param replicationFactor empty: the broker's default
   * @return the names created
   * @throws IllegalStateException naming the cluster and the cause when Kafka cannot be reached, refuses the
   *     credentials, or refuses otherwise
   */
  public List<String> createMissing(final KafkaConnection kafka, final java.util.Optional<Short> replicationFactor) {
    final Map<String, Object> props = kafka.clientProperties();
    props.put(org.apache.kafka.clients.admin.AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 30_000);
    props.put(org.apache.kafka.clients.admin.AdminClientConfig.CLIENT_ID_CONFIG, "sigstream-topics");
    try (org.apache.kafka.clients.admin.Admin admin = org.apache.kafka.clients.admin.Admin.create(props)) {
      final java.util.Set<String> existing = admin.listTopics().names().get(30, java.util.concurrent.TimeUnit.SECONDS);
      final List<org.apache.kafka.clients.admin.NewTopic> missing = new java.util.ArrayList<>();
      for (final Topic<?, ?> t : all()) {
        if (!existing.contains(t.name())) {
          missing.add(new org.apache.kafka.clients.admin.NewTopic(t.name(), java.util.Optional.of(t.partitions()),
              replicationFactor).configs(t.config()));
        }
      }
      final List<String> created = new java.util.ArrayList<>();
      final List<String> notAllowed = new java.util.ArrayList<>();
      if (!missing.isEmpty()) {
        final var results = admin.createTopics(missing).values();
        for (final var e : results.entrySet()) {
          try {
            e.getValue().get(30, java.util.concurrent.TimeUnit.SECONDS);
            created.add(e.getKey());
          } catch (final java.util.concurrent.ExecutionException ex) {
            if (ex.getCause() instanceof org.apache.kafka.common.errors.TopicAuthorizationException
                || ex.getCause() instanceof org.apache.kafka.common.errors.ClusterAuthorizationException) {
              notAllowed.add(e.getKey());
            } else if (!(ex.getCause() instanceof org.apache.kafka.common.errors.TopicExistsException)) {
              throw ex;
            }
          }
        }
      }
      if (!notAllowed.isEmpty()) {
        org.slf4j.LoggerFactory.getLogger(Topics.class).info("Not allowed to create or see topics {} on {}: they are"
            + " left to the cluster's operator (KafkaTopic resources)", notAllowed, kafka.bootstrapServers());
      }
      return created.stream().sorted(java.util.Comparator.comparingInt(n -> names().indexOf(n))).toList();
    } catch (final InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while creating topics", e);
    } catch (final java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException
        | org.apache.kafka.common.KafkaException e) {
      final Throwable cause = e instanceof java.util.concurrent.ExecutionException ? e.getCause() : e;
      throw new IllegalStateException("cannot create topics: " + kafka.explain(cause), cause);
    }
  }

  private List<String> names() {
    return all().stream().map(Topic::name).toList();
  }
}
