package dev.sigstream.testing.kafka;

/** A running Kafka broker for tests: the in-JVM KRaft broker, or a Testcontainers broker where Docker exists. */
public interface KafkaBroker {

  /** Bootstrap servers for clients. */
  String bootstrapServers();

  /** What backs this broker, for test logs: {@code in-jvm-kraft} or {@code testcontainers}. */
  String kind();
}
