/**
 * A real Kafka broker per test JVM: {@link dev.sigstream.testing.kafka.KafkaBrokerExtension} injects a {@link
 * dev.sigstream.testing.kafka.KafkaBroker}, the in-JVM KRaft broker (or Testcontainers where Docker exists). Use
 * unique topic names per test.
 */
package dev.sigstream.testing.kafka;
