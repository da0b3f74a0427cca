package dev.sigstream.verifier.core;

import dev.sigstream.notary.NotaryVerifier;
import dev.sigstream.notary.SignatureCandidate;
import dev.sigstream.notary.TargetDescriptor;
import dev.sigstream.notary.VerificationResult;
import dev.sigstream.oci.Descriptor;
import dev.sigstream.oci.Reference;
import dev.sigstream.oci.sbom.SbomSignatureCheck;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;

/**
 * The oci {@link SbomSignatureCheck} port wired to notary: fetch the SBOM's signature referrers and verify them
 * against the trust policy statement of the SBOM's own repository, exactly like an artifact signature. Reason codes:
 * {@code VERIFIED}, {@code NO_SIGNATURE}, {@code SIGNATURE_INVALID} (with the notary reason in the detail),
 * {@code REGISTRY_ERROR}.
 */
final class NotarySbomSignatureCheck implements SbomSignatureCheck {

  private final SignatureFetcher fetcher;
  private final NotaryVerifier notary;
  private final Executor executor;

  NotarySbomSignatureCheck(final SignatureFetcher fetcher, final NotaryVerifier notary, final Executor executor) {
    this.fetcher = fetcher;
    this.notary = notary;
    this.executor = executor;
  }

  @Override
  public CompletableFuture<Result> verify(final Reference sbom, final Descriptor sbomDescriptor,
      final List<Descriptor> signatureReferrers) {
    if (signatureReferrers.isEmpty()) {
      return CompletableFuture.completedFuture(Result.noSignature());
    }
    final List<CompletableFuture<SignatureFetcher.Fetched>> fs = new ArrayList<>();
    for (final Descriptor d : signatureReferrers) {
      fs.add(fetcher.fetch(sbom, d));
    }
    return CompletableFuture.allOf(fs.toArray(CompletableFuture[]::new)).thenApplyAsync(v -> {
      final List<SignatureCandidate> candidates = new ArrayList<>();
      String registryProblem = null;
      for (final CompletableFuture<SignatureFetcher.Fetched> f : fs) {
        final SignatureFetcher.Fetched r = f.join();
        if (r.candidate() != null) {
          candidates.add(r.candidate());
        } else if (registryProblem == null) {
          registryProblem = r.unusable().decisiveFailure().map(CheckReport::detail).orElse("unusable signature");
        }
      }
      if (candidates.isEmpty()) {
        return new Result(false, "REGISTRY_ERROR", registryProblem);
      }
      final TargetDescriptor target = new TargetDescriptor(sbomDescriptor.mediaType() == null ? ""
          : sbomDescriptor.mediaType(), sbomDescriptor.digest().toString(), sbomDescriptor.size());
      final VerificationResult vr = notary.verify(sbom.registry() + "/" + sbom.repository() + "@" + sbom.digest(),
          target, candidates, Map.of());
      return vr.passed() ? new Result(true, "VERIFIED", vr.detail())
          : new Result(false, "SIGNATURE_INVALID", vr.reason() + ": " + vr.detail());
    }, executor);
  }
}
