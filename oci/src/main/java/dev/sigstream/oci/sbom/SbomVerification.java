package dev.sigstream.oci.sbom;

import dev.sigstream.oci.Descriptor;
import dev.sigstream.oci.Digest;
import dev.sigstream.oci.FetchResult;
import dev.sigstream.oci.Manifest;
import dev.sigstream.oci.Reference;
import dev.sigstream.oci.Referrers;
import dev.sigstream.oci.RegistryClient;
import dev.sigstream.oci.classify.ArtifactClass;
import dev.sigstream.oci.classify.ArtifactClassifier;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * Checks one SBOM artifact (a referrer or a stand-alone push): the document through {@link SbomChecker}, and — when
 * the policy requires it — its own signature through the {@link SbomSignatureCheck} port (wired to notary by the
 * orchestrator). Never completes exceptionally for registry problems: a failed referrer lookup is a signature result
 * with reason {@code REGISTRY_ERROR}.
 */
public final class SbomVerification {

  /**
   * @param report the document check
   * @param signature the signature check, empty when the policy does not require one
   */
  public record Result(SbomReport report, Optional<SbomSignatureCheck.Result> signature) {
    /** Document passed and, when required, the signature verified. */
    public boolean passed() {
      return report.passed() && signature.map(SbomSignatureCheck.Result::verified).orElse(true);
    }
  }

  private final RegistryClient client;
  private final SbomPolicy policy;
  private final SbomChecker checker;
  private final SbomSignatureCheck signatures;
  private final ArtifactClassifier classifier = new ArtifactClassifier();

  public SbomVerification(final RegistryClient client, final SbomPolicy policy, final SbomSignatureCheck signatures) {
    this.client = client;
    this.policy = policy;
    this.checker = new SbomChecker(policy);
    this.signatures = signatures;
  }

  /**
   * @param sbom reference of the SBOM manifest (with digest)
   * @param manifest the SBOM manifest
   * @param blobs its fetched layer blobs by digest; the first layer present is the document
   */
  public CompletableFuture<Result> verify(final Reference sbom, final Manifest manifest,
      final Map<Digest, byte[]> blobs) {
    final Optional<Descriptor> layer = manifest.layers().stream().filter(l -> blobs.containsKey(l.digest()))
        .findFirst();
    final SbomReport report = layer.map(l -> checker.check(blobs.get(l.digest()), l.mediaType()))
        .orElseGet(() -> checker.check(null, null));
    if (!policy.requireSignature()) {
      return CompletableFuture.completedFuture(new Result(report, Optional.empty()));
    }
    return client.referrers(sbom.withDigest(manifest.descriptor().digest()), null).thenCompose(r -> {
      if (!(r instanceof FetchResult.Found<Referrers> found)) {
        return CompletableFuture.completedFuture(new Result(report, Optional.of(new SbomSignatureCheck.Result(false,
            SbomSignatureCheck.Reason.REGISTRY_ERROR, "listing the SBOM's signatures: " + r.describe()))));
      }
      final List<Descriptor> sigs = found.value().referrers().stream()
          .filter(d -> classifier.classifyDescriptor(d).artifactClass() == ArtifactClass.SIGNATURE).toList();
      if (sigs.isEmpty()) {
        return CompletableFuture.completedFuture(new Result(report, Optional.of(SbomSignatureCheck.Result
            .noSignature())));
      }
      return signatures.verify(sbom.withDigest(manifest.descriptor().digest()), manifest.descriptor(), sigs)
          .handle((res, ex) -> new Result(report, Optional.of(ex == null ? res : new SbomSignatureCheck.Result(false,
              SbomSignatureCheck.Reason.SIGNATURE_CHECK_ERROR, ex.getClass().getSimpleName()))));
    });
  }
}
