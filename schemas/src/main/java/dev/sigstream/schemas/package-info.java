/**
 * The public contracts: Avro records {@code ArtifactPushed} and {@code Verdict} (generated into {@code
 * dev.sigstream.schemas.avro}), their released versions ({@link dev.sigstream.schemas.SchemaHistory}, checked for
 * compatibility by a test), single-object-encoding serdes ({@link dev.sigstream.schemas.AvroSerde}), plain JSON
 * rendering ({@link dev.sigstream.schemas.AvroJson}) and the topics with their key and value types ({@link
 * dev.sigstream.schemas.Topics}, documented in {@code docs/topics.md}).
 */
package dev.sigstream.schemas;
