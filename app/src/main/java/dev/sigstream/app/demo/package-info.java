/**
 * {@code sigstream demo}: the pipeline at work on one machine. A loopback {@code docker-registry} launcher with
 * notifications to ingest ({@code DemoRegistry}), a throwaway BouncyCastle PKI and Notation trust material
 * ({@code DemoPki}), the artifacts and their expected verdicts ({@code DemoCase}, {@code DemoArtifacts}, signed with
 * the production {@code notary} signer and pushed with the production {@code oci} client), and a verdict watcher.
 * Production code: never depends on {@code testing}.
 */
package dev.sigstream.app.demo;
