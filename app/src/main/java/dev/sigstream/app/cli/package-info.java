/**
 * The CLI commands ({@code verify}, {@code sign}, {@code inspect}, {@code discover}): they parse options into verifier-core settings, call the shared verification path, and print one safe line per error with the documented exit codes ({@code ExitCodes}).
 */
package dev.sigstream.app.cli;
