package dev.sigstream.app.demo;

import dev.sigstream.schemas.avro.ArtifactClass;
import dev.sigstream.schemas.avro.Outcome;
import dev.sigstream.schemas.avro.ReasonCode;

/**
 * The artifacts the demo pushes, each with the verdict the pipeline must reach for it.
 *
 * @see DemoArtifacts
 */
enum DemoCase {
  JWS_SIGNED("demo/jws-signed", "an image signed with a JWS envelope", Outcome.PASS, ArtifactClass.CONTAINER_IMAGE,
      ReasonCode.OK),
  COSE_SIGNED("demo/cose-signed", "an image signed with a COSE envelope", Outcome.PASS, ArtifactClass.CONTAINER_IMAGE,
      ReasonCode.OK),
  UNSIGNED("demo/unsigned", "an unsigned image (FAIL when the grace window ends)", Outcome.FAIL,
      ArtifactClass.CONTAINER_IMAGE, ReasonCode.NO_SIGNATURE),
  TAMPERED("demo/tampered", "a tampered image carrying the original's signature", Outcome.FAIL,
      ArtifactClass.CONTAINER_IMAGE, ReasonCode.DIGEST_MISMATCH),
  SIGNED_LATE("demo/signed-late", "an image signed 5 s after its push (held, then PASS)", Outcome.PASS,
      ArtifactClass.CONTAINER_IMAGE, ReasonCode.OK),
  HELM_CHART("demo/charts/hello", "a signed Helm chart", Outcome.PASS, ArtifactClass.HELM_CHART, ReasonCode.OK),
  AI_MODEL("demo/models/tiny", "a signed AI model (CNCF ModelPack)", Outcome.PASS, ArtifactClass.AI_MODEL,
      ReasonCode.OK),
  SIGNED_SBOM("demo/with-sbom", "a signed image with a signed CycloneDX SBOM", Outcome.PASS,
      ArtifactClass.CONTAINER_IMAGE, ReasonCode.OK),
  UNTRUSTED("demo/untrusted", "an image signed by a key outside the trust store", Outcome.FAIL,
      ArtifactClass.CONTAINER_IMAGE, ReasonCode.UNTRUSTED_CHAIN);

  final String repository;
  final String description;
  final Outcome outcome;
  final ArtifactClass artifactClass;
  final ReasonCode reason;

  DemoCase(final String repository, final String description, final Outcome outcome,
      final ArtifactClass artifactClass, final ReasonCode reason) {
    this.repository = repository;
    this.description = description;
    this.outcome = outcome;
    this.artifactClass = artifactClass;
    this.reason = reason;
  }

  /** Short name for tables: {@code jws-signed}. */
  String label() {
    return name().toLowerCase(java.util.Locale.ROOT).replace('_', '-');
  }
}
