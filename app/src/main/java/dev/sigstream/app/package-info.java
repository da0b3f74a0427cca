/**
 * The {@code sigstream} command and {@code sigstream run}: configuration ({@code SigstreamConfig}) and the all-in-one runtime that starts Kafka, ingest, the verifier and the notifier. It assembles the commands of {@code app.cli}, which depend on nothing here.
 */
package dev.sigstream.app;
