/**
 * A real single-node Kafka broker (KRaft, combined broker and controller) inside the JVM, for {@code sigstream run}
 * and for the test harness: the same broker code as a cluster, not a fake.
 */
package dev.sigstream.kafka.embedded;
