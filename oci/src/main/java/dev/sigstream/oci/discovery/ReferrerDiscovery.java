package dev.sigstream.oci.discovery;

import dev.sigstream.oci.Descriptor;
import dev.sigstream.oci.Digest;
import dev.sigstream.oci.FetchResult;
import dev.sigstream.oci.Manifest;
import dev.sigstream.oci.Reference;
import dev.sigstream.oci.Referrers;
import dev.sigstream.oci.RegistryClient;
import dev.sigstream.oci.classify.ArtifactClass;
import dev.sigstream.oci.classify.ArtifactClassifier;
import dev.sigstream.oci.classify.Classification;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Discovers one artifact: its manifest and classification, its referrers (referrers API or tag-schema fallback,
 * done by the {@link RegistryClient}), and for signature and SBOM referrers their manifests and blobs — everything
 * the verifier needs, fetched concurrently and digest-checked.
 *
 * <p>Never throws and never completes exceptionally for registry problems. The artifact's own fetch failures and
 * referrer-listing failures fail the whole discovery; a single referrer's failure is recorded on that referrer. The
 * per-artifact deadline completes the result with {@link FetchResult.Unavailable}.
 */
public final class ReferrerDiscovery {

  private static final Logger log = LoggerFactory.getLogger(ReferrerDiscovery.class);

  private final RegistryClient client;
  private final ArtifactClassifier classifier;
  private final DiscoveryOptions options;

  public ReferrerDiscovery(final RegistryClient client, final ArtifactClassifier classifier,
      final DiscoveryOptions options) {
    this.client = client;
    this.classifier = classifier;
    this.options = options;
  }

  public CompletableFuture<FetchResult<Discovery>> discover(final Reference ref) {
    final CompletableFuture<FetchResult<Discovery>> result = client.manifest(ref).thenCompose(mr -> {
      if (!(mr instanceof FetchResult.Found<Manifest> found)) {
        return CompletableFuture.completedFuture(mr.<Discovery>castFailure());
      }
      final Manifest manifest = found.value();
      final Reference resolved = ref.withDigest(manifest.descriptor().digest());
      final Classification cls = classifier.classify(manifest, ref.tag(), Map.of());
      return client.referrers(resolved, options.artifactType()).thenCompose(rr -> {
        if (!(rr instanceof FetchResult.Found<Referrers> list)) {
          return CompletableFuture.completedFuture(rr.<Discovery>castFailure());
        }
        return fetchReferrers(resolved, list.value()).thenApply(refs -> FetchResult.found(new Discovery(resolved,
            manifest, cls, refs, list.value().source(), list.value().truncated())));
      });
    });
    // Per-artifact deadline: whatever is still in flight is abandoned; the verifier retries later.
    return result.completeOnTimeout(new FetchResult.Unavailable<>("deadline of " + options.deadline().toMillis()
        + " ms for " + ref + " passed", true), options.deadline().toMillis(), TimeUnit.MILLISECONDS);
  }

  private CompletableFuture<List<DiscoveredReferrer>> fetchReferrers(final Reference subject, final Referrers list) {
    final List<CompletableFuture<DiscoveredReferrer>> futures = new ArrayList<>();
    int signatures = 0;
    int unclassified = 0;
    for (Descriptor d : list.referrers()) {
      final Classification byDesc = classifier.classifyDescriptor(d);
      final ArtifactClass c = byDesc.artifactClass();
      final boolean isSig = c == ArtifactClass.SIGNATURE;
      if (isSig && ++signatures > options.maxSignatures()) {
        log.warn("signature cap {} reached for {}; further signatures are listed but not fetched",
            options.maxSignatures(), subject);
        futures.add(CompletableFuture.completedFuture(new DiscoveredReferrer(d, byDesc, Optional.empty(), Map.of(),
            Optional.empty())));
        continue;
      }
      // Referrers the descriptor cannot classify need their manifest; cap those fetches too, so a flood of junk
      // referrers cannot turn one discovery into a thousand requests.
      final boolean unknownWanted = c == ArtifactClass.UNKNOWN && ++unclassified <= options.maxSignatures();
      final boolean wanted = isSig || (c == ArtifactClass.SBOM && options.fetchSbomBlobs()) || unknownWanted;
      if (!wanted) {
        futures.add(CompletableFuture.completedFuture(new DiscoveredReferrer(d, byDesc, Optional.empty(), Map.of(),
            Optional.empty())));
        continue;
      }
      futures.add(fetchOne(subject, d, byDesc));
    }
    return CompletableFuture.allOf(futures.toArray(CompletableFuture[]::new))
        .thenApply(v -> futures.stream().map(CompletableFuture::join).toList());
  }

  private CompletableFuture<DiscoveredReferrer> fetchOne(final Reference subject, final Descriptor d,
      final Classification byDesc) {
    return client.manifest(subject.withDigest(d.digest())).thenCompose(mr -> {
      if (!(mr instanceof FetchResult.Found<Manifest> found)) {
        return CompletableFuture.completedFuture(new DiscoveredReferrer(d, byDesc, Optional.empty(), Map.of(),
            Optional.of(mr)));
      }
      final Manifest m = found.value();
      final Classification cls = classifier.classify(m);
      // A fallback index is just a tag anyone with push rights can write: only trust entries whose manifest really
      // names this subject.
      final Digest named = m.subject().map(Descriptor::digest).orElse(null);
      if (!subject.digest().equals(named)) {
        return CompletableFuture.completedFuture(new DiscoveredReferrer(d, cls, Optional.of(m), Map.of(),
            Optional.of(new FetchResult.Invalid<>("PROTOCOL", "referrer " + d.digest() + " names subject " + named
                + ", not " + subject.digest()))));
      }
      final boolean blobs = cls.artifactClass() == ArtifactClass.SIGNATURE
          || (cls.artifactClass() == ArtifactClass.SBOM && options.fetchSbomBlobs())
          || (ArtifactClassifier.isSbomCandidate(cls) && options.fetchSbomBlobs());
      if (!blobs) {
        return CompletableFuture.completedFuture(new DiscoveredReferrer(d, cls, Optional.of(m), Map.of(),
            Optional.empty()));
      }
      final List<Descriptor> layers = m.layers();
      final List<CompletableFuture<FetchResult<byte[]>>> fs = new ArrayList<>();
      for (Descriptor l : layers) {
        fs.add(client.blob(subject, l));
      }
      return CompletableFuture.allOf(fs.toArray(CompletableFuture[]::new)).thenApply(v -> {
        final Map<Digest, byte[]> out = new LinkedHashMap<>();
        FetchResult<?> failure = null;
        for (int i = 0; i < layers.size(); i++) {
          final FetchResult<byte[]> r = fs.get(i).join();
          if (r instanceof FetchResult.Found<byte[]> b) {
            out.put(layers.get(i).digest(), b.value());
          } else if (failure == null) {
            failure = r;
          }
        }
        return new DiscoveredReferrer(d, cls, Optional.of(m), out, Optional.ofNullable(failure));
      });
    });
  }
}
