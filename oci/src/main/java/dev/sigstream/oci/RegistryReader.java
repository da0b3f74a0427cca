package dev.sigstream.oci;

import java.util.concurrent.CompletableFuture;

/**
 * Read side of an OCI distribution registry: what verification needs. {@link RegistryClient} adds the push side.
 *
 * <p>Contract for every method:
 * <ul>
 *   <li>Thread-safe; calls may be issued concurrently from any thread. Futures complete on client threads, so
 *       callers must not block or run CPU-heavy work (envelope or SBOM parsing, signature checks) in dependent
 *       stages: hand those to an executor of their own.</li>
 *   <li>Never throws and never completes exceptionally on network, protocol or registry errors, nor on any input a
 *       registry supplies (headers, bodies, links): the future completes with a {@link FetchResult} failure (see its
 *       Javadoc for FAIL vs ERROR vs retryable). It only throws {@link NullPointerException} or
 *       {@link IllegalArgumentException} for programming errors.</li>
 *   <li>A reference whose registry host is not configured completes immediately with {@link FetchResult.NotAllowed}
 *       — no DNS lookup, no connection.</li>
 *   <li>Every manifest and blob returned has been checked against its digest and size cap before it is handed out.</li>
 * </ul>
 */
public interface RegistryReader {

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

  /**
   * A view of this reader whose every request is bounded by {@code deadline}: each request's timeout is the shorter
   * of the per-request timeout and the time left; a request not yet sent once the deadline has passed completes at
   * once with {@link FetchResult.Unavailable} ({@code deadlineExceeded} true); requests still in flight when it
   * passes are cancelled and complete the same way. This covers every request an operation makes: pages of the
   * referrers list, token fetches and redirects.
   */
  RegistryReader within(Deadline deadline);
}
