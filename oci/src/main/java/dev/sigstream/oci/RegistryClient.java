package dev.sigstream.oci;

import java.util.concurrent.CompletableFuture;

/**
 * Port to an OCI distribution registry (read and write).
 *
 * <p>Contract for every method:
 * <ul>
 *   <li>Thread-safe; calls may be issued concurrently from any thread. Futures complete on client threads, so
 *       callers must not block inside dependent stages for long.</li>
 *   <li>Never throws and never completes exceptionally on network, protocol or registry errors: the future completes
 *       with a {@link FetchResult} failure (see its Javadoc for FAIL vs ERROR vs retryable). It only throws
 *       {@link NullPointerException}/{@link IllegalArgumentException} for programming errors.</li>
 *   <li>A reference whose registry host is not configured completes immediately with {@link FetchResult.NotAllowed}
 *       — no DNS lookup, no connection.</li>
 *   <li>Every manifest and blob returned has been checked against its digest and size cap before it is handed out.</li>
 * </ul>
 */
public interface RegistryClient {

  /**
   * Resolves a reference (tag or digest) to the manifest's descriptor with HEAD, falling back to GET when HEAD is
   * unsupported or gives no {@code Docker-Content-Digest}.
   */
  CompletableFuture<FetchResult<Descriptor>> resolve(Reference ref);

  /**
   * Fetches a manifest or index. By digest: the bytes must hash to it ({@link FetchResult.Invalid} DIGEST_MISMATCH
   * otherwise). By tag: the bytes must match {@code Docker-Content-Digest} when the registry sends it.
   */
  CompletableFuture<FetchResult<Manifest>> manifest(Reference ref);

  /**
   * Fetches a blob of {@code ref}'s repository. The descriptor's size must be within the blob cap and the content
   * must match its digest and size.
   */
  CompletableFuture<FetchResult<byte[]>> blob(Reference repository, Descriptor descriptor);

  /**
   * Lists the referrers of {@code subject} (which must carry a digest): the referrers API with Link pagination, or
   * the tag-schema fallback index when the API answers 404 without {@code NAME_UNKNOWN}. A {@code NAME_UNKNOWN}
   * 404 returns {@link FetchResult.NotFound} with that code. {@code artifactType} (nullable) filters the list; it is
   * applied client-side too when the registry did not apply it.
   */
  CompletableFuture<FetchResult<Referrers>> referrers(Reference subject, String artifactType);

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
