/**
 * Destination adapters, one subpackage per target, all delivered through the one {@code delivery} machinery.
 */
package dev.sigstream.notifier.channel;
