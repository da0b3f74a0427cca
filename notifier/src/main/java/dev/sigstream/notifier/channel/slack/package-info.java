/**
 * The slack destination: request shape, authentication and error classification as documented in docs/notifier.md.
 */
package dev.sigstream.notifier.channel.slack;
