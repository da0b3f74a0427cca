/** {@code sigstream notifier ...}: operations on the notifier (replay of its dead-letter topic). */
package dev.sigstream.app.notifier;
