/**
 * Delivery to one destination: token bucket, Retry-After, backoff with jitter, error classification, idempotency keys and the dead-letter topic.
 */
package dev.sigstream.notifier.delivery;
