/** Verdict routing to chat, ticketing, paging and webhook channels. Lands with the notifier issue. */
package dev.sigstream.notifier;
