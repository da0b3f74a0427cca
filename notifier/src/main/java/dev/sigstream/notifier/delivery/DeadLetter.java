package dev.sigstream.notifier.delivery;

/**
 * What goes to {@code notifications.dlq.v1} when a destination gave up: enough to understand the failure and to
 * replay the verdict to that one destination.
 *
 * @param verdict the Avro single-object encoded verdict, replayed as is
 */
public record DeadLetter(
    String destination, String dedupeKey, String action, String artifactKey, int attempts, int lastStatus, String lastReason,
    long failedAtMillis, byte[] verdict) {}
