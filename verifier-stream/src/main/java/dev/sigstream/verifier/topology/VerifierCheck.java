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
import java.util.function.Supplier;

/**
 * The stream's {@link ArtifactCheck} over the shared verification path: a pushed manifest with a {@code subject} is a
 * referrer and sends its subject back for verification; anything else is verified by {@link ArtifactVerifier}. The
 * referrer probe reads the manifest by digest within the same per-artifact deadline; a failed probe falls through
 * to verification, which reports the failure with its reason.
 */
public final class VerifierCheck implements ArtifactCheck {

  private final Supplier<ArtifactVerifier> verifiers;
  private final RegistryReader registry;

  /** A check with one verifier for its whole life. */
  public VerifierCheck(final ArtifactVerifier verifier, final RegistryReader registry) {
    this(() -> verifier, registry);
  }

  /** A check that asks {@code verifiers} for the verifier in force at each check (a {@code ReloadingVerifier}). */
  public VerifierCheck(final Supplier<ArtifactVerifier> verifiers, final RegistryReader registry) {
    this.verifiers = Objects.requireNonNull(verifiers, "verifiers");
    this.registry = Objects.requireNonNull(registry, "registry");
  }

  @Override
  public String trustVersion() {
    return verifiers.get().trustVersion();
  }

  @Override
  public CompletableFuture<Outcome> check(final Reference artifact) {
    final ArtifactVerifier verifier = verifiers.get();
    if (!artifact.isDigest()) {
      return verify(verifier, artifact);
    }
    return registry.within(Deadline.after(verifier.limits().deadline())).manifest(artifact).thenCompose(mr -> {
      if (mr instanceof FetchResult.Found<Manifest> m && m.value().subject().isPresent()) {
        final Descriptor subject = m.value().subject().get();
        return CompletableFuture.completedFuture(new ReferrerOf(Reference.repository(artifact.registry(),
            artifact.repository()).withDigest(subject.digest())));
      }
      return verify(verifier, artifact);
    });
  }

  private static CompletableFuture<Outcome> verify(final ArtifactVerifier verifier, final Reference artifact) {
    return verifier.verify(artifact, Map.of()).thenApply(r -> new Decided(r, verifier.trustVersion()));
  }
}
