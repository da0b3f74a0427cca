package dev.sigstream.verifier.topology;

import dev.sigstream.oci.Deadline;
import dev.sigstream.oci.Descriptor;
import dev.sigstream.oci.FetchResult;
import dev.sigstream.oci.Manifest;
import dev.sigstream.oci.Reference;
import dev.sigstream.oci.RegistryReader;
import dev.sigstream.verifier.core.ArtifactVerifier;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;

/**
 * The stream's {@link ArtifactCheck} over the shared verification path: a pushed manifest with a {@code subject} is a
 * referrer and sends its subject back for verification; anything else is verified by {@link ArtifactVerifier}. The
 * referrer probe reads the manifest by digest within the same per-artifact deadline; a failed probe falls through
 * to verification, which reports the failure with its reason.
 */
public final class VerifierCheck implements ArtifactCheck {

  private final ArtifactVerifier verifier;
  private final RegistryReader registry;

  public VerifierCheck(final ArtifactVerifier verifier, final RegistryReader registry) {
    this.verifier = Objects.requireNonNull(verifier, "verifier");
    this.registry = Objects.requireNonNull(registry, "registry");
  }

  @Override
  public CompletableFuture<Outcome> check(final Reference artifact) {
    if (!artifact.isDigest()) {
      return verify(artifact);
    }
    return registry.within(Deadline.after(verifier.limits().deadline())).manifest(artifact).thenCompose(mr -> {
      if (mr instanceof FetchResult.Found<Manifest> m && m.value().subject().isPresent()) {
        final Descriptor subject = m.value().subject().get();
        return CompletableFuture.completedFuture(new ReferrerOf(Reference.repository(artifact.registry(),
            artifact.repository()).withDigest(subject.digest())));
      }
      return verify(artifact);
    });
  }

  private CompletableFuture<Outcome> verify(final Reference artifact) {
    return verifier.verify(artifact, Map.of()).thenApply(Decided::new);
  }
}
