package dev.sigstream.oci;

import java.util.concurrent.CompletableFuture;

/**
 * Port to an OCI distribution registry: the {@link RegistryReader} read side plus pushes (for {@code sigstream sign}
 * and test fixtures). The same contract holds for every method.
 */
public interface RegistryClient extends RegistryReader {

  /** Uploads a blob in one request (skipped when the registry already has it). */
  CompletableFuture<FetchResult<Descriptor>> pushBlob(Reference repository, String mediaType, byte[] content);

  /** Uploads a blob in chunks of {@code chunkSize} bytes (PATCH with Content-Range, then PUT). */
  CompletableFuture<FetchResult<Descriptor>> pushBlobChunked(Reference repository, String mediaType, byte[] content,
      int chunkSize);

  /**
   * Pushes manifest bytes as they are to {@code target}'s tag, or to its digest (which must match the bytes). For a
   * manifest with a {@code subject}, use {@link #pushReferrer} so registries without the referrers API still list it.
   */
  CompletableFuture<FetchResult<Descriptor>> pushManifest(Reference target, String mediaType, byte[] manifest);

  /**
   * Pushes a manifest with a {@code subject} by digest and, when the registry does not answer with
   * {@code OCI-Subject} (no referrers API), adds its descriptor to the tag-schema index {@code <alg>-<hex>} of the
   * subject (read, merge, re-push). Concurrent updates from other processes can still race (the tag schema has no
   * compare-and-set); updates from this client instance are serialised per subject.
   */
  CompletableFuture<FetchResult<Descriptor>> pushReferrer(Reference repository, String mediaType, byte[] manifest);
}
