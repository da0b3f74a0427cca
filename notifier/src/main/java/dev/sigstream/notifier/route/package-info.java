/**
 * Routing, pure: a verdict to the notifications its rules ask for, with dedupe keys. No Kafka, no HTTP.
 */
package dev.sigstream.notifier.route;
