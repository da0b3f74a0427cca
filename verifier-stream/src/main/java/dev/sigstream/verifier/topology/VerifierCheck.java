package dev.sigstream.verifier.topology;

import dev.sigstream.oci.Deadline;
import dev.sigstream.oci.Descriptor;
import dev.sigstream.oci.FetchResult;
import dev.sigstream.oci.Manifest;
import dev.sigstream.oci.Reference;
import dev.sigstream.oci.RegistryReader;
import dev.sigstream.verifier.core.ArtifactVerifier;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import dev.sigstream.oci.Digest;
import dev.sigstream.oci.classify.ArtifactClass;
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
    final CompletableFuture<FetchResult<Manifest>> probe = registry.within(Deadline.after(
        verifier.limits().deadline())).manifest(artifact);
    // The verification starts with the probe, not after it: its manifest read joins the probe's (CachingReader) and
    // its referrers listing goes out in the same round trip, which saves one round trip per artifact against a remote
    // registry. When the probe finds a referrer, the verification is dropped; its only cost is that listing.
    final CompletableFuture<Outcome> verification = verify(verifier, artifact);
    return probe.thenCompose(mr -> {
      if (mr instanceof FetchResult.Found<Manifest> m && m.value().subject().isPresent()) {
        verification.cancel(false);
        final Descriptor subject = m.value().subject().get();
        return CompletableFuture.completedFuture(new ReferrerOf(Reference.repository(artifact.registry(),
            artifact.repository()).withDigest(subject.digest())));
      }
      final Digest listed = referrersIndexOf(artifact, mr);
      if (listed != null) {
        // A registry without the referrers API keeps each subject's referrers in an index tagged sha256-<hex>, and
        // announces every update of it as a push: bookkeeping, not an artifact. Its subject is checked again.
        verification.cancel(false);
        return CompletableFuture.completedFuture(new ReferrerOf(Reference.repository(artifact.registry(),
            artifact.repository()).withDigest(listed)));
      }
      return verification;
    });
  }

  @Override
  public CompletableFuture<Outcome> checkChild(final Reference child, final Reference index) {
    if (!child.isDigest() || !index.isDigest()) {
      return check(child);
    }
    final ArtifactVerifier verifier = verifiers.get();
    return verifier.verifyChild(child, index, Map.of()).thenApply(r -> new Decided(r, verifier.trustVersion()));
  }

  private static final java.util.regex.Pattern REFERRERS_TAG = java.util.regex.Pattern.compile("sha256-[0-9a-f]{64}");

  /**
   * The subject whose referrers index (the OCI tag schema's {@code sha256-<hex>} tag) the pushed manifest is, or
   * null. Only an image index pushed under such a tag qualifies; an artifact that only borrows the tag name gets no
   * verdict of its own either way, so admission still denies it.
   */
  static Digest referrersIndexOf(final Reference pushed, final FetchResult<Manifest> manifest) {
    final String tag = pushed.tag();
    if (tag == null || tag.length() != 71 || !REFERRERS_TAG.matcher(tag).matches()
        || !(manifest instanceof FetchResult.Found<Manifest> m) || !m.value().isIndex()) {
      return null;
    }
    return Digest.parse("sha256:" + tag.substring(7));
  }

  /** Index children listed beyond this many get no verdicts of their own (an index is a handful of platforms). */
  static final int MAX_CHILDREN = 64;

  private CompletableFuture<Outcome> verify(final ArtifactVerifier verifier, final Reference artifact) {
    return verifier.verify(artifact, Map.of()).thenCompose(r -> {
      if (r.artifactClass() != ArtifactClass.IMAGE_INDEX || r.artifact().digest() == null) {
        return CompletableFuture.completedFuture(new Decided(r, verifier.trustVersion()));
      }
      // The index manifest was fetched by the verification: this read is answered by the cache.
      final Reference index = Reference.repository(artifact.registry(), artifact.repository())
          .withDigest(Digest.parse(r.artifact().digest()));
      return registry.within(Deadline.after(verifier.limits().deadline())).manifest(index).thenApply(mr -> {
        final List<Reference> children = new ArrayList<>();
        if (mr instanceof FetchResult.Found<Manifest> m) {
          for (final Descriptor d : m.value().manifests()) {
            if (children.size() < MAX_CHILDREN && !d.digest().equals(index.digest())) {
              children.add(index.withDigest(d.digest()));
            }
          }
        }
        return new Decided(r, verifier.trustVersion(), children);
      });
    });
  }
}
