/**
 * Logic-less notification templates (Mustache, through Mustache.java): compiling with start-up checks, rendering
 * with every value escaped for the target's markup, and the markups themselves.
 */
package dev.sigstream.notifier.template;
