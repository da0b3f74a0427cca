package dev.sigstream.notifier.delivery;

/** Port to the dead-letter topic. {@link #publish} returns only once the record is durable (or throws). */
@FunctionalInterface
public interface DeadLetters {
  void publish(DeadLetter letter);
}
