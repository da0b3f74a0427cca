/**
 * Maps {@code verifier-core}'s report to the Avro {@code Verdict} contract ({@link
 * dev.sigstream.verdict.VerdictMapper}): the one place where the domain and Avro meet, shared by the CLI's JSON output
 * and the stream.
 */
package dev.sigstream.verdict;
