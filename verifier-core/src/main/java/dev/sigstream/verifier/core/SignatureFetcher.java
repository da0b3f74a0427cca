package dev.sigstream.verifier.core;

import dev.sigstream.notary.SignatureCandidate;
import dev.sigstream.oci.Descriptor;
import dev.sigstream.oci.Digest;
import dev.sigstream.oci.FetchResult;
import dev.sigstream.oci.Manifest;
import dev.sigstream.oci.MediaTypes;
import dev.sigstream.oci.Reference;
import dev.sigstream.oci.RegistryClient;
import java.util.concurrent.CompletableFuture;

/**
 * Fetches one Notary signature referrer: its manifest (checked for a valid signature-manifest shape naming the
 * subject) and its envelope blob (skipped when the descriptor is over the envelope cap). Never completes
 * exceptionally; problems become an unusable {@link SignatureReport} with a registry reason.
 */
final class SignatureFetcher {

  private final RegistryClient registry;
  private final VerifyLimits limits;

  SignatureFetcher(final RegistryClient registry, final VerifyLimits limits) {
    this.registry = registry;
    this.limits = limits;
  }

  /** A fetched signature: exactly one of the two is set. */
  record Fetched(SignatureCandidate candidate, SignatureReport unusable) {}

  CompletableFuture<Fetched> fetch(final Reference subject, final Descriptor d) {
    final String md = d.digest().toString();
    return registry.manifest(subject.withDigest(d.digest())).thenCompose(mr -> {
      if (!(mr instanceof FetchResult.Found<Manifest> found)) {
        return unusable(SignatureReport.unusable(md, null, RegistryFailures.reason(mr),
            "signature manifest " + md + ": " + mr.describe()));
      }
      final Manifest m = found.value();
      final String shapeProblem = signatureShapeProblem(m, subject.digest());
      if (shapeProblem != null) {
        return unusable(SignatureReport.unusable(md, null, Reason.CONTENT_MALFORMED,
            "signature manifest " + md + " " + shapeProblem));
      }
      final Descriptor layer = m.layers().get(0);
      final String envType = MediaTypes.normalize(layer.mediaType());
      if (layer.size() > limits.maxEnvelopeBytes()) {
        // Not downloaded at all: the descriptor already says it is over the cap.
        return unusable(SignatureReport.unusable(md, envType, Reason.ENVELOPE_TOO_LARGE,
            "signature envelope of " + layer.size() + " bytes exceeds the cap of " + limits.maxEnvelopeBytes()));
      }
      return registry.blob(subject, layer).thenApply(br -> {
        if (br instanceof FetchResult.Found<byte[]> blob) {
          return new Fetched(new SignatureCandidate(envType == null ? "" : envType, blob.value(), md), null);
        }
        return new Fetched(null, SignatureReport.unusable(md, envType, RegistryFailures.reason(br),
            "signature envelope " + layer.digest() + ": " + br.describe()));
      });
    });
  }

  /**
   * Null when {@code m} is a usable Notary signature manifest for {@code subject}: shape A (artifactType notary,
   * empty config) or shape B (config media type notary), exactly one layer, and a subject naming this digest (a
   * tag-schema index is writable by anyone with push rights, so its entries are not trusted to point here).
   */
  static String signatureShapeProblem(final Manifest m, final Digest subject) {
    final String at = MediaTypes.normalize(m.artifactType());
    final String config = m.config().map(c -> MediaTypes.normalize(c.mediaType())).orElse(null);
    final boolean shapeA = MediaTypes.NOTARY_SIGNATURE.equals(at)
        && (MediaTypes.OCI_EMPTY.equals(config) || config == null);
    final boolean shapeB = at == null && MediaTypes.NOTARY_SIGNATURE.equals(config);
    if (!shapeA && !shapeB) {
      return "is not a Notary signature manifest (artifactType " + at + ", config " + config + ")";
    }
    if (m.layers().size() != 1) {
      return "has " + m.layers().size() + " layers; a Notary signature manifest has exactly one";
    }
    final Digest named = m.subject().map(Descriptor::digest).orElse(null);
    if (!subject.equals(named)) {
      return "names subject " + named + ", not " + subject;
    }
    return null;
  }


  private static CompletableFuture<Fetched> unusable(final SignatureReport r) {
    return CompletableFuture.completedFuture(new Fetched(null, r));
  }
}
